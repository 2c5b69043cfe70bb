package dev.ocrgate.server.stream;

import dev.ocrgate.server.vision.PixelRect;
import dev.ocrgate.server.vision.RgbImage;

/**
 * Decides whether a frame may reuse the OCR result of the last frame that was read: a pure
 * function of the two frames' pixels and of one flag the stream derives deterministically from
 * earlier answers ({@link GapFrames}), never of timing, so a stream's answers depend only on the
 * frames sent. Implementations are immutable.
 *
 * <p>Invariant: a frame whose read area (region in pixels, frame size) differs from the last
 * read frame's is never {@link #unchanged unchanged}.
 */
interface ChangeRule {
  /** What the rule keeps of one frame's region; computed once per frame. Immutable. */
  interface Fingerprint {
    /** The area the fingerprint was taken of. */
    ReadArea area();

    /** The frame shows the kind of text the rule compares (SUBTITLE mode: light text). */
    default boolean showsText() {
      return true;
    }
  }

  /**
   * The fingerprint of {@code roi} (in {@code image}'s pixels), which is {@code area} of its frame
   * (the image may hold only some rows of the frame, see {@link PreparedFrame}).
   */
  Fingerprint fingerprint(RgbImage image, PixelRect roi, ReadArea area);

  /** The fingerprint of {@code roi} of a whole frame. */
  default Fingerprint fingerprint(RgbImage image, PixelRect roi) {
    return fingerprint(image, roi, new ReadArea(roi, image.width(), image.height()));
  }

  /**
   * True if {@code now} may answer with {@code lastRead}'s result (both from this rule): the same
   * area, and the rule finds its pixels unchanged. The area check lives here, once, for every rule.
   * {@code textlessAlike}: two frames neither of which {@link Fingerprint#showsText shows text}
   * count as unchanged (see {@link GapFrames}); rules whose fingerprints always show text ignore it.
   */
  default boolean unchanged(Fingerprint lastRead, Fingerprint now, boolean textlessAlike) {
    return lastRead.area().equals(now.area())
        && ((textlessAlike && !lastRead.showsText() && !now.showsText()) || samePixels(lastRead, now));
  }

  /** The rule proper, for two fingerprints of the same area. */
  boolean samePixels(Fingerprint lastRead, Fingerprint now);
}
