package dev.ocrgate.server.ocr;

import dev.ocrgate.api.v1.Point;
import dev.ocrgate.api.v1.TextLine;
import dev.ocrgate.server.vision.CtcDecoder;
import dev.ocrgate.server.vision.LatinText;
import dev.ocrgate.server.vision.LexiconSpaces;
import dev.ocrgate.server.vision.PixelRect;
import dev.ocrgate.server.vision.Quad;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.List;

/**
 * A request's result lines from its detected boxes and their recognised texts: texts stripped
 * and NFC-normalised, empty ones and those below the confidence threshold dropped, word spaces
 * checked against the model's word list when every kept line is Latin text
 * ({@link LexiconSpaces}; an image with one line of another script, such as a Chinese page with
 * English commands on it, keeps every text as read), boxes moved from region pixels back to
 * whole-image pixels, reading order numbered over the lines kept. Stateless.
 */
final class TextLines {
  private TextLines() {}

  /**
   * @param boxes the detected boxes, in the region's pixels
   * @param order indices into {@code boxes} in reading order
   * @param texts the text read from each box, in reading order ({@code texts.get(k)} is box
   *     {@code order[k]})
   * @param minConfidence lines below this are dropped
   * @param region where the region lies in the image
   * @param lexicon word spaces of Latin-only images, or null for none
   */
  static List<TextLine> assemble(List<Quad> boxes, int[] order, List<CtcDecoder.Decoded> texts,
      float minConfidence, PixelRect region, LexiconSpaces lexicon) {
    List<Integer> kept = new ArrayList<>();
    List<String> keptTexts = new ArrayList<>();
    for (int k = 0; k < order.length; k++) {
      CtcDecoder.Decoded d = texts.get(k);
      String text = d.text().strip();
      if (text.isEmpty() || d.confidence() < minConfidence) {
        continue;
      }
      kept.add(k);
      keptTexts.add(text);
    }
    if (lexicon != null && keptTexts.stream().allMatch(LatinText::only)) {
      keptTexts.replaceAll(lexicon::line);
    }
    List<TextLine> lines = new ArrayList<>();
    for (int i = 0; i < kept.size(); i++) {
      int k = kept.get(i);
      CtcDecoder.Decoded d = texts.get(k);
      String text = keptTexts.get(i);
      Quad q = boxes.get(order[k]).translate(region.x(), region.y());
      lines.add(TextLine.newBuilder()
          .setText(Normalizer.normalize(text, Normalizer.Form.NFC))
          .setConfidence(d.confidence())
          .setBox(toProto(q))
          .setReadingOrder(lines.size())
          .build());
    }
    return lines;
  }

  static dev.ocrgate.api.v1.Quad toProto(Quad q) {
    dev.ocrgate.api.v1.Quad.Builder b = dev.ocrgate.api.v1.Quad.newBuilder();
    for (int i = 0; i < 4; i++) {
      b.addPoints(Point.newBuilder().setX(q.x(i)).setY(q.y(i)));
    }
    return b.build();
  }
}
