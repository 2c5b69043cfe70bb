package dev.ocrgate.server.auth;

import dev.ocrgate.server.redis.LuaScript;
import dev.ocrgate.server.redis.RedisLink;
import io.lettuce.core.KeyValue;
import io.lettuce.core.RedisException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SetArgs;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Revocations kept in Redis so that every replica sees them: {@code revoked:jti:<jti>} = 1 with a
 * TTL of the token's remaining lifetime, and {@code revoked:sub:<subject>} = cut-off epoch
 * milliseconds with the configured retention. A check is one {@code MGET}.
 *
 * <p>Fails closed: any Redis error or timeout becomes {@link StoreUnavailableException}; lettuce
 * reconnects by itself, so the store recovers without a restart when Redis returns.
 *
 * <p>Thread-safe (stateless apart from the thread-safe {@link RedisLink}).
 */
public final class RedisRevocationStore implements RevocationStore {
  static final String JTI_PREFIX = "revoked:jti:";
  static final String SUB_PREFIX = "revoked:sub:";

  /** Keeps the later of two cut-offs, and the longer retention. */
  private static final LuaScript RAISE_CUTOFF =
      LuaScript.of(
          "local cur = redis.call('GET', KEYS[1])\n"
              + "local ttl = redis.call('PTTL', KEYS[1])\n"
              + "local v = tonumber(ARGV[1])\n"
              + "if cur and tonumber(cur) > v then v = tonumber(cur) end\n"
              + "local px = tonumber(ARGV[2])\n"
              + "if ttl and ttl > px then px = ttl end\n"
              + "redis.call('SET', KEYS[1], string.format('%d', v), 'PX', px)\n"
              + "return 1\n");

  private final RedisLink redis;
  private final Clock clock;

  private RedisRevocationStore(RedisLink redis, Clock clock) {
    this.redis = redis;
    this.clock = clock;
  }

  /** A store on {@code redis}; the link is owned (and closed) by the caller. */
  public static RedisRevocationStore create(RedisLink redis, Clock clock) {
    return new RedisRevocationStore(redis, clock);
  }

  @Override
  public boolean isRevoked(String jti, String subject, Instant issuedAt) throws StoreUnavailableException {
    List<KeyValue<String, String>> values;
    try {
      values = jti == null
          ? redis.sync().mget(SUB_PREFIX + subject)
          : redis.sync().mget(JTI_PREFIX + jti, SUB_PREFIX + subject);
    } catch (RedisException e) {
      throw unavailable(e);
    }
    int sub = values.size() - 1;
    if (jti != null && values.get(0).hasValue()) {
      return true;
    }
    if (!values.get(sub).hasValue()) {
      return false;
    }
    long cutoffMillis = Long.parseLong(values.get(sub).getValue());
    long iatMillis = issuedAt == null ? 0 : issuedAt.toEpochMilli();
    return iatMillis <= cutoffMillis;
  }

  @Override
  public void revokeJti(String jti, Instant expiresAt) throws StoreUnavailableException {
    long ttlMillis = expiresAt.toEpochMilli() - clock.millis();
    if (ttlMillis <= 0) {
      return; // already expired: the verifier refuses it anyway
    }
    try {
      redis.sync().set(JTI_PREFIX + jti, "1", SetArgs.Builder.px(ttlMillis));
    } catch (RedisException e) {
      throw unavailable(e);
    }
  }

  @Override
  public void revokeSubjectBefore(String subject, Instant cutoff, Duration retention)
      throws StoreUnavailableException {
    try {
      redis.eval(RAISE_CUTOFF, ScriptOutputType.INTEGER, new String[] {SUB_PREFIX + subject},
          Long.toString(cutoff.toEpochMilli()), Long.toString(Math.max(1, retention.toMillis())));
    } catch (RedisException e) {
      throw unavailable(e);
    }
  }

  @Override
  public boolean healthy() {
    return redis.connected();
  }

  private StoreUnavailableException unavailable(RedisException e) {
    return new StoreUnavailableException("revocation store (redis " + redis.target() + ") unavailable", e);
  }
}
