package dev.ocrgate.server.ocr;

import dev.ocrgate.server.vision.Quad;
import java.util.BitSet;
import java.util.List;

/**
 * Chooses which of the lines detection found are recognised (the others are dropped before
 * recognition, as if not detected). A pure function of its arguments and of state fixed when it
 * was made: it runs on the pipeline's threads, possibly several at once.
 */
@FunctionalInterface
public interface LineSelector {
  /**
   * @param boxes the detected boxes in whole-image pixels, in reading order
   * @param imageWidth the image's width
   * @param imageHeight the image's height
   * @return the indexes into {@code boxes} to recognise
   */
  BitSet select(List<Quad> boxes, int imageWidth, int imageHeight);
}
