package dev.ocrgate.server.ratelimit;

import dev.ocrgate.server.redis.LuaScript;
import dev.ocrgate.server.redis.OutageWarning;
import dev.ocrgate.server.redis.RedisLink;
import io.lettuce.core.RedisException;
import io.lettuce.core.ScriptOutputType;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Token buckets in Redis, shared by every replica: one Lua script (EVALSHA, EVAL when Redis has
 * forgotten it) refills and charges the subject and tenant buckets atomically.
 *
 * <p>Time: by default the script reads Redis {@code TIME}, so every replica measures refill on the
 * same clock; with replica clocks skewed by a second, passing each replica's own time would let
 * the fast one refill buckets early and the slow one see no refill at all. A {@code nowMicros}
 * source can be injected instead, which tests use to drive the real script deterministically.
 *
 * <p>Fails OPEN: if Redis cannot answer in time the call is allowed, the counter
 * {@code ocrgate_redis_errors_total{operation="ratelimit"}} is incremented and a warning is logged
 * at most every 10 s.
 * Metering is worth less than availability; revocation, which is security, fails closed instead.
 *
 * <p>Keys are {@link RateKey#subjectBucket()} and {@link RateKey#tenantBucket()} (the same rule as
 * the in-memory limiter): they share a hash tag per tenant, so the script's keys stay in one slot
 * of a Redis Cluster. Thread-safe.
 */
public final class RedisRateLimiter implements RateLimiter {
  private static final Logger log = LoggerFactory.getLogger(RedisRateLimiter.class);
  private static final LuaScript SCRIPT = LuaScript.load(RedisRateLimiter.class, "token_buckets.lua");

  private final RedisLink redis;
  private final String namespace;
  private final RateLimitPolicy policy;
  private final LongSupplier nowMicros; // null = Redis TIME
  private final RateLimitListener listener;
  private final OutageWarning outageWarning = new OutageWarning();

  private RedisRateLimiter(RedisLink redis, String namespace, RateLimitPolicy policy, LongSupplier nowMicros,
      RateLimitListener listener) {
    this.redis = redis;
    this.namespace = namespace;
    this.policy = policy;
    this.nowMicros = nowMicros;
    this.listener = listener;
  }

  /** A limiter on Redis time; the link is owned by the caller. */
  public static RedisRateLimiter create(RedisLink redis, RateLimitPolicy policy, RateLimitListener listener) {
    return new RedisRateLimiter(redis, "rl", policy, null, listener);
  }

  /**
   * A limiter on Redis time whose keys start with {@code namespace:} instead of {@code rl:}, for
   * budgets that must never share a bucket with a subject's (e.g. the issuer's per-peer budget,
   * whose keys a token's {@code sub} could otherwise name).
   */
  public static RedisRateLimiter create(RedisLink redis, String namespace, RateLimitPolicy policy, RateLimitListener listener) {
    if (namespace.isEmpty() || namespace.equals("rl") || namespace.contains("{")) {
      throw new IllegalArgumentException("namespace must be non-empty, not 'rl', without '{'");
    }
    return new RedisRateLimiter(redis, namespace, policy, null, listener);
  }

  /** A limiter on the given microsecond clock instead of Redis TIME (deterministic tests). */
  static RedisRateLimiter withClock(RedisLink redis, RateLimitPolicy policy, LongSupplier nowMicros, RateLimitListener listener) {
    return new RedisRateLimiter(redis, "rl", policy, nowMicros, listener);
  }

  @Override
  public Decision acquire(RateKey key, long cost) {
    String[] keys;
    String[] args;
    String now = nowMicros == null ? "-1" : Long.toString(nowMicros.getAsLong());
    BucketSpec s = policy.subjectSpec();
    if (key.tenant() == null) {
      keys = new String[] {key.subjectBucket(namespace)};
      args = new String[] {now, Long.toString(cost), rate(s), Long.toString(s.burst())};
    } else {
      BucketSpec t = policy.tenantSpec(key.tenant());
      keys = new String[] {key.subjectBucket(namespace), key.tenantBucket(namespace)};
      args = new String[] {now, Long.toString(cost), rate(s), Long.toString(s.burst()),
          rate(t), Long.toString(t.burst())};
    }
    try {
      List<Long> r = redis.eval(SCRIPT, ScriptOutputType.MULTI, keys, args);
      return r.get(0) == 1L
          ? Decision.ALLOW
          : Decision.deny(TimeUnit.MICROSECONDS.toNanos(r.get(1)), r.get(2) == 1L ? Decision.SUBJECT : Decision.TENANT);
    } catch (RedisException e) {
      return failOpen(e);
    }
  }

  private Decision failOpen(RedisException e) {
    listener.redisError("ratelimit");
    if (outageWarning.due()) {
      log.warn("rate limiting FAILS OPEN: redis {} unreachable ({}); calls pass unmetered by the {}* buckets",
          redis.target(), e.getClass().getSimpleName(), namespace + ":");
    }
    return Decision.ALLOW;
  }

  private static String rate(BucketSpec spec) {
    return Double.toString(spec.ratePerSecond());
  }
}
