package dev.ocrgate.server;

import dev.ocrgate.server.auth.InMemoryRevocationStore;
import dev.ocrgate.server.auth.RedisRevocationStore;
import dev.ocrgate.server.auth.RevocationStore;
import dev.ocrgate.server.auth.issuer.FailureThrottle;
import dev.ocrgate.server.auth.issuer.InMemoryFailureThrottle;
import dev.ocrgate.server.auth.issuer.InMemoryRefreshTokenStore;
import dev.ocrgate.server.auth.issuer.RedisFailureThrottle;
import dev.ocrgate.server.auth.issuer.RedisRefreshTokenStore;
import dev.ocrgate.server.auth.issuer.RefreshTokenStore;
import dev.ocrgate.server.config.ConfigException;
import dev.ocrgate.server.config.OcrgateConfig;
import dev.ocrgate.server.config.RedisSection;
import dev.ocrgate.server.observability.Metrics;
import dev.ocrgate.server.ratelimit.BucketSpec;
import dev.ocrgate.server.ratelimit.InMemoryRateLimiter;
import dev.ocrgate.server.ratelimit.RateLimitPolicy;
import dev.ocrgate.server.ratelimit.RateLimiter;
import dev.ocrgate.server.ratelimit.RedisRateLimiter;
import dev.ocrgate.server.redis.RedisHealthWatcher;
import dev.ocrgate.server.redis.RedisLink;
import io.grpc.protobuf.services.HealthStatusManager;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;

/**
 * The stores whose state outlives a call: in memory for one node, in Redis when {@code redis.url}
 * is set (one lettuce connection shared by every store, its reachability reported to health and
 * the {@code ocrgate_redis_up} gauge): revocations, refresh tokens, rate-limit buckets and the
 * issuer's failed-secret counts. Registered on the server for closing: the watcher first,
 * then the stores, then the connection. Built once at assembly; immutable afterwards.
 */
final class SharedState implements AutoCloseable {
  private static final long MAX_TRACKED_FAILURE_IDS = 100_000;
  private final RedisLink redis; // null = in-memory
  private final RedisHealthWatcher watcher; // null = in-memory
  private final RevocationStore revocations;
  private final Clock clock;

  private SharedState(RedisLink redis, RedisHealthWatcher watcher, RevocationStore revocations, Clock clock) {
    this.redis = redis;
    this.watcher = watcher;
    this.revocations = revocations;
    this.clock = clock;
  }

  /** Opens the stores for {@code config} and registers them on {@code builder} for closing. */
  static SharedState open(OcrgateConfig config, OcrgateServer.Builder builder, Metrics metrics, Clock clock) {
    SharedState state;
    if (config.redis.enabled()) {
      RedisLink link = link(config.redis);
      RedisHealthWatcher watcher = RedisHealthWatcher.create(link);
      metrics.registerRedisUp(watcher::up);
      state = new SharedState(link, watcher, RedisRevocationStore.create(link, clock), clock);
      builder.startupFact("state", "redis:" + link.target() + (config.redis.url.startsWith("rediss://") ? " tls" : "")
          + (config.redis.username != null && !config.redis.username.isBlank() ? " user " + config.redis.username : ""));
    } else {
      state = new SharedState(null, null, InMemoryRevocationStore.create(clock), clock);
      builder.startupFact("state", "memory");
    }
    builder.onClose(state);
    return state;
  }

  /** The link with the section's credentials and CA; the password array is wiped after use. */
  private static RedisLink link(RedisSection r) {
    char[] password = r.password(System::getenv);
    if (password == null && r.username != null && !r.username.isBlank()) {
      throw new ConfigException("redis.username is set but neither redis.password_file nor " + r.password_env
          + " holds a password");
    }
    try {
      return RedisLink.create(r.url, Duration.ofMillis(r.timeout_ms), r.username, password,
          r.tls_ca_file == null || r.tls_ca_file.isBlank() ? null : Path.of(r.tls_ca_file));
    } finally {
      if (password != null) {
        Arrays.fill(password, '\0');
      }
    }
  }

  RevocationStore revocations() {
    return revocations;
  }

  RefreshTokenStore refreshTokens() {
    return redis == null ? InMemoryRefreshTokenStore.create(clock) : RedisRefreshTokenStore.create(redis);
  }

  /**
   * The issuer's failed-secret throttle: per replica in memory, shared in Redis (falling back to
   * per-replica counting while Redis is unreachable). Either way at most 100,000 ids are tracked
   * in this process.
   */
  FailureThrottle failureThrottle(int maxFailures, Duration window, Metrics metrics) {
    return redis == null
        ? InMemoryFailureThrottle.create(maxFailures, window, System::nanoTime, MAX_TRACKED_FAILURE_IDS)
        : RedisFailureThrottle.create(redis, maxFailures, window, metrics, MAX_TRACKED_FAILURE_IDS);
  }

  /**
   * The issuer's per-peer budget: token buckets of {@code spec} keyed by peer, per replica in
   * memory, shared in Redis under their own key prefix (a subject's bucket is never a peer's).
   * Like every Redis rate limit it fails open while Redis is unreachable; the issuer's
   * {@code SecretCheckGate} still bounds the hashing then.
   */
  RateLimiter issuerPeerBudget(BucketSpec spec, Metrics metrics) {
    RateLimitPolicy policy = RateLimitPolicy.builder(spec, spec).build();
    return redis == null
        ? InMemoryRateLimiter.create(policy, System::nanoTime)
        : RedisRateLimiter.create(redis, "issuerpeer", policy, metrics);
  }

  RateLimiter rateLimiter(RateLimitPolicy policy, Metrics metrics) {
    return redis == null
        ? InMemoryRateLimiter.create(policy, System::nanoTime)
        : RedisRateLimiter.create(redis, policy, metrics);
  }

  /** Starts reporting Redis reachability into the built server's health (no-op in memory). */
  void startHealth(HealthStatusManager health) {
    if (watcher != null) {
      watcher.start(health);
    }
  }

  @Override
  public void close() {
    if (watcher != null) {
      watcher.close();
    }
    revocations.close();
    if (redis != null) {
      redis.close();
    }
  }
}
