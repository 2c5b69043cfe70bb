package dev.ocrgate.server.upstream;

import dev.ocrgate.api.v1.Point;
import dev.ocrgate.api.v1.Quad;
import dev.ocrgate.api.v1.TextLine;
import dev.ocrgate.server.vision.PixelRect;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.List;

/**
 * Answer lines as the API's {@link TextLine}s: boxes from [0, 1000] of the image sent (the
 * region) to pixels of the whole image, four corners clockwise from the top left; text
 * NFC-normalised; reading order as the model answered. The model reports no confidence, so every
 * line carries 1.0 (documented; {@code min_confidence} therefore keeps every line). Stateless.
 */
final class AnswerLines {
  private AnswerLines() {}

  static List<TextLine> toTextLines(List<HunyuanAnswer.Line> lines, PixelRect region) {
    List<TextLine> out = new ArrayList<>(lines.size());
    for (HunyuanAnswer.Line line : lines) {
      TextLine.Builder b = TextLine.newBuilder()
          .setText(Normalizer.normalize(line.text(), Normalizer.Form.NFC))
          .setConfidence(1f)
          .setReadingOrder(out.size());
      if (line.box() != null) {
        b.setBox(quad(line.box(), region));
      }
      out.add(b.build());
    }
    return out;
  }

  private static Quad quad(double[] box, PixelRect region) {
    double[] xy = box.length == 8 ? box : corners(box);
    Quad.Builder q = Quad.newBuilder();
    for (int i = 0; i < 8; i += 2) {
      q.addPoints(Point.newBuilder()
          .setX((float) (region.x() + xy[i] * region.width() / 1000.0))
          .setY((float) (region.y() + xy[i + 1] * region.height() / 1000.0)));
    }
    return q.build();
  }

  /** x1, y1, x2, y2 (any two opposite corners) → the four corners clockwise from the top left. */
  private static double[] corners(double[] b) {
    double left = Math.min(b[0], b[2]);
    double right = Math.max(b[0], b[2]);
    double top = Math.min(b[1], b[3]);
    double bottom = Math.max(b[1], b[3]);
    return new double[] {left, top, right, top, right, bottom, left, bottom};
  }
}
