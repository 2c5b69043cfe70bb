package dev.ocrgate.server.ocr;

import dev.ocrgate.server.vision.Quad;
import java.util.List;

/**
 * Chooses which of the lines detection found are recognised, and from which box: the others are
 * dropped before recognition, as if not detected. A pure function of its arguments and of state
 * fixed when it was made: it runs on the pipeline's threads, possibly several at once.
 */
@FunctionalInterface
public interface LineSelector {
  /**
   * A line read from a box of the selector's own answers the detected box grown sideways to the
   * characters read in the chosen one: the centres of its first and last characters (CTC) and
   * this many of the chosen box's heights around them, within the chosen box. Its rows stay the
   * detected box's, so rules that judge a line by its height see what the detector found; a
   * widening that read nothing more answers about the box as detected.
   */
  double CHARACTER_MARGIN = 0.5;

  /**
   * @param boxes the detected boxes in whole-image pixels, in reading order
   * @param imageWidth the image's width
   * @param imageHeight the image's height
   * @return for each of {@code boxes}, in their order: null when it is not recognised, the same
   *     {@code Quad} object when it is read as detected, or a box of its own (whole-image pixels)
   *     to read in its place (a line the detector found part of, widened)
   */
  List<Quad> select(List<Quad> boxes, int imageWidth, int imageHeight);
}
