package dev.ocrgate.server.auth.issuer;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ocrgate.server.auth.RevocationStore.StoreUnavailableException;
import dev.ocrgate.server.redis.LuaScript;
import dev.ocrgate.server.redis.RedisLink;
import io.lettuce.core.RedisException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SetArgs;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Refresh tokens in Redis, shared by replicas. {@code rt:<sha256>} holds the grant as JSON plus a
 * {@code used} flag (a hash); {@code rtfam:{<family>}:revoked} and the set {@code
 * rtfam:{<family>}:jti} ("jti epochSeconds" members) hold the family. Redemption is one Lua script,
 * so two replicas racing with the same token cannot both rotate it.
 *
 * <p>Thread-safe. Errors become {@link StoreUnavailableException}; the service answers UNAVAILABLE.
 */
public final class RedisRefreshTokenStore implements RefreshTokenStore {
  private static final ObjectMapper JSON = new ObjectMapper();
  /** Returns {} (unknown) or {grant json, previous used flag} and sets used=1, keeping the TTL. */
  private static final LuaScript REDEEM =
      LuaScript.of(
          "local v = redis.call('HMGET', KEYS[1], 'g', 'used')\n"
              + "if not v[1] then return {} end\n"
              + "redis.call('HSET', KEYS[1], 'used', '1')\n"
              + "return {v[1], v[2] or '0'}\n");

  private final RedisLink redis;

  private RedisRefreshTokenStore(RedisLink redis) {
    this.redis = redis;
  }

  /** A store on {@code redis}; the link is owned by the caller. */
  public static RedisRefreshTokenStore create(RedisLink redis) {
    return new RedisRefreshTokenStore(redis);
  }

  @Override
  public void save(String tokenHash, RefreshGrant grant, Duration ttl) throws StoreUnavailableException {
    String key = "rt:" + tokenHash;
    try {
      var cmd = redis.sync();
      cmd.hset(key, Map.of("g", toJson(grant), "used", "0"));
      cmd.pexpire(key, ttl.toMillis());
    } catch (RedisException e) {
      throw unavailable(e);
    }
  }

  @Override
  public Redemption redeem(String tokenHash) throws StoreUnavailableException {
    List<String> r;
    try {
      r = redis.eval(REDEEM, ScriptOutputType.MULTI, new String[] {"rt:" + tokenHash});
    } catch (RedisException e) {
      throw unavailable(e);
    }
    if (r == null || r.isEmpty()) {
      return new Redemption(Outcome.UNKNOWN, null);
    }
    RefreshGrant grant = fromJson(r.get(0));
    return new Redemption("1".equals(r.get(1)) ? Outcome.REUSED : Outcome.REDEEMED, grant);
  }

  @Override
  public void addAccessToken(String familyId, String jti, Instant expiresAt, Duration familyTtl)
      throws StoreUnavailableException {
    String key = familyKey(familyId, "jti");
    try {
      var cmd = redis.sync();
      cmd.sadd(key, jti + " " + expiresAt.getEpochSecond());
      cmd.pexpire(key, familyTtl.toMillis());
    } catch (RedisException e) {
      throw unavailable(e);
    }
  }

  @Override
  public Map<String, Instant> revokeFamily(String familyId, Duration familyTtl) throws StoreUnavailableException {
    try {
      var cmd = redis.sync();
      cmd.set(familyKey(familyId, "revoked"), "1", SetArgs.Builder.px(familyTtl.toMillis()));
      Map<String, Instant> out = new HashMap<>();
      for (String member : cmd.smembers(familyKey(familyId, "jti"))) {
        int sp = member.lastIndexOf(' ');
        out.put(member.substring(0, sp), Instant.ofEpochSecond(Long.parseLong(member.substring(sp + 1))));
      }
      return out;
    } catch (RedisException e) {
      throw unavailable(e);
    }
  }

  @Override
  public boolean familyRevoked(String familyId) throws StoreUnavailableException {
    try {
      return redis.sync().exists(familyKey(familyId, "revoked")) > 0;
    } catch (RedisException e) {
      throw unavailable(e);
    }
  }

  private static String familyKey(String familyId, String part) {
    return "rtfam:{" + familyId + "}:" + part;
  }

  private StoreUnavailableException unavailable(RedisException e) {
    return new StoreUnavailableException("refresh token store (redis " + redis.target() + ") unavailable", e);
  }

  private static String toJson(RefreshGrant g) {
    try {
      return JSON.writeValueAsString(g);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot encode a refresh grant", e);
    }
  }

  private static RefreshGrant fromJson(String json) {
    try {
      return JSON.readValue(json, RefreshGrant.class);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("corrupt refresh grant in redis", e);
    }
  }
}
