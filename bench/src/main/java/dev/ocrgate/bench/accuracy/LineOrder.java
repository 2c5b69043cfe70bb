package dev.ocrgate.bench.accuracy;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Joins the lines a system returned into page text, in two ways:
 *
 * <ul>
 *   <li>{@link #asReturned}: the system's own order — what a client gets, so the primary CER
 *       includes each system's reading-order mistakes;
 *   <li>{@link #geometric}: one common order for every system — boxes grouped into rows (a box
 *       joins a row when its vertical centre lies inside the row's first box's vertical extent),
 *       rows top to bottom, boxes left to right within a row. CER on this text isolates
 *       recognition from each system's ordering.
 * </ul>
 *
 * <p>The reference (pdftotext -layout) is one row per text line; a system that splits a row into
 * several boxes joins them back here with a space, which normalisation makes harmless.
 */
public final class LineOrder {
  private LineOrder() {}

  public static String asReturned(List<OcrLine> lines) {
    StringBuilder sb = new StringBuilder();
    for (OcrLine l : lines) {
      sb.append(l.text()).append('\n');
    }
    return sb.toString();
  }

  public static String geometric(List<OcrLine> lines) {
    List<OcrLine> byTop = new ArrayList<>(lines);
    byTop.sort(Comparator.comparingDouble(OcrLine::centerY));
    StringBuilder sb = new StringBuilder();
    int i = 0;
    while (i < byTop.size()) {
      OcrLine first = byTop.get(i);
      List<OcrLine> row = new ArrayList<>();
      while (i < byTop.size() && byTop.get(i).centerY() <= first.maxY()) {
        row.add(byTop.get(i++));
      }
      row.sort(Comparator.comparingDouble(OcrLine::minX));
      for (OcrLine l : row) {
        sb.append(l.text()).append(' ');
      }
      sb.append('\n');
    }
    return sb.toString();
  }
}
