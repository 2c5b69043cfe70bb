package dev.ocrgate.server.auth.issuer;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;

/**
 * The {@link FailureThrottle} of one process (a single node, and the fallback of
 * {@link RedisFailureThrottle} while Redis is unreachable). Per replica: on its own, an attacker
 * spread over N replicas gets N times the attempts, still bounded.
 *
 * <p>Memory is bounded: at most {@code maxTracked} ids, each forgotten when its window ends (the
 * entry is written once, at the first failure; later failures only increment it, so the window
 * is not extended). Thread-safe: counters are atomic; the cache's compute is atomic per id.
 */
public final class InMemoryFailureThrottle implements FailureThrottle {
  private final int maxFailures;
  private final Cache<String, AtomicInteger> failures;

  private InMemoryFailureThrottle(int maxFailures, Duration window, LongSupplier nanoTime, long maxTracked) {
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

  /**
   * A throttle on the monotonic clock {@code nanoTime}, tracking at most {@code maxTracked} ids.
   */
  public static InMemoryFailureThrottle create(int maxFailures, Duration window, LongSupplier nanoTime,
      long maxTracked) {
    return new InMemoryFailureThrottle(maxFailures, window, nanoTime, maxTracked);
  }

  @Override
  public boolean blocked(String clientId) {
    AtomicInteger n = failures.getIfPresent(clientId);
    return n != null && n.get() >= maxFailures;
  }

  @Override
  public void recordFailure(String clientId) {
    failures.get(clientId, k -> new AtomicInteger()).incrementAndGet();
  }
}
