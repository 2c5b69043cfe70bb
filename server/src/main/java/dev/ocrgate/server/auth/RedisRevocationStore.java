package dev.ocrgate.server.auth;

import dev.ocrgate.server.redis.LuaScript;
import dev.ocrgate.server.redis.RedisKeys;
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
 * Revocations kept in Redis so that every replica sees them. Keys name the {@link Scope} (issuer
 * and tenant) and the id, each part with {@code %} and {@code :} percent-encoded so that no two
 * scopes share a key: {@code revoked:v2:jti:<iss>:<tenant>:<jti>} = 1 with a TTL until the
 * revocation may be forgotten, and {@code revoked:v2:sub:<iss>:<tenant>:<sub>} = cut-off epoch
 * milliseconds with the configured retention. A check is one {@code MGET}.
 *
 * <p>Keys of the previous format ({@code revoked:jti:<jti>}, {@code revoked:sub:<sub>}, written by
 * replicas of the version before revocations had scopes) are still read, with their old meaning
 * (every issuer and tenant), so that a rolling upgrade loses no revocation; they are never written
 * and expire by themselves within their retention (the refresh-token lifetime plus skew, 24 h by
 * default). The read can go once no replica of that version runs.
 *
 * <p>Fails closed: any Redis error or timeout becomes {@link StoreUnavailableException}; lettuce
 * reconnects by itself, so the store recovers without a restart when Redis returns.
 *
 * <p>Thread-safe (stateless apart from the thread-safe {@link RedisLink}).
 */
public final class RedisRevocationStore implements RevocationStore {
  static final String JTI_PREFIX = "revoked:v2:jti:";
  static final String SUB_PREFIX = "revoked:v2:sub:";
  static final String LEGACY_JTI_PREFIX = "revoked:jti:";
  static final String LEGACY_SUB_PREFIX = "revoked:sub:";

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
  public boolean isRevoked(Scope scope, String jti, String subject, Instant issuedAt) throws StoreUnavailableException {
    List<KeyValue<String, String>> values;
    try {
      values = jti == null
          ? redis.sync().mget(key(SUB_PREFIX, scope, subject), LEGACY_SUB_PREFIX + subject)
          : redis.sync().mget(key(SUB_PREFIX, scope, subject), LEGACY_SUB_PREFIX + subject,
              key(JTI_PREFIX, scope, jti), LEGACY_JTI_PREFIX + jti);
    } catch (RedisException e) {
      throw unavailable(e);
    }
    if (values.size() > 2 && (values.get(2).hasValue() || values.get(3).hasValue())) {
      return true;
    }
    long iatMillis = issuedAt == null ? 0 : issuedAt.toEpochMilli();
    return cutOff(values.get(0), iatMillis) || cutOff(values.get(1), iatMillis);
  }

  private static boolean cutOff(KeyValue<String, String> cutoff, long iatMillis) {
    return cutoff.hasValue() && iatMillis <= Long.parseLong(cutoff.getValue());
  }

  @Override
  public void revokeJti(Scope scope, String jti, Instant until) throws StoreUnavailableException {
    long ttlMillis = until.toEpochMilli() - clock.millis();
    if (ttlMillis <= 0) {
      return; // already expired: the verifier refuses it anyway
    }
    try {
      redis.sync().set(key(JTI_PREFIX, scope, jti), "1", SetArgs.Builder.px(ttlMillis));
    } catch (RedisException e) {
      throw unavailable(e);
    }
  }

  @Override
  public void revokeSubjectBefore(Scope scope, String subject, Instant cutoff, Duration retention)
      throws StoreUnavailableException {
    try {
      redis.eval(RAISE_CUTOFF, ScriptOutputType.INTEGER, new String[] {key(SUB_PREFIX, scope, subject)},
          Long.toString(cutoff.toEpochMilli()), Long.toString(Math.max(1, retention.toMillis())));
    } catch (RedisException e) {
      throw unavailable(e);
    }
  }

  @Override
  public boolean healthy() {
    return redis.connected();
  }

  /** {@code prefix + iss:tenant:id}, each part escaped by {@link RedisKeys#escape}. */
  static String key(String prefix, Scope scope, String id) {
    return prefix + RedisKeys.escape(scope.issuer()) + ':' + RedisKeys.escape(scope.tenant()) + ':' + RedisKeys.escape(id);
  }

  private StoreUnavailableException unavailable(RedisException e) {
    return new StoreUnavailableException("revocation store (redis " + redis.target() + ") unavailable", e);
  }
}
