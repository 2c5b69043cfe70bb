package dev.ocrgate.server.vision;

/**
 * A quadrilateral around a line of text: top-left, top-right, bottom-right, bottom-left (as the
 * text is read), in pixels. Immutable.
 */
public final class Quad {
  private final float[] xy;

  private Quad(float[] xy) {
    this.xy = xy;
  }

  /** From four corners in the order top-left, top-right, bottom-right, bottom-left. */
  public static Quad of(float x0, float y0, float x1, float y1, float x2, float y2, float x3, float y3) {
    return new Quad(new float[] {x0, y0, x1, y1, x2, y2, x3, y3});
  }

  /** The axis-aligned rectangle {@code r}. */
  public static Quad of(PixelRect r) {
    float x1 = r.x() + r.width();
    float y1 = r.y() + r.height();
    return of(r.x(), r.y(), x1, r.y(), x1, y1, r.x(), y1);
  }

  /** X of corner {@code i} (0 = top-left … 3 = bottom-left). */
  public float x(int i) {
    return xy[2 * i];
  }

  /** Y of corner {@code i}. */
  public float y(int i) {
    return xy[2 * i + 1];
  }

  /** This quad moved by (dx, dy). */
  public Quad translate(float dx, float dy) {
    float[] out = xy.clone();
    for (int i = 0; i < 4; i++) {
      out[2 * i] += dx;
      out[2 * i + 1] += dy;
    }
    return new Quad(out);
  }

  /**
   * This quad moved inwards by {@code d} on every side (outwards when negative): each corner moves
   * {@code d} along both of its sides. Exact for rectangles, which is what detection reports.
   */
  public Quad inset(float d) {
    float[] out = new float[8];
    for (int i = 0; i < 4; i++) {
      int next = (i + 1) % 4;
      int prev = (i + 3) % 4;
      float toNext = side(i, next);
      float toPrev = side(i, prev);
      float x = x(i);
      float y = y(i);
      if (toNext > 0) {
        x += d * (x(next) - x(i)) / toNext;
        y += d * (y(next) - y(i)) / toNext;
      }
      if (toPrev > 0) {
        x += d * (x(prev) - x(i)) / toPrev;
        y += d * (y(prev) - y(i)) / toPrev;
      }
      out[2 * i] = x;
      out[2 * i + 1] = y;
    }
    return new Quad(out);
  }

  /** This quad with its corners rounded to whole pixels. */
  public Quad rounded() {
    float[] out = new float[8];
    for (int i = 0; i < 8; i++) {
      out[i] = Math.round(xy[i]);
    }
    return new Quad(out);
  }

  /** Length of the side from corner i to corner j. */
  public float side(int i, int j) {
    return (float) Math.hypot(x(j) - x(i), y(j) - y(i));
  }

  /** Mean of the left and right side lengths: the text line's height. */
  public float height() {
    return (side(0, 3) + side(1, 2)) / 2f;
  }

  /** Y of the centre. */
  public float centerY() {
    return (y(0) + y(1) + y(2) + y(3)) / 4f;
  }

  /** X of the centre. */
  public float centerX() {
    return (x(0) + x(1) + x(2) + x(3)) / 4f;
  }

  /** Smallest x of the four corners. */
  public float minX() {
    return Math.min(Math.min(x(0), x(1)), Math.min(x(2), x(3)));
  }

  /** Largest x. */
  public float maxX() {
    return Math.max(Math.max(x(0), x(1)), Math.max(x(2), x(3)));
  }

  /** Smallest y. */
  public float minY() {
    return Math.min(Math.min(y(0), y(1)), Math.min(y(2), y(3)));
  }

  /** Largest y. */
  public float maxY() {
    return Math.max(Math.max(y(0), y(1)), Math.max(y(2), y(3)));
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("Quad[");
    for (int i = 0; i < 4; i++) {
      sb.append(i == 0 ? "" : " ").append('(').append(x(i)).append(',').append(y(i)).append(')');
    }
    return sb.append(']').toString();
  }
}
