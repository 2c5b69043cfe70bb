package dev.ocrgate.server.ocr;

import dev.ocrgate.api.v1.TextLine;
import dev.ocrgate.api.v1.Timing;
import dev.ocrgate.server.vision.Quad;
import java.util.List;

/**
 * What was read: lines in reading order with boxes in the coordinates of the whole image (the
 * region's offset added back), and where the time went (decode_us and total_us are filled by the
 * service, the rest by the pipeline).
 */
public record OcrResult(List<TextLine> lines, Timing timing) {
  public OcrResult {
    lines = List.copyOf(lines);
  }

  /** {@code line}'s box as the pipeline's own quad (the inverse of how results are built). */
  public static Quad boxOf(TextLine line) {
    float[] xy = new float[8];
    for (int i = 0; i < 4 && i < line.getBox().getPointsCount(); i++) {
      xy[2 * i] = line.getBox().getPoints(i).getX();
      xy[2 * i + 1] = line.getBox().getPoints(i).getY();
    }
    return Quad.of(xy[0], xy[1], xy[2], xy[3], xy[4], xy[5], xy[6], xy[7]);
  }
}
