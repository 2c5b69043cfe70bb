package dev.ocrgate.server.vision;

/**
 * The detector's input size for an image: scaled so that the chosen side meets the limit, then
 * each side rounded to a multiple of 32 (the network downsamples by 32), at least 32.
 *
 * <ul>
 *   <li>{@code min} (RapidOCR): scale up so the shorter side is at least {@code limitSideLen}.
 *   <li>{@code max} (PaddleOCR): scale down so the longer side is at most {@code limitSideLen}.
 * </ul>
 * In both modes the longer side is then capped at {@code maxSideLen}. Stateless.
 *
 * @param limitType {@code min} or {@code max}
 * @param limitSideLen the side limit
 * @param maxSideLen cap on the longer side after scaling (keeps huge inputs bounded)
 */
public record DetResize(String limitType, int limitSideLen, int maxSideLen) {
  public DetResize {
    if (!"min".equals(limitType) && !"max".equals(limitType)) {
      throw new IllegalArgumentException("limit_type must be min or max, not " + limitType);
    }
    if (limitSideLen < 32 || maxSideLen < 32) {
      throw new IllegalArgumentException("side limits must be at least 32");
    }
  }

  /** {width, height} of the detector input for a {@code w} × {@code h} image. */
  public int[] size(int w, int h) {
    return size(w, h, 1.0);
  }

  /**
   * {width, height} of the detector input for a {@code w} × {@code h} image scaled by at most
   * {@code scaleCap}: the ratio is the smaller of the limit's (see {@link #size(int, int)}) and
   * {@code scaleCap}, so a cap never scales up beyond what the limit gives; then the usual rounding
   * to multiples of 32 (at least 32). A cap of 1 or more, or not a positive number, is no cap.
   */
  public int[] size(int w, int h, double scaleCap) {
    double ratio = 1.0;
    if ("min".equals(limitType)) {
      int shorter = Math.min(w, h);
      if (shorter < limitSideLen) {
        ratio = (double) limitSideLen / shorter;
      }
    } else {
      int longer = Math.max(w, h);
      if (longer > limitSideLen) {
        ratio = (double) limitSideLen / longer;
      }
    }
    double longerAfter = Math.max(w, h) * ratio;
    if (longerAfter > maxSideLen) {
      ratio *= maxSideLen / longerAfter;
    }
    if (scaleCap > 0 && scaleCap < 1 && scaleCap < ratio) {
      ratio = scaleCap;
    }
    return new int[] {round32(w * ratio), round32(h * ratio)};
  }

  private static int round32(double v) {
    return Math.max(32, (int) Math.round(v / 32) * 32);
  }
}
