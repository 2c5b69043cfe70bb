package dev.ocrgate.server.vision;

import java.util.Arrays;
import java.util.Comparator;

/**
 * A rectangle of any orientation: centre, unit axis {@code (ux, uy)} along {@code width}, and
 * {@code height} along the perpendicular. Immutable.
 */
record RotatedRect(double cx, double cy, double ux, double uy, double width, double height) {

  /** The same rectangle grown by {@code d} on every side. */
  RotatedRect grow(double d) {
    return new RotatedRect(cx, cy, ux, uy, width + 2 * d, height + 2 * d);
  }

  /** The shorter side. */
  double shortSide() {
    return Math.min(width, height);
  }

  /**
   * The corners ordered as the DB reference post-processing orders them: of the two leftmost
   * corners the upper one first, then of the two rightmost the upper, the lower, and finally the
   * lower left one (top-left, top-right, bottom-right, bottom-left for text that is roughly
   * horizontal).
   */
  double[][] orderedCorners() {
    double hx = ux * width / 2;
    double hy = uy * width / 2;
    double vx = -uy * height / 2;
    double vy = ux * height / 2;
    double[][] p = {
      {cx - hx - vx, cy - hy - vy},
      {cx + hx - vx, cy + hy - vy},
      {cx + hx + vx, cy + hy + vy},
      {cx - hx + vx, cy - hy + vy},
    };
    Arrays.sort(p, Comparator.comparingDouble((double[] q) -> q[0]));
    double[] tl = p[0][1] <= p[1][1] ? p[0] : p[1];
    double[] bl = p[0][1] <= p[1][1] ? p[1] : p[0];
    double[] tr = p[2][1] <= p[3][1] ? p[2] : p[3];
    double[] br = p[2][1] <= p[3][1] ? p[3] : p[2];
    return new double[][] {tl, tr, br, bl};
  }
}
