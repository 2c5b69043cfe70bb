package dev.ocrgate.cues;

import java.math.BigDecimal;

/**
 * The threshold at which two frames' texts belong to one cue, compared exactly.
 *
 * <p>A threshold is kept as the decimal the caller wrote: {@code 0.8f} from a proto {@code float}
 * field and {@code 0.8} from a Java {@code double} are the same threshold (widening the float
 * would give 0.800000011920929…, and a similarity of exactly 0.8 — one edit in five letters —
 * would then split a cue on one side and merge it on the other). The comparison
 * {@code 1 − distance / longer ≥ threshold} is done as {@code longer − distance ≥ threshold ×
 * longer} in exact decimal arithmetic, so no rounding decides a cue boundary.
 *
 * <p>Immutable and thread-safe.
 */
public final class CueSimilarity {
  private final BigDecimal threshold;

  private CueSimilarity(BigDecimal threshold) {
    if (threshold.signum() <= 0 || threshold.compareTo(BigDecimal.ONE) > 0) {
      throw new IllegalArgumentException("cue similarity must be in (0, 1], was " + threshold);
    }
    this.threshold = threshold;
  }

  /** The threshold written as {@code value} (its shortest decimal form), in (0, 1]. */
  public static CueSimilarity of(double value) {
    if (!Double.isFinite(value)) {
      throw new IllegalArgumentException("cue similarity must be in (0, 1], was " + value);
    }
    return new CueSimilarity(new BigDecimal(Double.toString(value)));
  }

  /** The threshold written as the float {@code value} (e.g. a proto field), in (0, 1]. */
  public static CueSimilarity of(float value) {
    if (!Float.isFinite(value)) {
      throw new IllegalArgumentException("cue similarity must be in (0, 1], was " + value);
    }
    return new CueSimilarity(new BigDecimal(Float.toString(value)));
  }

  /** True when texts of these normalised lengths at this edit distance are similar enough. */
  public boolean accepts(int editDistance, int longerLength) {
    if (longerLength == 0) {
      return true;
    }
    BigDecimal kept = BigDecimal.valueOf((long) longerLength - editDistance);
    return kept.compareTo(threshold.multiply(BigDecimal.valueOf(longerLength))) >= 0;
  }

  /** True when the two normalised texts ({@link TextSimilarity#normalize}) are similar enough. */
  public boolean accepts(int[] a, int[] b) {
    return accepts(TextSimilarity.editDistance(a, b), Math.max(a.length, b.length));
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof CueSimilarity c && c.threshold.compareTo(threshold) == 0;
  }

  @Override
  public int hashCode() {
    return threshold.stripTrailingZeros().hashCode();
  }

  @Override
  public String toString() {
    return threshold.toPlainString();
  }
}
