package dev.ocrgate.server.stream;

import dev.ocrgate.server.vision.PixelRect;
import dev.ocrgate.server.vision.RgbImage;

/**
 * The light-text pixels of a frame's region: where a burned-in subtitle's fill would be. Immutable.
 *
 * <p>Burned-in subtitles are a light fill (white, yellow: luminance at least {@value #LIGHT} of
 * 255) inside a dark outline or shadow. A pixel is in the mask when it lies in a light 2×2 block
 * (a stroke, not a speck of grain or a one-pixel cell of a pattern) and a pixel of a dark 2×2
 * block (luminance at most {@value #DARK}: the outline, about 2 px wide even at 270p) lies within
 * {@value #REACH} pixels in x and y. Moving footage puts few pixels in the mask; a subtitle puts its
 * whole fill edge there, and those pixels stay put for as long as the subtitle stands.
 *
 * <p>Cost: a handful of linear passes over the region with integer arithmetic and a few arrays the
 * size of the region, of which the luminance and the mask are kept.
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
    boolean[] nearDark = near(inBlock(luma, w, h, 0, DARK), w, h);
    boolean[] light = inBlock(luma, w, h, LIGHT, 255);
    byte[] mask = new byte[w * h];
    int count = 0;
    for (int i = 0; i < mask.length; i++) {
      if (nearDark[i] && light[i]) {
        mask[i] = 1;
        count++;
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
        luma[y * w + x] = (byte) FrameSignature.luma(px, p);
      }
    }
    return luma;
  }

  /**
   * Pixels that lie in a 2×2 block whose four pixels all have a luminance in [lo, hi]: a stroke or
   * an outline rather than a lone pixel of grain or of a one-pixel pattern.
   */
  private static boolean[] inBlock(byte[] luma, int w, int h, int lo, int hi) {
    boolean[] anchor = new boolean[w * h]; // the block whose top-left pixel this is qualifies
    for (int y = 0; y + 1 < h; y++) {
      for (int x = 0; x + 1 < w; x++) {
        int i = y * w + x;
        anchor[i] = within(luma[i], lo, hi) && within(luma[i + 1], lo, hi)
            && within(luma[i + w], lo, hi) && within(luma[i + w + 1], lo, hi);
      }
    }
    boolean[] in = new boolean[w * h];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int i = y * w + x;
        in[i] = anchor[i] || (x > 0 && anchor[i - 1]) || (y > 0 && anchor[i - w])
            || (x > 0 && y > 0 && anchor[i - w - 1]);
      }
    }
    return in;
  }

  private static boolean within(byte v, int lo, int hi) {
    int u = v & 0xff;
    return u >= lo && u <= hi;
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
