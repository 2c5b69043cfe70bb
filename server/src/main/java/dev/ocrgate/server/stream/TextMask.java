package dev.ocrgate.server.stream;

import dev.ocrgate.server.vision.PixelRect;
import dev.ocrgate.server.vision.RgbImage;
import java.util.Arrays;

/**
 * The light-text pixels of a frame's region, where a burned-in subtitle's fill would be, and the
 * region's luminance, which the change rule compares. Immutable once built (its {@link #opened}
 * thick strokes are computed once, on first use).
 *
 * <p>Burned-in subtitles are a light fill (white, yellow: luminance at least {@value #LIGHT} of
 * 255) inside a dark outline or shadow. A pixel is in the mask when it is light and <em>enclosed</em>
 * by dark, across or down: a pixel of a dark 2×2 block (luminance at most {@value #DARK}: the
 * outline, not a speck of grain) lies within {@value #REACH} pixels on one side of it and within
 * {@value #SPAN} on the other. A stroke of the fill (up to about {@value #SPAN} pixels wide) has
 * its outline on both sides; light background next to a subtitle's outline or shadow has it on
 * one side only, so moving footage around a subtitle (testsrc2's bars and sweeping line) stays out
 * of the mask. Single light pixels count: strokes of small CJK text are one or two pixels wide.
 * A fine light-and-dark texture (ffmpeg's cellauto) still enters the mask everywhere.
 *
 * <p>Cost: a handful of passes over the region (luminance; dark blocks as plain byte ANDs and ORs
 * along rows; dark distances left, right and up; dark distances down and the mask), integer
 * arithmetic, no division; two region-sized byte arrays are kept (luminance, mask), one more is
 * scratch. It runs on every frame a subtitle stream receives (bench/results/subtitle-speed.md,
 * round 6). {@code TextMaskTest} holds the mask to this definition written the slow way.
 */
final class TextMask {
  static final int LIGHT = 200;
  static final int DARK = 40;
  static final int REACH = 4;
  static final int SPAN = 12;
  /** Distance meaning "no dark pixel within SPAN" (fits a byte). */
  private static final int FAR = SPAN + 1;

