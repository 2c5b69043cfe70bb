package dev.ocrgate.server.ocr;

import dev.ocrgate.server.vision.DetResize;
import dev.ocrgate.server.vision.PixelRect;
import dev.ocrgate.server.vision.RgbImage;
import io.grpc.Deadline;

/**
 * One image to read.
 *
 * @param image the decoded image
 * @param region the part to read, in image pixels, or null for the whole image
 * @param mode SUBTITLE (detect within the region, optimised for one or two lines) or FULL
 * @param minConfidence lines below this are dropped; 0 or less = the model's default
 * @param classifyDirection run the direction classifier on each line (if the model has one)
 * @param deadline the call's deadline, or null for none
 * @param detectionScale in (0, {@value #MAX_DETECTION_SCALE}]: up to 1, the detector sees the
 *     region scaled by at most this (the model's own resize when that is smaller); 1 = the model's
 *     resize alone. Above 1, it sees the region enlarged by this, the model's resize limit
 *     ignored but its longer-side cap kept (DetResize). Only detection sees the scaled input: boxes
 *     are mapped back and line crops are cut from the full-resolution region. Set by subtitle
 *     streams: below 1 where they know their line height (see SubtitleBand), above 1 for a second
 *     look at an area that showed text and gave no line (see StreamFramesCall).
 * @param lines which detected lines to recognise, or null for all of them. A local pipeline
 *     recognises only the lines it selects; a pipeline that forwards the request to an upstream
 *     server ignores it (the upstream recognises every line), so it may only save work, never
 *     decide the answer: callers still filter the result themselves.
 */
public record OcrRequest(
    RgbImage image,
    PixelRect region,
    Mode mode,
    float minConfidence,
    boolean classifyDirection,
    Deadline deadline,
    double detectionScale,
    LineSelector lines) {

  /** The largest {@code detectionScale} ({@link DetResize#MAX_ENLARGEMENT}). */
  public static final double MAX_DETECTION_SCALE = DetResize.MAX_ENLARGEMENT;

  public OcrRequest {
    if (!(detectionScale > 0 && detectionScale <= MAX_DETECTION_SCALE)) {
      throw new IllegalArgumentException(
          "detectionScale must be in (0, " + MAX_DETECTION_SCALE + "], was " + detectionScale);
    }
  }

  /** A request whose detector input is the model's resize alone and that recognises every line. */
  public OcrRequest(RgbImage image, PixelRect region, Mode mode, float minConfidence,
      boolean classifyDirection, Deadline deadline) {
    this(image, region, mode, minConfidence, classifyDirection, deadline, 1.0, null);
  }

  /**
   * Which kind of call asked (Recognize and FULL streams: FULL; subtitle streams: SUBTITLE). The
   * pipeline reads both the same way — text detected inside the region, then recognised — with
   * one difference in the detector's input: FULL rounds each side to a multiple of 32 by resizing,
   * as PaddleOCR does (pages and whole frames, a few percent), SUBTITLE keeps the region's aspect
   * ratio and pads (subtitle bands are short strips, where rounding squashes by up to 15 %; see
   * DetResize). The modes also differ in the region a stream reads when it names none (see
   * StreamPlan).
   */
  public enum Mode {
    FULL,
    SUBTITLE
  }

  /**
   * The part to read clipped to the image: the whole image when {@code region} is null. Every
   * pipeline (local or remote) reads exactly this.
   *
   * @throws IllegalArgumentException when the region lies outside the image (client-safe message)
   */
  public PixelRect regionInImage() {
    return region == null ? PixelRect.of(image) : Regions.clip(
        region.x(), region.y(), region.width(), region.height(), image.width(), image.height());
  }

  /** This request with the detector's input scaled by {@code scale} instead (see the record's doc). */
  public OcrRequest withDetectionScale(double scale) {
    return new OcrRequest(image, region, mode, minConfidence, classifyDirection, deadline, scale, lines);
  }

  /** The whole image, FULL mode, defaults, no deadline. */
  public static OcrRequest of(RgbImage image) {
    return new OcrRequest(image, null, Mode.FULL, 0f, false, null);
  }
}
