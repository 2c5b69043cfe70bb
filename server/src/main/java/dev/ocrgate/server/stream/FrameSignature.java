package dev.ocrgate.server.stream;

import dev.ocrgate.server.vision.PixelRect;
import dev.ocrgate.server.vision.RgbImage;

/**
 * A downscaled grayscale copy of a frame's region (at most {@value #GRID_W}×{@value #GRID_H}
 * cells, each the mean luminance of its pixels), used to tell whether a frame changed since the
 * last one that was read. Immutable.
 *
 * <p>Cost: one pass over the region's pixels with integer arithmetic, two small arrays.
 */
public final class FrameSignature {
  static final int GRID_W = 64;
  static final int GRID_H = 16;

  private final int cols;
  private final int rows;
  private final float[] cells;

  private FrameSignature(int cols, int rows, float[] cells) {
    this.cols = cols;
    this.rows = rows;
    this.cells = cells;
  }

  /** The signature of {@code region} (which must lie inside {@code image}). */
  public static FrameSignature of(RgbImage image, PixelRect region) {
    int w = region.width();
    int h = region.height();
    int cols = Math.min(GRID_W, w);
    int rows = Math.min(GRID_H, h);
    int[] cellOfColumn = new int[w];
    for (int x = 0; x < w; x++) {
      cellOfColumn[x] = (int) ((long) x * cols / w);
    }
    long[] sums = new long[cols * rows];
    int[] counts = new int[cols * rows];
    byte[] px = image.data();
    int stride = image.width() * 3;
    for (int y = 0; y < h; y++) {
      int rowBase = ((int) ((long) y * rows / h)) * cols;
      int p = (region.y() + y) * stride + region.x() * 3;
      for (int x = 0; x < w; x++, p += 3) {
        int gray = luma(px, p);
        int cell = rowBase + cellOfColumn[x];
        sums[cell] += gray;
        counts[cell]++;
      }
    }
    float[] cells = new float[sums.length];
    for (int i = 0; i < cells.length; i++) {
      cells[i] = (float) sums[i] / counts[i];
    }
    return new FrameSignature(cols, rows, cells);
  }

  /**
   * Mean absolute difference to {@code other} in [0, 1] (0 = identical); 1 when the grids differ
   * (the region changed size).
   */
  public double difference(FrameSignature other) {
    if (other.cols != cols || other.rows != rows) {
      return 1.0;
    }
    double sum = 0;
    for (int i = 0; i < cells.length; i++) {
      sum += Math.abs(cells[i] - other.cells[i]);
    }
    return sum / cells.length / 255.0;
  }

  /** BT.601 luminance, 8 bit, of the RGB pixel at {@code p}: the one rule the stream's change checks use. */
  static int luma(byte[] px, int p) {
    return (77 * (px[p] & 0xff) + 150 * (px[p + 1] & 0xff) + 29 * (px[p + 2] & 0xff)) >> 8;
  }
}
