package dev.ocrgate.server.ocr;

import dev.ocrgate.server.vision.Quad;
import dev.ocrgate.server.vision.RgbImage;
import dev.ocrgate.server.vision.Warp;
import java.util.Arrays;
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

  /**
   * Whether {@code crop} looks like print: the median luma of its top and bottom rows (background
   * in a line crop) is at least {@code minLuma}. Subtitles and scene text over video are not.
   */
  static boolean lightBackground(RgbImage crop, int minLuma) {
    int w = crop.width();
    int h = crop.height();
    byte[] d = crop.data();
    int[] luma = new int[2 * w];
    for (int x = 0; x < w; x++) {
      luma[x] = luma(d, x * 3);
      luma[w + x] = luma(d, ((h - 1) * w + x) * 3);
    }
    Arrays.sort(luma);
    return luma[w] >= minLuma;
  }

  private static int luma(byte[] d, int i) {
    return (299 * (d[i] & 0xff) + 587 * (d[i + 1] & 0xff) + 114 * (d[i + 2] & 0xff)) / 1000;
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
