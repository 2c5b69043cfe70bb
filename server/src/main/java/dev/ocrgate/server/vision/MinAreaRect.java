package dev.ocrgate.server.vision;

import java.util.Arrays;

/**
 * Convex hull (Andrew's monotone chain) and the minimum-area enclosing rectangle of a point set
 * (rotating calipers: the optimal rectangle has a side collinear with a hull edge, so each edge
 * direction is tried). Stateless; thread-safe.
 */
final class MinAreaRect {
  private MinAreaRect() {}

  /**
   * The minimum-area rectangle around points {@code (xs[i], ys[i])}, i < n. Degenerate sets
   * (one point, collinear points) give a rectangle with zero height.
   */
  static RotatedRect of(double[] xs, double[] ys, int n) {
    double[] hull = hull(xs, ys, n);
    int m = hull.length / 2;
    if (m == 1) {
      return new RotatedRect(hull[0], hull[1], 1, 0, 0, 0);
    }
    RotatedRect best = null;
    double bestArea = Double.MAX_VALUE;
    for (int i = 0; i < m; i++) {
      int j = (i + 1) % m;
      double ex = hull[2 * j] - hull[2 * i];
      double ey = hull[2 * j + 1] - hull[2 * i + 1];
      double len = Math.hypot(ex, ey);
      if (len == 0) {
        continue;
      }
      RotatedRect r = alongAxis(hull, m, ex / len, ey / len);
      double area = r.width() * r.height();
      if (area < bestArea) {
        bestArea = area;
        best = r;
      }
    }
    return best != null ? best : new RotatedRect(hull[0], hull[1], 1, 0, 0, 0);
  }

  private static RotatedRect alongAxis(double[] hull, int m, double ux, double uy) {
    double minU = Double.MAX_VALUE;
    double maxU = -Double.MAX_VALUE;
    double minV = Double.MAX_VALUE;
    double maxV = -Double.MAX_VALUE;
    for (int k = 0; k < m; k++) {
      double x = hull[2 * k];
      double y = hull[2 * k + 1];
      double u = x * ux + y * uy;
      double v = -x * uy + y * ux;
      minU = Math.min(minU, u);
      maxU = Math.max(maxU, u);
      minV = Math.min(minV, v);
      maxV = Math.max(maxV, v);
    }
    double cu = (minU + maxU) / 2;
    double cv = (minV + maxV) / 2;
    double cx = cu * ux - cv * uy;
    double cy = cu * uy + cv * ux;
    return new RotatedRect(cx, cy, ux, uy, maxU - minU, maxV - minV);
  }

  /** Convex hull as x,y pairs, counter-clockwise in image coordinates, no repeated points. */
  static double[] hull(double[] xs, double[] ys, int n) {
    Integer[] idx = new Integer[n];
    for (int i = 0; i < n; i++) {
      idx[i] = i;
    }
    Arrays.sort(idx, (a, b) -> xs[a] != xs[b] ? Double.compare(xs[a], xs[b]) : Double.compare(ys[a], ys[b]));
    int[] h = new int[2 * n + 1];
    int k = 0;
    for (int t = 0; t < n; t++) {
      int p = idx[t];
      while (k >= 2 && cross(xs, ys, h[k - 2], h[k - 1], p) <= 0) {
        k--;
      }
      h[k++] = p;
    }
    for (int t = n - 2, lower = k + 1; t >= 0; t--) {
      int p = idx[t];
      while (k >= lower && cross(xs, ys, h[k - 2], h[k - 1], p) <= 0) {
        k--;
      }
      h[k++] = p;
    }
    int m = Math.max(1, k - 1);
    double[] out = new double[2 * m];
    for (int i = 0; i < m; i++) {
      out[2 * i] = xs[h[i]];
      out[2 * i + 1] = ys[h[i]];
    }
    return out;
  }

  private static double cross(double[] xs, double[] ys, int o, int a, int b) {
    return (xs[a] - xs[o]) * (ys[b] - ys[o]) - (ys[a] - ys[o]) * (xs[b] - xs[o]);
  }
}