  final int width;
  final int height;
  /** Luminance (BT.601, 8 bit) of the region, row-major. */
  final byte[] luma;
  /** 1 where the pixel is light text, else 0. */
  final byte[] mask;
  /** Number of mask pixels. */
  final int count;
  /** {@link #opened()}, once asked for. */
  private volatile byte[] opened;

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
    byte[] scratch = darkBlocks(luma, w, h); // 1 = in a dark 2×2 block
    byte[] mask = new byte[w * h];
    enclosedAcross(luma, scratch, mask, w, h); // mask: 1 = light and enclosed left-right; scratch: up distance
    int count = enclosedDown(luma, scratch, mask, w, h);
    return new TextMask(w, h, luma, mask, count);
  }

  /**
   * The mask's thick strokes: its pixels that lie in some 3×3 block wholly in the mask (a
   * morphological opening, 1 = kept). A fine moving texture (ffmpeg's cellauto) leaves none of
   * its pixels; a subtitle keeps the thick parts of its letters, while thin ones (a 36 px
   * letter's ascender, small CJK strokes) may vanish. Computed on first use and kept: a stream
   * checking frames by rereads asks each such frame twice (as the frame checked, then as the last
   * read one). Callers must not modify it. Racing first uses compute the same array; either wins.
   */
  byte[] opened() {
    byte[] o = opened;
    if (o == null) {
      o = opening(mask, width, height);
      opened = o;
    }
    return o;
  }

  /** The 3×3 opening of a {@code w}×{@code h} 0/1 {@code mask} (see {@link #opened}). */
  static byte[] opening(byte[] mask, int w, int h) {
    byte[] across = new byte[w * h]; // 1 = this pixel and its left and right neighbours in the mask
    for (int row = 0; row < w * h; row += w) {
      for (int i = row + 1; i < row + w - 1; i++) {
        across[i] = (byte) (mask[i - 1] & mask[i] & mask[i + 1]);
      }
    }
    byte[] core = new byte[w * h]; // 1 = the centre of a 3×3 block wholly in the mask
    for (int i = w; i < w * (h - 1); i++) {
      core[i] = (byte) (across[i - w] & across[i] & across[i + w]);
    }
    byte[] out = across; // reused, every element rewritten: the cores' rows grown left and right
    for (int row = 0; row < w * h; row += w) {
      for (int i = row; i < row + w; i++) {
        out[i] = (byte) (core[i] | (i > row ? core[i - 1] : 0) | (i < row + w - 1 ? core[i + 1] : 0));
      }
    }
    byte[] opened = core; // reused: grown by one row up and down
    for (int i = 0; i < w * h; i++) {
      opened[i] = (byte) (out[i] | (i >= w ? out[i - w] : 0) | (i + w < w * h ? out[i + w] : 0));
    }
    return opened;
  }

  /** Dark within REACH on the nearer side and within SPAN on the other. */
  private static boolean enclosed(int before, int after) {
    return Math.min(before, after) <= REACH && Math.max(before, after) <= SPAN;
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
   * 1 where a pixel lies in a 2×2 block of dark pixels (an outline, not a speck of grain). Built
   * in place: first each dark pixel, then each block's top-left pixel (its anchor: it and its
   * right, lower and lower-right neighbours dark; rows top down, so the neighbours read are still
   * plain dark pixels); then each row ORs in its left
   * neighbour (right to left, so every read sees an anchor not yet overwritten); then each row ORs
   * in the row above (bottom up, likewise). Plain per-row loops over bytes, no per-pixel division.
   */
  private static byte[] darkBlocks(byte[] luma, int w, int h) {
    byte[] d = new byte[w * h];
    for (int i = 0; i < d.length; i++) {
      d[i] = (byte) ((luma[i] & 0xff) <= DARK ? 1 : 0);
    }
    for (int row = 0; row + w < d.length; row += w) {
      for (int i = row; i < row + w - 1; i++) {
        d[i] = (byte) (d[i] & d[i + 1] & d[i + w] & d[i + w + 1]);
      }
      d[row + w - 1] = 0;
    }
    if (h > 0) {
      Arrays.fill(d, (h - 1) * w, h * w, (byte) 0);
    }
    for (int row = 0; row < w * h; row += w) {
      for (int i = row + w - 1; i > row; i--) {
        d[i] |= d[i - 1];
      }
    }
    for (int i = w * h - 1; i >= w; i--) {
      d[i] |= d[i - w];
    }
    return d;
  }

  /**
   * Marks light pixels enclosed by dark left and right; turns {@code dark}
   * into each pixel's distance to the nearest dark pixel above it (itself = 0, capped at FAR).
   */
  private static void enclosedAcross(byte[] luma, byte[] dark, byte[] mask, int w, int h) {
    int[] left = new int[w];
    for (int y = 0; y < h; y++) {
      int row = y * w;
      int last = -FAR;
      for (int x = 0; x < w; x++) {
        if (dark[row + x] != 0) {
          last = x;
        }
        left[x] = x - last;
      }
      int next = w + FAR;
      for (int x = w - 1; x >= 0; x--) {
        if (dark[row + x] != 0) {
          next = x;
        }
        if (enclosed(left[x], next - x) && (luma[row + x] & 0xff) >= LIGHT) {
          mask[row + x] = 1;
        }
      }
    }
    for (int y = 0; y < h; y++) {
      int row = y * w;
      for (int x = 0; x < w; x++) {
        int up = dark[row + x] != 0 ? 0 : y == 0 ? FAR : Math.min(FAR, dark[row - w + x] + 1);
        dark[row + x] = (byte) up;
      }
    }
  }

  /**
   * Adds light pixels enclosed by dark above and below (from the bottom up, tracking the distance
   * to the nearest dark pixel below per column). Returns the mask's size.
   */
  private static int enclosedDown(byte[] luma, byte[] up, byte[] mask, int w, int h) {
    int[] down = new int[w];
    Arrays.fill(down, FAR);
    int count = 0;
    for (int y = h - 1; y >= 0; y--) {
      int row = y * w;
      for (int x = 0; x < w; x++) {
        int i = row + x;
        int u = up[i];
        down[x] = u == 0 ? 0 : Math.min(FAR, down[x] + 1);
        if (mask[i] == 0 && enclosed(u, down[x]) && (luma[i] & 0xff) >= LIGHT) {
          mask[i] = 1;
        }
        count += mask[i];
      }
    }
    return count;
  }
}
