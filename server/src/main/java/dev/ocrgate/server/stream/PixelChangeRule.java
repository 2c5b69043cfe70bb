package dev.ocrgate.server.stream;

import dev.ocrgate.server.vision.PixelRect;
import dev.ocrgate.server.vision.RgbImage;

/**
 * FULL mode's rule: the region's pixels barely changed ({@link FrameSignature}'s mean absolute
 * difference below a threshold). Whole frames hold any kind of text, so no subtitle-specific
 * text mask applies; on moving footage this rule rarely fires. Immutable.
 */
final class PixelChangeRule implements ChangeRule {
  private record Print(ReadArea area, FrameSignature signature) implements Fingerprint {}

  private final double threshold;

  private PixelChangeRule(double threshold) {
    this.threshold = threshold;
  }

  /** Reuse below {@code threshold}, a mean absolute difference in [0, 1]. */
  static PixelChangeRule below(double threshold) {
    return new PixelChangeRule(threshold);
  }

  @Override
  public Fingerprint fingerprint(RgbImage image, PixelRect roi, ReadArea area) {
    return new Print(area, FrameSignature.of(image, roi));
  }

  @Override
  public boolean samePixels(Fingerprint lastRead, Fingerprint now) {
    return ((Print) now).signature().difference(((Print) lastRead).signature()) < threshold;
  }
}
