package dev.ocrgate.server.vision;

/**
 * DB's "fast" box score: the mean probability over the pixels of a convex quadrilateral,
 * rasterised row by row (pixel centres on or inside the edges count, as with a filled polygon).
 * Stateless.
 */
final class BoxScore {
  private BoxScore() {}

  static double mean(float[] map, int offset, int stride, int w, int h, double[][] quad) {
    double minY = Double.MAX_VALUE;
    double maxY = -Double.MAX_VALUE;
    for (double[] p : quad) {
      minY = Math.min(minY, p[1]);
      maxY = Math.max(maxY, p[1]);
    }
    int y0 = clamp((int) Math.floor(minY), h - 1);
    int y1 = clamp((int) Math.ceil(maxY), h - 1);
    double sum = 0;
    long n = 0;
    for (int y = y0; y <= y1; y++) {
      double[] span = span(quad, y);
      if (span == null) {
        continue;
      }
      int x0 = clamp((int) Math.ceil(span[0] - 1e-6), w - 1);
      int x1 = clamp((int) Math.floor(span[1] + 1e-6), w - 1);
      int row = offset + y * stride;
      for (int x = x0; x <= x1; x++) {
        sum += map[row + x];
      }
      n += Math.max(0, x1 - x0 + 1);
    }
    return n == 0 ? 0 : sum / n;
  }

  /** The x interval where the horizontal line at {@code y} crosses the polygon, or null. */
  private static double[] span(double[][] quad, double y) {
    double lo = Double.MAX_VALUE;
    double hi = -Double.MAX_VALUE;
    for (int i = 0; i < 4; i++) {
      double[] a = quad[i];
      double[] b = quad[(i + 1) % 4];
      if ((y < Math.min(a[1], b[1])) || (y > Math.max(a[1], b[1]))) {
        continue;
      }
      if (a[1] == b[1]) {
        lo = Math.min(lo, Math.min(a[0], b[0]));
        hi = Math.max(hi, Math.max(a[0], b[0]));
      } else {
        double x = a[0] + (y - a[1]) * (b[0] - a[0]) / (b[1] - a[1]);
        lo = Math.min(lo, x);
        hi = Math.max(hi, x);
      }
    }
    return lo > hi ? null : new double[] {lo, hi};
  }

  private static int clamp(int v, int max) {
    return v < 0 ? 0 : Math.min(v, max);
  }
}
