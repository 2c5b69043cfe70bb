package dev.ocrgate.bench.state;

import dev.ocrgate.server.auth.RedisRevocationStore;
import dev.ocrgate.server.auth.RevocationStore;
import dev.ocrgate.server.auth.RevocationStore.StoreUnavailableException;
import dev.ocrgate.server.auth.issuer.SecretHash;
import dev.ocrgate.server.observability.Metrics;
import dev.ocrgate.server.ratelimit.BucketSpec;
import dev.ocrgate.server.ratelimit.InMemoryRateLimiter;
import dev.ocrgate.server.ratelimit.RateKey;
import dev.ocrgate.server.ratelimit.RateLimitPolicy;
import dev.ocrgate.server.ratelimit.RedisRateLimiter;
import dev.ocrgate.server.redis.RedisLink;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;

/**
 * Latency of the shared-state operations on the request path: the PBKDF2 secret check of
 * IssueToken, one rate-limit acquire (in memory, and in Redis through the Lua script), one
 * revocation check in Redis (MGET). Usage: {@code StateLatency redis://127.0.0.1:PORT}. A plain
 * timing loop after a warm-up of a tenth of the iterations; indicative numbers
 * (bench/results/state-latency.md).
 */
public final class StateLatency {
  private static final RateKey KEY = new RateKey("bench-subject", "bench-tenant");

  private StateLatency() {}

  public static void main(String[] args) throws Exception {
    SecretHash hash = SecretHash.hash("s".toCharArray(), SecretHash.MIN_ITERATIONS);
    report("pbkdf2-sha256 210000 iterations, verify", 5, () -> hash.matches("s".toCharArray()));
    RateLimitPolicy never = RateLimitPolicy.builder(new BucketSpec(1e9, 1_000_000_000L),
        new BucketSpec(1e9, 1_000_000_000L)).build();
    InMemoryRateLimiter memory = InMemoryRateLimiter.create(never, System::nanoTime);
    report("in-memory acquire (subject + tenant)", 200_000, () -> memory.acquire(KEY, 1));
    try (RedisLink link = RedisLink.create(args[0], Duration.ofSeconds(2))) {
      RedisRateLimiter redis = RedisRateLimiter.create(link, never, Metrics.noop());
      report("redis acquire (EVALSHA, subject + tenant, Redis TIME)", 5_000, () -> redis.acquire(KEY, 1));
      RedisRevocationStore revocations = RedisRevocationStore.create(link, Clock.systemUTC());
      report("redis isRevoked (MGET jti + subject, scoped and legacy keys)", 5_000, () -> check(revocations));
    }
  }

  private static void check(RedisRevocationStore revocations) {
    try {
      revocations.isRevoked(RevocationStore.Scope.of("ocrgate", "bench-tenant"), "jti", "bench-subject", Instant.now());
    } catch (StoreUnavailableException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void report(String name, int n, Runnable op) {
    for (int i = 0; i < Math.max(1, n / 10); i++) {
      op.run();
    }
    long[] t = new long[n];
    for (int i = 0; i < n; i++) {
      long start = System.nanoTime();
      op.run();
      t[i] = System.nanoTime() - start;
    }
    Arrays.sort(t);
    System.out.printf("%s: p50 %.1f us, p99 %.1f us, max %.1f us, n=%d%n",
        name, t[n / 2] / 1e3, t[(int) (n * 0.99)] / 1e3, t[n - 1] / 1e3, n);
  }
}
