package dev.ocrgate.server.stream;

import dev.ocrgate.server.vision.PixelRect;
import dev.ocrgate.server.vision.RgbImage;

/**
 * The light-text pixels of a frame's region: where a burned-in subtitle's fill would be. Immutable.
 *
 * <p>Burned-in subtitles are a light fill (white, yellow: luminance at least {@value #LIGHT} of
 * 255) inside a dark outline or shadow. A pixel is in the mask when it is light, lies in a light
 * 2×2 block (a stroke, not a speck of grain or a one-pixel cell of a pattern), and a dark 3×3
 * block (luminance at most {@value #DARK} throughout: the outline, not a dark pixel of noise) lies
 * within {@value #REACH} pixels. Moving footage puts few pixels in the mask; a subtitle puts its
 * whole fill edge there, and those pixels stay put for as long as the subtitle stands.
 *
 * <p>Cost: a handful of linear passes over the region with integer arithmetic; two byte arrays and
 * two int arrays the size of the region, of which the luminance and the mask are kept.
 */
final class TextMask {
  static final int LIGHT = 200;
  static final int DARK = 40;
  static final int REACH = 4;

  final int width;
  final int height;
  /** Luminance (BT.601, 8 bit) of the region, row-major. */
  final byte[] luma;
  /** 1 where the pixel is light text, else 0. */
  final byte[] mask;
  /** Number of mask pixels. */
  final int count;

  private TextMask(int width, int height, byte[] luma, byte[] mask, int count) {
    this.width = width;
    this.height = height;
    this.luma = luma;
    this.mask = mask;
    this.count = count;
  }

  /** The mask of {@code roi} (which must lie inside {@code image}). */
  static TextMask of(RgbImage image, PixelRect roi) {
    int w = roi.width();
    int h = roi.height();
    byte[] luma = luminance(image, roi);
    boolean[] nearDark = near(darkBlocks(luma, w, h), w, h);
    byte[] mask = new byte[w * h];
    int count = 0;
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int i = y * w + x;
        if (nearDark[i] && inLightBlock(luma, w, h, x, y)) {
          mask[i] = 1;
          count++;
        }
      }
    }
    return new TextMask(w, h, luma, mask, count);
  }

  private static byte[] luminance(RgbImage image, PixelRect roi) {
    int w = roi.width();
    byte[] px = image.data();
    int stride = image.width() * 3;
    byte[] luma = new byte[w * roi.height()];
    for (int y = 0; y < roi.height(); y++) {
      int p = (roi.y() + y) * stride + roi.x() * 3;
      for (int x = 0; x < w; x++, p += 3) {
        luma[y * w + x] = (byte) ((77 * (px[p] & 0xff) + 150 * (px[p + 1] & 0xff) + 29 * (px[p + 2] & 0xff)) >> 8);
      }
    }
    return luma;
  }

  private static boolean light(byte[] luma, int w, int x, int y) {
    return (luma[y * w + x] & 0xff) >= LIGHT;
  }

  /** Light, and one of the (up to four) 2×2 blocks holding (x, y) is light throughout. */
  private static boolean inLightBlock(byte[] luma, int w, int h, int x, int y) {
    if (!light(luma, w, x, y)) {
      return false;
    }
    for (int by = Math.max(0, y - 1); by <= Math.min(y, h - 2); by++) {
      for (int bx = Math.max(0, x - 1); bx <= Math.min(x, w - 2); bx++) {
        if (light(luma, w, bx, by) && light(luma, w, bx + 1, by)
            && light(luma, w, bx, by + 1) && light(luma, w, bx + 1, by + 1)) {
          return true;
        }
      }
    }
    return false;
  }

  /** Pixels whose 3×3 neighbourhood (clamped at the edges) is dark throughout. */
  private static boolean[] darkBlocks(byte[] luma, int w, int h) {
    int[] rowMax = new int[w * h];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int m = 0;
        for (int dx = -1; dx <= 1; dx++) {
          m = Math.max(m, luma[y * w + Math.min(w - 1, Math.max(0, x + dx))] & 0xff);
        }
        rowMax[y * w + x] = m;
      }
    }
    boolean[] dark = new boolean[w * h];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int m = 0;
        for (int dy = -1; dy <= 1; dy++) {
          m = Math.max(m, rowMax[Math.min(h - 1, Math.max(0, y + dy)) * w + x]);
        }
        dark[y * w + x] = m <= DARK;
      }
    }
    return dark;
  }

  /** Pixels with a {@code marked} pixel within {@value #REACH} in x and in y (a square). */
  private static boolean[] near(boolean[] marked, int w, int h) {
    int[] across = new int[w * h]; // marked pixels within REACH in the row
    for (int y = 0; y < h; y++) {
      int run = 0;
      for (int x = 0; x < w + REACH; x++) {
        if (x < w && marked[y * w + x]) {
          run++;
        }
        if (x - 2 * REACH - 1 >= 0 && marked[y * w + x - 2 * REACH - 1]) {
          run--;
        }
        if (x - REACH >= 0) {
          across[y * w + x - REACH] = run;
        }
      }
    }
    boolean[] out = new boolean[w * h];
    for (int x = 0; x < w; x++) {
      int run = 0;
      for (int y = 0; y < h + REACH; y++) {
        if (y < h) {
          run += across[y * w + x];
        }
        if (y - 2 * REACH - 1 >= 0) {
          run -= across[(y - 2 * REACH - 1) * w + x];
        }
        if (y - REACH >= 0) {
          out[(y - REACH) * w + x] = run > 0;
        }
      }
    }
    return out;
  }
}
