package dev.ocrgate.server.stream;

import dev.ocrgate.server.vision.PixelRect;
import dev.ocrgate.server.vision.RgbImage;
import java.util.Arrays;

/**
 * The light-text pixels of a frame's region, where a burned-in subtitle's fill would be, with
 * the luminance and per-block summaries the change rule compares. Immutable once built.
 *
 * <p>Burned-in subtitles are a light fill (white, yellow: luminance at least {@value #LIGHT} of
 * 255) inside a dark outline or shadow. A pixel is in the mask when it is light and <em>enclosed</em>
 * by dark: a pixel of a dark 2×2 block (luminance at most {@value #DARK}, the outline) lies within
 * {@value #REACH} pixels on both sides of it, left and right or above and below. A stroke of the
 * fill has its outline on both sides; light background next to a subtitle's outline has it on
 * one side only, so moving footage around a subtitle stays out of the mask. Single light pixels
 * count (strokes of small CJK text are one or two pixels wide); a fine light-and-dark texture
 * (ffmpeg's cellauto) enters the mask everywhere, which the blocks below let the rule tell apart.
 *
 * <p>Blocks: the region is cut into {@value #BLOCK}×{@value #BLOCK} blocks (the remainder at the
 * right and bottom joins the last column and row, so every block is at least that size); each
 * keeps its mean luminance and its number of mask pixels.
 *
 * <p>Cost: three passes over the region (luminance and dark blocks; left-right enclosure and the
 * up distances; down distances, mask and blocks), integer arithmetic; two region-sized byte arrays
 * are kept (luminance, mask), one more is scratch.
 */
final class TextMask {
  static final int LIGHT = 200;
  static final int DARK = 40;
  static final int REACH = 4;
  static final int BLOCK = 16;
  /** Distance meaning "no dark pixel within reach" (fits a byte). */
  private static final int FAR = REACH + 1;

  final int width;
  final int height;
  /** Luminance (BT.601, 8 bit) of the region, row-major. */
  final byte[] luma;
  /** 1 where the pixel is light text, else 0. */
  final byte[] mask;
  /** Number of mask pixels. */
  final int count;
  /** Blocks across and down. */
  final int blockCols;
  final int blockRows;
  /** Per block: pixels, sum of luminance, mask pixels. */
  final int[] blockPixels;
  final int[] blockLuma;
  final int[] blockMask;

  private TextMask(int width, int height, byte[] luma, byte[] mask, int count, int blockCols,
      int blockRows, int[] blockPixels, int[] blockLuma, int[] blockMask) {
    this.width = width;
    this.height = height;
    this.luma = luma;
    this.mask = mask;
    this.count = count;
    this.blockCols = blockCols;
    this.blockRows = blockRows;
    this.blockPixels = blockPixels;
    this.blockLuma = blockLuma;
    this.blockMask = blockMask;
  }

  /** The mask of {@code roi} (which must lie inside {@code image}). */
  static TextMask of(RgbImage image, PixelRect roi) {
    int w = roi.width();
    int h = roi.height();
    byte[] luma = luminance(image, roi);
    byte[] scratch = darkBlocks(luma, w, h); // 1 = in a dark 2×2 block
    byte[] mask = new byte[w * h];
    enclosedAcross(luma, scratch, mask, w, h); // mask: 1 = light and enclosed left-right; scratch: up distance
    int cols = Math.max(1, w / BLOCK);
    int rows = Math.max(1, h / BLOCK);
    int[] pixels = new int[cols * rows];
    int[] sums = new int[cols * rows];
    int[] marks = new int[cols * rows];
    int count = enclosedDownAndBlocks(luma, scratch, mask, w, h, cols, rows, pixels, sums, marks);
    return new TextMask(w, h, luma, mask, count, cols, rows, pixels, sums, marks);
  }

  /** The block of pixel (x, y). */
  int blockOf(int x, int y) {
    return Math.min(y / BLOCK, blockRows - 1) * blockCols + Math.min(x / BLOCK, blockCols - 1);
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
   * in place: first each block's top-left pixel, then (backwards, so every read sees an anchor
   * not yet overwritten) each pixel from the four blocks that hold it.
   */
  private static byte[] darkBlocks(byte[] luma, int w, int h) {
    byte[] d = new byte[w * h];
    for (int y = 0; y + 1 < h; y++) {
      int i = y * w;
      boolean prev = (luma[i] & 0xff) <= DARK && (luma[i + w] & 0xff) <= DARK;
      for (int x = 0; x + 1 < w; x++, i++) {
        boolean next = (luma[i + 1] & 0xff) <= DARK && (luma[i + w + 1] & 0xff) <= DARK;
        d[i] = (byte) (prev && next ? 1 : 0);
        prev = next;
      }
    }
    for (int i = w * h - 1; i >= 0; i--) {
      int x = i % w;
      boolean left = x > 0;
      boolean up = i >= w;
      d[i] = (byte) (d[i] != 0 || (left && d[i - 1] != 0) || (up && d[i - w] != 0)
          || (left && up && d[i - w - 1] != 0) ? 1 : 0);
    }
    return d;
  }

  /**
   * Marks light pixels with dark within reach on the left and on the right; turns {@code dark}
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
        if (left[x] <= REACH && next - x <= REACH && (luma[row + x] & 0xff) >= LIGHT) {
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
   * Adds light pixels with dark within reach above and below (from the bottom up, tracking the
   * distance to the nearest dark pixel below per column), then counts the mask and fills the
   * blocks. Returns the mask's size.
   */
  private static int enclosedDownAndBlocks(byte[] luma, byte[] up, byte[] mask, int w, int h,
      int cols, int rows, int[] pixels, int[] sums, int[] marks) {
    int[] down = new int[w];
    Arrays.fill(down, FAR);
    int count = 0;
    for (int y = h - 1; y >= 0; y--) {
      int row = y * w;
      int blockRow = Math.min(y / BLOCK, rows - 1) * cols;
      for (int x = 0; x < w; x++) {
        int i = row + x;
        int u = up[i];
        down[x] = u == 0 ? 0 : Math.min(FAR, down[x] + 1);
        if (mask[i] == 0 && u <= REACH && down[x] <= REACH && (luma[i] & 0xff) >= LIGHT) {
          mask[i] = 1;
        }
        int b = blockRow + Math.min(x / BLOCK, cols - 1);
        pixels[b]++;
        sums[b] += luma[i] & 0xff;
        if (mask[i] != 0) {
          marks[b]++;
          count++;
        }
      }
    }
    return count;
  }
}
