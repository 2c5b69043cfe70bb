package dev.ocrgate.cues;

import java.util.ArrayDeque;

/**
 * Whether a stream's subtitles are aligned to one side, learned from their rows: the rule behind
 * the server's aligned subtitle rows (a short left-aligned line, {@code Go on.}, reaches neither
 * the central strip nor a line it could be stacked on) and the cue rules' place of short texts
 * ({@link SubtitleLines}), so both answer such a line alike.
 *
 * <p>The rule: the latest {@value #ROWS} distinct subtitle rows become aligned to the left when
 * their left edges lie within {@value #SLACK} line heights of each other while their right edges
 * spread over at least twice that spread plus {@value #SPREAD} line heights: lines of different
 * widths with one edge in common (libass {@code Alignment} 1, 4 or 7). The same mirrored for the
 * right. Centred lines spread both edges alike, so they align neither side while the detector's
 * jitter on an edge stays under {@value #SPREAD} line heights. Once aligned, the rows stay aligned
 * while their edges on that side stay within the slack (a run of lines of one width does not end
 * it; a row off the edge does). A row with the text of the last one (the same line read again in
 * the next frame) teaches nothing. The edge is the mean of the rows'. A row is at the edge when
 * its own edge on that side lies within {@value #SLACK} of its line height from it.
 *
 * <p>Boxes are in frame pixels, as in {@link Rows}. Cost: O({@value #ROWS}) per row learned;
 * bounded state. Not thread-safe.
 */
public final class AlignedEdges {
  /** Distinct rows the alignment is judged on. */
  public static final int ROWS = 3;
  /** Spread of the shared edge, and distance of a row from it, in line heights. */
  public static final double SLACK = 0.5;
  /** Extra spread the other edge needs beyond twice the shared one's, in line heights. */
  public static final double SPREAD = 0.25;

  /** The latest distinct rows' {left, right, line height}, oldest first. */
  private final ArrayDeque<double[]> rows = new ArrayDeque<>();
  private String lastText;
  private double left = Double.NaN;
  private double right = Double.NaN;

  /** Learns one subtitle row: its left and right edges and line height (pixels), and its text. */
  public void learn(double x0, double x1, double lineHeight, String text) {
    if (text.equals(lastText)) {
      return;
    }
    lastText = text;
    if (rows.size() == ROWS) {
      rows.removeFirst();
    }
    rows.addLast(new double[] {x0, x1, lineHeight});
    if (rows.size() < ROWS) {
      return;
    }
    double lh = lineHeight();
    double leftSpread = spread(0);
    double rightSpread = spread(1);
    boolean leftShared = leftSpread <= SLACK * lh;
    boolean rightShared = rightSpread <= SLACK * lh;
    left = leftShared && (!Double.isNaN(left) || rightSpread >= 2 * leftSpread + SPREAD * lh) ? mean(0) : Double.NaN;
    right = Double.isNaN(left) && rightShared && (!Double.isNaN(right) || leftSpread >= 2 * rightSpread + SPREAD * lh)
        ? mean(1) : Double.NaN;
  }

  /** Forgets every row (a new search for the subtitles' place). */
  public void clear() {
    rows.clear();
    lastText = null;
    left = Double.NaN;
    right = Double.NaN;
  }

  /** The left edge the subtitles are aligned to, pixels; NaN when they are not left-aligned. */
  public double left() {
    return left;
  }

  /** The right edge the subtitles are aligned to, pixels; NaN when they are not right-aligned. */
  public double right() {
    return right;
  }

  /** The largest line height of the rows judged on (0 before any), pixels. */
  public double lineHeight() {
    double lh = 0;
    for (double[] r : rows) {
      lh = Math.max(lh, r[2]);
    }
    return lh;
  }

  /**
   * Whether a row ({@code x0}, {@code x1}, {@code lineHeight}: pixels) starts at {@code leftEdge}
   * or ends at {@code rightEdge} (pixels; NaN: no such edge), within {@value #SLACK} of its line
   * height.
   */
  public static boolean atEdge(double x0, double x1, double lineHeight, double leftEdge, double rightEdge) {
    double slack = SLACK * lineHeight;
    return Math.abs(x0 - leftEdge) <= slack || Math.abs(x1 - rightEdge) <= slack;
  }

  /**
   * Whether a row ({@code x0}, {@code x1}, {@code lineHeight}: pixels) may hold a row {@link
   * #atEdge at an edge}: it overlaps the interval within {@value #SLACK} of its line height around
   * {@code leftEdge} or {@code rightEdge}. A row of several boxes that fails this holds no part
   * (fewer boxes, a lower line height) that passes {@link #atEdge}.
   */
  public static boolean mayHoldEdge(double x0, double x1, double lineHeight, double leftEdge, double rightEdge) {
    double slack = SLACK * lineHeight;
    return (x0 <= leftEdge + slack && x1 >= leftEdge - slack) || (x0 <= rightEdge + slack && x1 >= rightEdge - slack);
  }

  private double spread(int side) {
    double min = Double.MAX_VALUE;
    double max = -Double.MAX_VALUE;
    for (double[] r : rows) {
      min = Math.min(min, r[side]);
      max = Math.max(max, r[side]);
    }
    return max - min;
  }

  private double mean(int side) {
    double sum = 0;
    for (double[] r : rows) {
      sum += r[side];
    }
    return sum / rows.size();
  }
}
