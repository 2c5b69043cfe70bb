package dev.ocrgate.cues;

/**
 * When two boxes of text stand side by side on one row, and when two rows are stacked lines of
 * one block of text: the rules behind the server's subtitle rows (which detected lines form a
 * row, which rows are subtitle text) and the cue rules' lines ({@link SubtitleLines}: a line the
 * detector cut into several boxes, the lines of one subtitle).
 *
 * <p>Boxes are given by their bounds in frame pixels and a line height (a single line's: its box
 * height; a row's: its tallest line's). They share a row when they overlap vertically by at least
 * {@value #SAME_HEIGHT} of the lower line height, and the horizontal gap between them (negative
 * when they overlap) is at most {@value #MAX_GAP} of the taller one: word gaps are well under one
 * line height, while a corner logo or clock at the same height stands farther off.
 *
 * <p>Two rows are stacked when they overlap horizontally and the vertical gap between them is at
 * most {@value #MAX_STACK_GAP} of the taller one's line height (the spacing of a subtitle's lines
 * is well under one). Stateless.
 */
public final class Rows {
  /** Vertical overlap needed, as a share of the lower line height. */
  public static final double SAME_HEIGHT = 0.5;
  /** Longest horizontal gap inside a row, in line heights of the taller one. */
  public static final double MAX_GAP = 1.5;
  /** Longest vertical gap between stacked rows, in line heights of the taller one. */
  public static final double MAX_STACK_GAP = 1.0;

  private Rows() {}

  /** Whether box a (left, top, right, bottom; line height) and box b share a row. */
  public static boolean sameRow(double aLeft, double aTop, double aRight, double aBottom, double aHeight,
      double bLeft, double bTop, double bRight, double bBottom, double bHeight) {
    double overlap = Math.min(aBottom, bBottom) - Math.max(aTop, bTop);
    double gap = Math.max(bLeft - aRight, aLeft - bRight);
    return overlap >= SAME_HEIGHT * Math.min(aHeight, bHeight) && gap <= MAX_GAP * Math.max(aHeight, bHeight);
  }

  /** Whether box a (left, top, right, bottom; line height) and box b are stacked lines of one block. */
  public static boolean stacked(double aLeft, double aTop, double aRight, double aBottom, double aHeight,
      double bLeft, double bTop, double bRight, double bBottom, double bHeight) {
    double gap = Math.max(bTop - aBottom, aTop - bBottom);
    return aLeft < bRight && bLeft < aRight && gap <= MAX_STACK_GAP * Math.max(aHeight, bHeight);
  }
}
