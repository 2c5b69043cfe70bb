package dev.ocrgate.server.ratelimit;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * Token buckets in this JVM (the one-node default). Buckets live in a Caffeine cache that forgets
 * a bucket once it has been idle long enough to be full again, so memory follows the active
 * callers, and a forgotten bucket is indistinguishable from a remembered full one. Buckets are
 * named by {@link RateKey#subjectBucket()} and {@link RateKey#tenantBucket()}, as in Redis.
 *
 * <p>Thread-safe: each bucket is guarded by its own monitor; a call locks its subject bucket, then
 * its tenant bucket (always in that order), checks both, and takes from both or neither.
 */
public final class InMemoryRateLimiter implements RateLimiter {
  private final RateLimitPolicy policy;
  private final LongSupplier nanoTime;
  private final Cache<String, TokenBucket> buckets;

  private InMemoryRateLimiter(RateLimitPolicy policy, LongSupplier nanoTime, long maxBuckets) {
    this.policy = policy;
    this.nanoTime = nanoTime;
    long idle = Math.max(policy.subjectSpec().refillNanos(), policy.longestTenantRefillNanos());
    this.buckets =
        Caffeine.newBuilder()
            .ticker(nanoTime::getAsLong)
            .expireAfterAccess(Duration.ofNanos(idle + 1_000_000_000L))
            .maximumSize(maxBuckets)
            .build();
  }

  /** A limiter on the monotonic clock {@code nanoTime} (tests pass a fake). */
  public static InMemoryRateLimiter create(RateLimitPolicy policy, LongSupplier nanoTime) {
    return new InMemoryRateLimiter(policy, nanoTime, 1_000_000);
  }

  @Override
  public Decision acquire(RateKey key, long cost) {
    long now = nanoTime.getAsLong();
    TokenBucket subject = bucket(key.subjectBucket(), policy.subjectSpec(), now);
    if (key.tenant() == null) {
      synchronized (subject) {
        return takeFrom(subject, null, cost, now);
      }
    }
    TokenBucket tenant = bucket(key.tenantBucket(), policy.tenantSpec(key.tenant()), now);
    synchronized (subject) {
      synchronized (tenant) {
        return takeFrom(subject, tenant, cost, now);
      }
    }
  }

  /** Monitors of both buckets held. */
  private static Decision takeFrom(TokenBucket subject, TokenBucket tenant, long cost, long now) {
    subject.refill(now);
    long wait = subject.nanosUntil(cost);
    String limit = Decision.SUBJECT;
    if (tenant != null) {
      tenant.refill(now);
      long tenantWait = tenant.nanosUntil(cost);
      if (tenantWait > wait) {
        wait = tenantWait;
        limit = Decision.TENANT;
      }
    }
    if (wait > 0) {
      return Decision.deny(wait, limit);
    }
    subject.take(cost);
    if (tenant != null) {
      tenant.take(cost);
    }
    return Decision.ALLOW;
  }

  private TokenBucket bucket(String id, BucketSpec spec, long now) {
    return buckets.get(id, k -> new TokenBucket(spec, now));
  }
}
