package dev.ocrgate.server.stream;

import dev.ocrgate.api.v1.Image;
import dev.ocrgate.server.vision.DecodeBudgetException;
import dev.ocrgate.server.vision.InvalidImageException;
import dev.ocrgate.server.vision.PixelRect;
import dev.ocrgate.server.vision.RgbImage;
import io.grpc.Status;

/**
 * A frame made ready to be routed (read or reused): decoded, its area resolved to pixels and
 * fingerprinted. This is the per-pixel work of a frame; {@link StreamFramesCall} runs it on its
 * preparation executor, never on the stream's context, and routes the results in seq order.
 * Immutable.
 *
 * @param error set instead of the rest when the frame cannot be read (client-safe message)
 * @param decodeNanos from the frame's arrival to its image being decoded (queueing included)
 */
record PreparedFrame(RgbImage image, PixelRect roi, ReadArea area, ChangeRule.Fingerprint print,
    Status error, long decodeNanos) {

  /** Where to read a frame once its size is known; chosen when the frame arrives. Thread-safe. */
  @FunctionalInterface
  interface AreaChoice {
    /** The region of a {@code width}×{@code height} frame, or null if it lies outside. */
    PixelRect resolve(int width, int height);
  }

  /**
   * Decodes {@code image} with {@code decoder}, resolves {@code choice} and fingerprints the area
   * with {@code rule} (null: no fingerprint). Thread-safe if its arguments are; may block while the
   * decoder waits for its memory budget.
   */
  static PreparedFrame of(Image image, FrameDecoder decoder, AreaChoice choice, ChangeRule rule,
      long arrivalNanos) {
    RgbImage decoded;
    try {
      decoded = decoder.decode(image);
    } catch (InvalidImageException e) {
      // Budget full: not the frame's fault, the client may resend it later.
      Status code = e instanceof DecodeBudgetException ? Status.RESOURCE_EXHAUSTED : Status.INVALID_ARGUMENT;
      return failed(code.withDescription(e.getMessage()), System.nanoTime() - arrivalNanos);
    }
    long decodeNanos = System.nanoTime() - arrivalNanos;
    PixelRect roi = choice.resolve(decoded.width(), decoded.height());
    if (roi == null) {
      return failed(Status.INVALID_ARGUMENT.withDescription("region lies outside the frame"), decodeNanos);
    }
    ChangeRule.Fingerprint print = rule == null ? null : rule.fingerprint(decoded, roi);
    ReadArea area = print != null ? print.area() : new ReadArea(roi, decoded.width(), decoded.height());
    return new PreparedFrame(decoded, roi, area, print, null, decodeNanos);
  }

  static PreparedFrame failed(Status error, long decodeNanos) {
    return new PreparedFrame(null, null, null, null, error, decodeNanos);
  }
}
