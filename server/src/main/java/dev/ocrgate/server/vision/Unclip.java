package dev.ocrgate.server.vision;

/**
 * The DB unclip rule: a detected text region of w × h grows by {@code w·h·ratio / (2(w + h))} on
 * every side ({@link DbPostProcessor}), and its inverse, so that a box grown with one ratio can be
 * turned into the box another ratio would have given ({@link #regrow}). Stateless.
 */
public final class Unclip {
  private Unclip() {}

  /** How far a w × h region grows on every side at {@code ratio} (area · ratio / perimeter). */
  public static double distance(double w, double h, double ratio) {
    return w * h * ratio / (2 * (w + h));
  }

  /**
   * The distance a region grew by when it is {@code grownW × grownH} after unclipping at
   * {@code ratio}: the smaller root of {@code d = (W − 2d)(H − 2d)·ratio / (2(W + H − 4d))}, that
   * is {@code (8 + 4r)d² − 2(1 + r)(W + H)d + rWH = 0}.
   */
  public static double grownBy(double grownW, double grownH, double ratio) {
    double a = 8 + 4 * ratio;
    double b = 2 * (1 + ratio) * (grownW + grownH);
    double c = ratio * grownW * grownH;
    double disc = Math.max(0, b * b - 4 * a * c);
    return Math.max(0, (b - Math.sqrt(disc)) / (2 * a));
  }

  /**
   * {@code box}, grown at {@code ratio}, as it would have been grown at {@code newRatio} (smaller
   * ratios give a tighter box; never inset past a 1-pixel-high box), its corners rounded to whole
   * pixels as {@link DbPostProcessor} rounds them (a crop between pixels is a blurred crop, and the
   * recogniser reads blurred Latin text worse). Exact for the rectangles it reports, up to that
   * rounding.
   */
  public static Quad regrow(Quad box, double ratio, double newRatio) {
    double w = (box.side(0, 1) + box.side(3, 2)) / 2;
    double h = box.height();
    double d = grownBy(w, h, ratio);
    double inset = d - d * newRatio / ratio;
    inset = Math.min(inset, (Math.min(w, h) - 1) / 2);
    return box.inset((float) inset).rounded();
  }
}
