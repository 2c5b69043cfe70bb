package dev.ocrgate.server.auth.issuer;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;

/**
 * Slows down secret guessing: after {@code maxFailures} failed attempts for one client id within
 * {@code window}, further attempts for that id are refused (RESOURCE_EXHAUSTED) until the window,
 * counted from the first failure, has passed. A success does not reset the count, so an attacker
 * cannot interleave the real client's successes to keep guessing.
 *
 * <p>Per replica (an attacker spread over N replicas gets N times the attempts, still bounded).
 * Memory is bounded: at most {@code maxTracked} ids, each forgotten when its window ends.
 * Thread-safe: counters are atomic; the cache's compute is atomic per id.
 */
final class FailureThrottle {
  private final int maxFailures;
  private final Cache<String, AtomicInteger> failures;

  FailureThrottle(int maxFailures, Duration window, LongSupplier nanoTime, long maxTracked) {
    if (maxFailures < 1) {
      throw new IllegalArgumentException("max failures must be >= 1, got " + maxFailures);
    }
    this.maxFailures = maxFailures;
    this.failures = Caffeine.newBuilder()
        .ticker(nanoTime::getAsLong)
        .expireAfterWrite(window)
        .maximumSize(maxTracked)
        .build();
  }

  /** True when {@code clientId} has used up its failures for now. */
  boolean blocked(String clientId) {
    AtomicInteger n = failures.getIfPresent(clientId);
    return n != null && n.get() >= maxFailures;
  }

  /** Counts one failed attempt (the window starts at the first). */
  void recordFailure(String clientId) {
    failures.get(clientId, k -> new AtomicInteger()).incrementAndGet();
  }
}
