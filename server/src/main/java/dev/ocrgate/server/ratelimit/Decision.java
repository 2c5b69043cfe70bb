package dev.ocrgate.server.ratelimit;

import java.time.Duration;

/**
 * The answer of a {@link RateLimiter}: allowed, or denied with how long to wait before the same
 * cost would pass. Immutable.
 *
 * @param allowed whether the cost was taken from every bucket
 * @param retryAfterNanos when denied, the wait after which the buckets hold enough tokens (&gt; 0);
 *     0 when allowed
 * @param limit when denied, the bucket that needs the longest wait: {@link #SUBJECT} or
 *     {@link #TENANT}; null when allowed
 */
public record Decision(boolean allowed, long retryAfterNanos, String limit) {
  public static final String SUBJECT = "subject";
  public static final String TENANT = "tenant";

  /** The shared "allowed" answer. */
  public static final Decision ALLOW = new Decision(true, 0, null);

  public Decision {
    if (allowed ? retryAfterNanos != 0 || limit != null : retryAfterNanos <= 0 || limit == null) {
      throw new IllegalArgumentException("allowed=" + allowed + " retryAfterNanos=" + retryAfterNanos + " limit=" + limit);
    }
  }

  /** A denial by {@code limit} with a retry delay of at least one nanosecond. */
  public static Decision deny(long retryAfterNanos, String limit) {
    return new Decision(false, Math.max(1, retryAfterNanos), limit);
  }

  public Duration retryAfter() {
    return Duration.ofNanos(retryAfterNanos);
  }
}
