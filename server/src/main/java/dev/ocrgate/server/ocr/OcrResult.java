package dev.ocrgate.server.ocr;

import dev.ocrgate.api.v1.TextLine;
import dev.ocrgate.api.v1.Timing;
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
}
