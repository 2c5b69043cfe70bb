package dev.ocrgate.cues;

/**
 * When two boxes of text stand side by side on one row: the one rule behind the server's subtitle
 * rows (which detected lines form a row, and so which rows are subtitle text) and the cue rules'
 * joining of a line the detector cut into several boxes ({@link SubtitleLines}).
 *
 * <p>Boxes are given by their bounds in frame pixels and a line height (a single line's: its box
 * height; a row's: its tallest line's). They share a row when they overlap vertically by at least
 * {@value #SAME_HEIGHT} of the lower line height, and the horizontal gap between them (negative
 * when they overlap) is at most {@value #MAX_GAP} of the taller one: word gaps are well under one
 * line height, while a corner logo or clock at the same height stands farther off. Stateless.
 */
public final class Rows {
  /** Vertical overlap needed, as a share of the lower line height. */
  public static final double SAME_HEIGHT = 0.5;
  /** Longest horizontal gap inside a row, in line heights of the taller one. */
  public static final double MAX_GAP = 1.5;

  private Rows() {}

  /** Whether box a (left, top, right, bottom; line height) and box b share a row. */
  public static boolean sameRow(double aLeft, double aTop, double aRight, double aBottom, double aHeight,
      double bLeft, double bTop, double bRight, double bBottom, double bHeight) {
    double overlap = Math.min(aBottom, bBottom) - Math.max(aTop, bTop);
    double gap = Math.max(bLeft - aRight, aLeft - bRight);
    return overlap >= SAME_HEIGHT * Math.min(aHeight, bHeight) && gap <= MAX_GAP * Math.max(aHeight, bHeight);
  }
}
