package dev.ocrgate.server.ratelimit;

/**
 * A token bucket's shape: it refills at {@code ratePerSecond} up to {@code burst} tokens, and a call
 * costing {@code c} passes when at least {@code c} tokens are left. Immutable.
 *
 * @param ratePerSecond refill rate, tokens per second, &gt; 0
 * @param burst capacity, tokens, &ge; 1
 */
public record BucketSpec(double ratePerSecond, long burst) {
  public BucketSpec {
    if (!(ratePerSecond > 0) || Double.isInfinite(ratePerSecond)) {
      throw new IllegalArgumentException("rate must be a positive number of tokens per second, got " + ratePerSecond);
    }
    if (burst < 1) {
      throw new IllegalArgumentException("burst must be >= 1 token, got " + burst);
    }
  }

  /** Nanoseconds an empty bucket needs to become full again. */
  public long refillNanos() {
    return (long) Math.ceil(burst / ratePerSecond * 1e9);
  }
}
