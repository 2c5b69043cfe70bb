package dev.ocrgate.server.ocr;

import dev.ocrgate.server.vision.Quad;
import dev.ocrgate.server.vision.RgbImage;
import dev.ocrgate.server.vision.Warp;
import java.util.List;

/** Upright crops of detected lines for the recogniser. Stateless. */
final class LineCrops {
  private LineCrops() {}

  /**
   * The perspective crop of {@code box}; when it is at least {@code tallRatio} times taller than
   * wide it holds vertical text (or text turned 90°) and is turned counter-clockwise so that the
   * recogniser sees a horizontal line.
   */
  static RgbImage crop(RgbImage image, Quad box, float tallRatio) {
    RgbImage crop = Warp.crop(image, box);
    if (crop.height() >= tallRatio * crop.width()) {
      return Warp.rotate90CounterClockwise(crop);
    }
    return crop;
  }

  /** Turns the crops flagged upside down by 180°, in place in the list. */
  static void turnUpsideDown(List<RgbImage> crops, boolean[] flags) {
    for (int i = 0; i < flags.length; i++) {
      if (flags[i]) {
        crops.set(i, Warp.rotate180(crops.get(i)));
      }
    }
  }
}
