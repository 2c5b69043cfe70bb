package dev.ocrgate.server.stream;

import dev.ocrgate.api.v1.Point;
import dev.ocrgate.api.v1.TextLine;
import dev.ocrgate.cues.Rows;
import dev.ocrgate.server.vision.Quad;
import java.util.ArrayList;
import java.util.List;

/**
 * A frame's lines grouped into rows: lines side by side at one height and close together
 * ({@link Rows#sameRow}, the rule the cue rules join a cut line by: a subtitle line the detector
 * split at a wide gap is one row; a corner logo at the same height is another). A line joins the
 * first row whose bounds and tallest line it shares a row with. Lines without a box belong to no
 * row. Stateless.
 */
final class TextRows {
  private TextRows() {}

  /**
   * One row: the indexes of its lines in the result, its bounding box in whole-frame pixels, and
   * the height of its tallest line.
   */
  static final class Row {
    final List<Integer> lines = new ArrayList<>();
    double x0;
    double y0;
    double x1;
    double y1;
    double lineHeight;

    private Row(int line, double[] box) {
      lines.add(line);
      x0 = box[0];
      y0 = box[1];
      x1 = box[2];
      y1 = box[3];
      lineHeight = box[3] - box[1];
    }

    double centerY() {
      return (y0 + y1) / 2;
    }

    private boolean takes(double[] box) {
      return Rows.sameRow(x0, y0, x1, y1, lineHeight, box[0], box[1], box[2], box[3], box[3] - box[1]);
    }

    private void add(int line, double[] box) {
      lines.add(line);
      x0 = Math.min(x0, box[0]);
      y0 = Math.min(y0, box[1]);
      x1 = Math.max(x1, box[2]);
      y1 = Math.max(y1, box[3]);
      lineHeight = Math.max(lineHeight, box[3] - box[1]);
    }
  }

  /** The rows of {@code lines}, in the order their first line appears. */
  static List<Row> of(List<TextLine> lines) {
    return group(lines.stream().map(TextRows::bounds).toList());
  }

  /** The rows of detected boxes (whole-frame pixels), grouped as {@link #of} groups lines. */
  static List<Row> ofBoxes(List<Quad> boxes) {
    return group(boxes.stream().map(TextRows::bounds).toList());
  }

  /** Rows of {x0, y0, x1, y1} boxes (null: no box), in the order their first box appears. */
  private static List<Row> group(List<double[]> boxes) {
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < boxes.size(); i++) {
      double[] box = boxes.get(i);
      if (box == null) {
        continue;
      }
      Row home = null;
      for (Row r : rows) {
        if (r.takes(box)) {
          home = r;
          break;
        }
      }
      if (home == null) {
        rows.add(new Row(i, box));
      } else {
        home.add(i, box);
      }
    }
    return rows;
  }

  private static double[] bounds(Quad q) {
    double[] box = {q.minX(), q.minY(), q.maxX(), q.maxY()};
    return box[2] > box[0] && box[3] > box[1] && Double.isFinite(box[0] + box[1] + box[2] + box[3]) ? box : null;
  }

  /** {x0, y0, x1, y1} of a line's box, or null when it has none (or an empty one). */
  private static double[] bounds(TextLine line) {
    if (!line.hasBox() || line.getBox().getPointsCount() == 0) {
      return null;
    }
    double x0 = Double.MAX_VALUE;
    double y0 = Double.MAX_VALUE;
    double x1 = -Double.MAX_VALUE;
    double y1 = -Double.MAX_VALUE;
    for (Point p : line.getBox().getPointsList()) {
      x0 = Math.min(x0, p.getX());
      y0 = Math.min(y0, p.getY());
      x1 = Math.max(x1, p.getX());
      y1 = Math.max(y1, p.getY());
    }
    return x1 > x0 && y1 > y0 && Double.isFinite(x0 + y0 + x1 + y1) ? new double[] {x0, y0, x1, y1} : null;
  }
}
