package dev.ocrgate.server.auth.issuer;

import dev.ocrgate.server.ratelimit.RateLimitListener;
import dev.ocrgate.server.redis.LuaScript;
import dev.ocrgate.server.redis.OutageWarning;
import dev.ocrgate.server.redis.RedisLink;
import io.lettuce.core.RedisException;
import io.lettuce.core.ScriptOutputType;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link FailureThrottle} shared by every replica: {@code authfail:<client id>} holds the
 * number of failed secret checks, and expires {@code window} after the first of them. A failure
 * is one Lua script (INCR, then PEXPIRE when the count is 1), so the count and its expiry are set
 * together: no crash or lost connection can leave a counter that never expires, and a later
 * failure never extends the window. Blocked when the count is {@code >= maxFailures}, exactly as
 * {@link InMemoryFailureThrottle}.
 *
 * <p>Redis unreachable (error or timeout): does not fail open. Failures are counted in a local
 * {@link InMemoryFailureThrottle} of this replica instead (bounded per replica again, as without
 * Redis), the counter {@code ocrgate_redis_errors_total{operation="issuer_throttle"}} is
 * incremented and a warning is logged at most every 10 s. An id blocked by either count is
 * blocked, so failures counted locally during an outage still count after Redis returns. Token
 * issuance itself does not depend on this: a wrong secret during an outage still gets
 * UNAUTHENTICATED (and a right one a token, or UNAVAILABLE when refresh tokens are on, since
 * {@link RedisRefreshTokenStore} fails closed), which is why the guesses still need throttling then.
 *
 * <p>Thread-safe (the link is thread-safe, the fallback too).
 */
public final class RedisFailureThrottle implements FailureThrottle {
  static final String KEY_PREFIX = "authfail:";
  private static final Logger log = LoggerFactory.getLogger(RedisFailureThrottle.class);
  /** Counts one failure; the first one starts the window. A key without expiry gets one too. */
  private static final LuaScript RECORD =
      LuaScript.of(
          "local n = redis.call('INCR', KEYS[1])\n"
              + "if n == 1 or redis.call('PTTL', KEYS[1]) < 0 then\n"
              + "  redis.call('PEXPIRE', KEYS[1], ARGV[1])\n"
              + "end\n"
              + "return n\n");

  private final RedisLink redis;
  private final int maxFailures;
  private final String windowMillis;
  private final FailureThrottle fallback;
  private final RateLimitListener listener;
  private final OutageWarning outageWarning = new OutageWarning();

  private RedisFailureThrottle(RedisLink redis, int maxFailures, Duration window, FailureThrottle fallback,
      RateLimitListener listener) {
    if (maxFailures < 1) {
      throw new IllegalArgumentException("max failures must be >= 1, got " + maxFailures);
    }
    if (window.toMillis() < 1) {
      throw new IllegalArgumentException("failure window must be >= 1 ms, got " + window);
    }
    this.redis = redis;
    this.maxFailures = maxFailures;
    this.windowMillis = Long.toString(window.toMillis());
    this.fallback = fallback;
    this.listener = listener;
  }

  /**
   * A throttle on {@code redis} (the link is owned by the caller) whose outage fallback tracks at
   * most {@code maxTrackedLocally} ids on this replica.
   */
  public static RedisFailureThrottle create(RedisLink redis, int maxFailures, Duration window, RateLimitListener listener,
      long maxTrackedLocally) {
    return new RedisFailureThrottle(redis, maxFailures, window,
        InMemoryFailureThrottle.create(maxFailures, window, System::nanoTime, maxTrackedLocally), listener);
  }

  @Override
  public boolean blocked(String clientId) {
    if (fallback.blocked(clientId)) {
      return true;
    }
    String count;
    try {
      count = redis.sync().get(KEY_PREFIX + clientId);
    } catch (RedisException e) {
      unreachable(e);
      return false; // the local count, checked above, is all there is
    }
    return count != null && Long.parseLong(count) >= maxFailures;
  }

  @Override
  public void recordFailure(String clientId) {
    try {
      redis.eval(RECORD, ScriptOutputType.INTEGER, new String[] {KEY_PREFIX + clientId}, windowMillis);
    } catch (RedisException e) {
      unreachable(e);
      fallback.recordFailure(clientId);
    }
  }

  private void unreachable(RedisException e) {
    listener.redisError("issuer_throttle");
    if (outageWarning.due()) {
      log.warn("issuer failure throttle: redis {} unreachable ({}); failed secret checks are counted per "
          + "replica until it returns", redis.target(), e.getClass().getSimpleName());
    }
  }
}
