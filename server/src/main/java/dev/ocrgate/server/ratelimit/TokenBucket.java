package dev.ocrgate.server.ratelimit;

/**
 * One bucket's mutable state for {@link InMemoryRateLimiter}: tokens left and when they were last
 * counted. The refill is computed lazily from elapsed time, so nothing ticks in the background.
 *
 * <p>Not thread-safe on its own: callers hold the bucket's monitor around {@link #refill} and
 * {@link #take} (several buckets are locked in a fixed order, subject before tenant, so two calls
 * never wait for each other in a cycle).
 */
final class TokenBucket {
  private final BucketSpec spec;
  private double tokens;
  private long lastNanos;

  TokenBucket(BucketSpec spec, long nowNanos) {
    this.spec = spec;
    this.tokens = spec.burst();
    this.lastNanos = nowNanos;
  }

  /** Adds the tokens earned since the last count (never above burst); monitor held. */
  void refill(long nowNanos) {
    long elapsed = nowNanos - lastNanos;
    if (elapsed > 0) {
      tokens = Math.min(spec.burst(), tokens + elapsed * spec.ratePerSecond() / 1e9);
      lastNanos = nowNanos;
    }
  }

  /** Nanoseconds until {@code cost} tokens are available; 0 = now. Monitor held, after refill. */
  long nanosUntil(long cost) {
    double missing = cost - tokens;
    return missing <= 0 ? 0 : (long) Math.ceil(missing / spec.ratePerSecond() * 1e9);
  }

  /** Removes {@code cost} tokens; monitor held, after {@link #nanosUntil} returned 0. */
  void take(long cost) {
    tokens -= cost;
  }

  double tokens() {
    return tokens;
  }
}
