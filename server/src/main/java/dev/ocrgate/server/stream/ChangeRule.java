package dev.ocrgate.server.stream;

import dev.ocrgate.server.vision.PixelRect;
import dev.ocrgate.server.vision.RgbImage;

/**
 * Decides whether a frame may reuse the OCR result of the last frame that was read: a pure
 * function of the two frames' pixels (never of OCR results or timing), so a stream's answers
 * depend only on the frames sent. Implementations are immutable.
 *
 * <p>Invariant: a frame whose read area (region in pixels, frame size) differs from the last
 * read frame's is never {@link #unchanged unchanged}.
 */
interface ChangeRule {
  /** What the rule keeps of one frame's region; computed once per frame. Immutable. */
  interface Fingerprint {}

  Fingerprint fingerprint(RgbImage image, PixelRect roi);

  /** True if {@code now} may answer with {@code lastRead}'s result (both from this rule). */
  boolean unchanged(Fingerprint lastRead, Fingerprint now);
}
