package dev.ocrgate.server.ratelimit;

import java.time.Duration;

/**
 * The answer of a {@link RateLimiter}: allowed, or denied with how long to wait before the same
 * cost would pass. Immutable.
 *
 * @param allowed whether the cost was taken from every bucket
 * @param retryAfterNanos when denied, the wait after which the buckets hold enough tokens (&gt; 0);
 *     0 when allowed
 */
public record Decision(boolean allowed, long retryAfterNanos) {
  /** The shared "allowed" answer. */
  public static final Decision ALLOW = new Decision(true, 0);

  public Decision {
    if (allowed ? retryAfterNanos != 0 : retryAfterNanos <= 0) {
      throw new IllegalArgumentException("allowed=" + allowed + " retryAfterNanos=" + retryAfterNanos);
    }
  }

  /** A denial with a retry delay of at least one nanosecond. */
  public static Decision deny(long retryAfterNanos) {
    return new Decision(false, Math.max(1, retryAfterNanos));
  }

  public Duration retryAfter() {
    return Duration.ofNanos(retryAfterNanos);
  }
}
