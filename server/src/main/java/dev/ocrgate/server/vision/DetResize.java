package dev.ocrgate.server.vision;

/**
 * The detector's input size for an image: scaled so that the chosen side meets the limit, then
 * brought to multiples of 32 (the network downsamples by 32), at least 32, in one of two ways:
 *
 * <ul>
 *   <li>{@link #size}: each side resized to the nearest multiple of 32, as PaddleOCR and RapidOCR
 *       do. This changes the aspect ratio by up to 16 pixels on the short side: a few percent on
 *       a page or a frame.
 *   <li>{@link #keepingAspect}: both sides scaled by one ratio, and the detector pads the result
 *       to the next multiple of 32 ({@link #padded}). For short strips, where rounding squashes:
 *       a subtitle band of a 720p frame, 135–147 rows, is 101–110 rows at the model's 0.75 and
 *       would be squashed to 96; over coarse texture the detector then lost a three-letter
 *       subtitle in every such crop, which it found in the same crops padded
 *       (bench/results/subtitle-skip.md, "Short subtitles").
 * </ul>
 *
 * Scaling: {@code min} (RapidOCR) scales up so the shorter side is at least {@code limitSideLen};
 * {@code max} (PaddleOCR) scales down so the longer side is at most {@code limitSideLen}. In both
 * modes the longer side is then capped at {@code maxSideLen}. Stateless.
 *
 * @param limitType {@code min} or {@code max}
 * @param limitSideLen the side limit
 * @param maxSideLen cap on the longer side after scaling (keeps huge inputs bounded)
 */
public record DetResize(String limitType, int limitSideLen, int maxSideLen) {
  /**
   * The largest enlargement a caller may ask for (a {@code scaleCap} above 1): beyond it a small
   * word is no easier to find and the input only costs more. Checked where requests and settings
   * are validated (OcrRequest, streaming.empty_retry_scale).
   */
  public static final int MAX_ENLARGEMENT = 4;

  public DetResize {
    if (!"min".equals(limitType) && !"max".equals(limitType)) {
      throw new IllegalArgumentException("limit_type must be min or max, not " + limitType);
    }
    if (limitSideLen < 32 || maxSideLen < 32) {
      throw new IllegalArgumentException("side limits must be at least 32");
    }
  }

  /**
   * {width, height} of the detector input for a {@code w} × {@code h} image (sides rounded to
   * multiples of 32).
   */
  public int[] size(int w, int h) {
    return size(w, h, 1.0);
  }

  /**
   * {width, height} of the detector input for a {@code w} × {@code h} image scaled by at most
   * {@code scaleCap}: the ratio is the smaller of the limit's (see {@link #size(int, int)}) and
   * {@code scaleCap}, so a cap never scales up beyond what the limit gives; then each side is
   * rounded to the nearest multiple of 32 (at least 32). A cap of exactly 1, or not a positive
   * number, is no cap. A {@code scaleCap} above 1 is not a cap but an enlargement: the image is
   * scaled by exactly that, the limit ignored, and the longer side still capped at {@code
   * maxSideLen} (see {@link #ratio}).
   */
  public int[] size(int w, int h, double scaleCap) {
    double ratio = ratio(w, h, scaleCap);
    return new int[] {round32(w * ratio), round32(h * ratio)};
  }

  /**
   * {width, height} of a {@code w} × {@code h} image scaled as {@link #size(int, int, double)}
   * scales it, both sides by that one ratio, each rounded to a whole pixel (at least 1): the
   * detector pads it to {@link #padded} sides.
   */
  public int[] keepingAspect(int w, int h, double scaleCap) {
    double ratio = ratio(w, h, scaleCap);
    return new int[] {Math.max(1, (int) Math.round(w * ratio)), Math.max(1, (int) Math.round(h * ratio))};
  }

  /** The detector's input side for a scaled side {@code v}: the next multiple of 32, at least 32. */
  public static int padded(int v) {
    return Math.max(32, (v + 31) / 32 * 32);
  }

  /**
   * The one scale factor for a {@code w} × {@code h} image: the limit's (or {@code scaleCap} when
   * that is below it, or {@code scaleCap} itself when above 1), then capped so the longer side is
   * at most {@code maxSideLen}. An enlargement is for a caller that knows the text is small for
   * the detector (a subtitle stream's second look at an area that showed text and gave no line);
   * {@code maxSideLen} bounds its cost like every other input's.
   */
  private double ratio(int w, int h, double scaleCap) {
    if (scaleCap > 1) {
      return Math.min(scaleCap, (double) maxSideLen / Math.max(w, h));
    }
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
    return ratio;
  }

  private static int round32(double v) {
    return Math.max(32, (int) Math.round(v / 32) * 32);
  }
}
