package dev.ocrgate.server.ratelimit;

/**
 * Metrics hooks of rate limiting: the interceptor, the Redis buckets and the issuer's budgets
 * (per-peer limit, failure throttle) report here and never see the metrics registry
 * ({@code observability.Metrics} implements this). Called on gRPC and Redis threads;
 * implementations must be thread-safe and cheap. Every method has an empty default.
 */
public interface RateLimitListener {
  /** A listener that records nothing. */
  RateLimitListener NONE = new RateLimitListener() {};

  /** A call or frame was refused by {@code limit} (e.g. {@code subject}, {@code tenant}). */
  default void rateLimitRejected(String limit) {}

  /**
   * A Redis command of {@code store} failed (a fixed name such as {@code ratelimit}); the caller
   * then fails open or closed as it documents.
   */
  default void redisError(String store) {}
}
