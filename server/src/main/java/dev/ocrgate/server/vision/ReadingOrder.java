package dev.ocrgate.server.vision;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Sorts boxes into reading order: rows top to bottom, boxes in a row left to right. A box joins
 * the current row when its vertical centre is within half the smaller of the two heights of the
 * row's last box centre, so words of one line stay together even when the line is slightly
 * tilted, and lines stacked closely stay apart. Stateless.
 */
public final class ReadingOrder {
  private ReadingOrder() {}

  /** Indices of {@code boxes} in reading order. */
  public static int[] order(List<Quad> boxes) {
    int n = boxes.size();
    List<Integer> byY = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      byY.add(i);
    }
    byY.sort(Comparator.comparingDouble((Integer i) -> boxes.get(i).centerY())
        .thenComparingDouble(i -> boxes.get(i).minX()));
    int[] out = new int[n];
    int written = 0;
    List<Integer> row = new ArrayList<>();
    for (int i : byY) {
      if (!row.isEmpty() && !sameRow(boxes.get(row.get(row.size() - 1)), boxes.get(i))) {
        written = flush(boxes, row, out, written);
      }
      row.add(i);
    }
    flush(boxes, row, out, written);
    return out;
  }

  private static boolean sameRow(Quad a, Quad b) {
    float tolerance = Math.min(a.height(), b.height()) / 2f;
    return Math.abs(a.centerY() - b.centerY()) <= tolerance;
  }

  private static int flush(List<Quad> boxes, List<Integer> row, int[] out, int written) {
    row.sort(Comparator.comparingDouble((Integer i) -> boxes.get(i).minX()));
    for (int i : row) {
      out[written++] = i;
    }
    row.clear();
    return written;
  }
}
