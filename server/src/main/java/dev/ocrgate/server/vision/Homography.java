package dev.ocrgate.server.vision;

/**
 * The projective transform taking the corners of a {@code w} × {@code h} rectangle ((0,0), (w,0),
 * (w,h), (0,h)) to a quadrilateral's corners, found by solving the usual 8 × 8 linear system
 * with partial pivoting. Stateless.
 */
final class Homography {
  private Homography() {}

  /** Row-major 3 × 3 matrix (m[8] = 1) mapping rectangle coordinates to {@code q}'s. */
  static double[] mapRect(int w, int h, Quad q) {
    double[] sx = {0, w, w, 0};
    double[] sy = {0, 0, h, h};
    double[][] a = new double[8][9];
    for (int i = 0; i < 4; i++) {
      double x = sx[i];
      double y = sy[i];
      double u = q.x(i);
      double v = q.y(i);
      a[2 * i] = new double[] {x, y, 1, 0, 0, 0, -u * x, -u * y, u};
      a[2 * i + 1] = new double[] {0, 0, 0, x, y, 1, -v * x, -v * y, v};
    }
    double[] sol = solve(a);
    return new double[] {sol[0], sol[1], sol[2], sol[3], sol[4], sol[5], sol[6], sol[7], 1};
  }

  private static double[] solve(double[][] a) {
    int n = 8;
    for (int col = 0; col < n; col++) {
      int pivot = col;
      for (int r = col + 1; r < n; r++) {
        if (Math.abs(a[r][col]) > Math.abs(a[pivot][col])) {
          pivot = r;
        }
      }
      double[] t = a[col];
      a[col] = a[pivot];
      a[pivot] = t;
      double p = a[col][col];
      if (Math.abs(p) < 1e-12) {
        throw new IllegalArgumentException("degenerate quadrilateral");
      }
      for (int r = 0; r < n; r++) {
        if (r == col) {
          continue;
        }
        double f = a[r][col] / p;
        for (int c = col; c <= n; c++) {
          a[r][c] -= f * a[col][c];
        }
      }
    }
    double[] x = new double[n];
    for (int i = 0; i < n; i++) {
      x[i] = a[i][n] / a[i][i];
    }
    return x;
  }
}
