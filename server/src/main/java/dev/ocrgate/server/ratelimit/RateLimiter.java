package dev.ocrgate.server.ratelimit;

/**
 * Token buckets per subject and per tenant. {@link #acquire} takes {@code cost} tokens from the
 * subject's bucket and the tenant's bucket together, or from neither.
 *
 * <p>Implementations: {@link InMemoryRateLimiter} (one node) and {@link RedisRateLimiter} (shared by
 * replicas; fails open when Redis is unreachable). Thread-safe.
 */
public interface RateLimiter extends AutoCloseable {

  /**
   * Takes {@code cost} tokens from every bucket of {@code key}, or none.
   *
   * @param cost tokens, &ge; 1 and at most the smallest burst (a bigger cost could never pass)
   */
  Decision acquire(RateKey key, long cost);

  @Override
  default void close() {}
}
