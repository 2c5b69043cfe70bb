package dev.ocrgate.server.stream;

import dev.ocrgate.server.vision.PixelRect;
import dev.ocrgate.server.vision.RgbImage;

/**
 * The mean colour of each {@value #SIZE}×{@value #SIZE} block of a frame's region (blocks at the
 * right and bottom edges may be smaller). Immutable.
 *
 * <p>Blocks, not pixels: video codecs store colour at half resolution and add noise to it, so
 * single pixels of an unchanged frame move by 30 levels and more; a block's mean moves by a
 * fraction of that, while a text stroke crossing it still moves it by tens of levels.
 */
final class BlockColours {
  static final int SIZE = 4;

  private final int cols;
  private final int rows;
  private final int width;
  private final int height;
  /** Per block: the R, G, B sums. */
  private final int[] sums;

  private BlockColours(int cols, int rows, int width, int height, int[] sums) {
    this.cols = cols;
    this.rows = rows;
    this.width = width;
    this.height = height;
    this.sums = sums;
  }

  static BlockColours of(RgbImage image, PixelRect roi) {
    int cols = (roi.width() + SIZE - 1) / SIZE;
    int rows = (roi.height() + SIZE - 1) / SIZE;
    int[] sums = new int[cols * rows * 3];
    byte[] px = image.data();
    int stride = image.width() * 3;
    for (int y = 0; y < roi.height(); y++) {
      int p = (roi.y() + y) * stride + roi.x() * 3;
      int row = (y / SIZE) * cols;
      for (int x = 0; x < roi.width(); x++, p += 3) {
        int b = (row + x / SIZE) * 3;
        sums[b] += px[p] & 0xff;
        sums[b + 1] += px[p + 1] & 0xff;
        sums[b + 2] += px[p + 2] & 0xff;
      }
    }
    return new BlockColours(cols, rows, roi.width(), roi.height(), sums);
  }

  /**
   * Pixels of the blocks (of two regions of one size) where some channel's mean moved by more
   * than {@code step}; counting stops once past {@code limit}.
   */
  long changedPixels(BlockColours other, int step, long limit) {
    long changed = 0;
    for (int r = 0; r < rows && changed <= limit; r++) {
      int h = Math.min(SIZE, height - r * SIZE);
      for (int c = 0; c < cols; c++) {
        int n = h * Math.min(SIZE, width - c * SIZE);
        int b = (r * cols + c) * 3;
        if (moved(sums[b], other.sums[b], n, step) || moved(sums[b + 1], other.sums[b + 1], n, step)
            || moved(sums[b + 2], other.sums[b + 2], n, step)) {
          changed += n;
        }
      }
    }
    return changed;
  }

  private static boolean moved(int sumA, int sumB, int n, int step) {
    return Math.abs(sumA - sumB) > step * n;
  }
}
