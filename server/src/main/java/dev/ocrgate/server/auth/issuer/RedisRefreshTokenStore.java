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
 * Refresh tokens in Redis, shared by replicas. {@code rt2:<sha256>} is a string: one flag
 * character ({@code 0} fresh, {@code 1} used) followed by the grant as JSON;
 * {@code rtfam:{<family>}:revoked} and the set {@code rtfam:{<family>}:jti} ("jti epochSeconds"
 * members) hold the family.
 *
 * <p>Invariant: no key of this store ever exists without a TTL. Every write that creates a key
 * sets its expiry in the same atomic step: a token is saved by one {@code SET ... PX}, a family
 * member by one Lua script (SADD and PEXPIRE), the revoked mark by {@code SET ... PX};
 * redemption flips the flag in place with {@code SETRANGE}, which keeps the TTL. (An earlier
 * layout, {@code rt:} hashes written by HSET then PEXPIRE, could leave a token that never expired
 * when the second command failed; those keys are not read any more.) Redemption is one Lua
 * script, so two replicas racing with the same token cannot both rotate it.
 *
 * <p>Thread-safe. Errors (unreachable, timeout, and OOM answers of a full Redis with
 * {@code noeviction}) become {@link StoreUnavailableException}; the service answers UNAVAILABLE.
 */
public final class RedisRefreshTokenStore implements RefreshTokenStore {
  private static final ObjectMapper JSON = new ObjectMapper();
  static final String TOKEN_PREFIX = "rt2:";
  /** Returns {} (unknown) or {grant json, previous flag} and sets the flag to 1, keeping the TTL. */
  private static final LuaScript REDEEM =
      LuaScript.of(
          "local v = redis.call('GET', KEYS[1])\n"
              + "if not v then return {} end\n"
              + "local flag = string.sub(v, 1, 1)\n"
              + "if flag == '0' then redis.call('SETRANGE', KEYS[1], 0, '1') end\n"
              + "return {string.sub(v, 2), flag}\n");
  /** Adds a member to a family set and (re)sets the set's TTL in one step. */
  private static final LuaScript ADD_MEMBER =
      LuaScript.of(
          "redis.call('SADD', KEYS[1], ARGV[1])\n"
              + "redis.call('PEXPIRE', KEYS[1], ARGV[2])\n"
              + "return 1\n");

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
    try {
      String ok = redis.sync().set(TOKEN_PREFIX + tokenHash, "0" + toJson(grant), SetArgs.Builder.px(ttl.toMillis()));
      if (!"OK".equals(ok)) {
        throw new RedisException("SET answered " + ok);
      }
    } catch (RedisException e) {
      throw unavailable(e);
    }
  }

  @Override
  public Redemption redeem(String tokenHash) throws StoreUnavailableException {
    List<String> r;
    try {
      r = redis.eval(REDEEM, ScriptOutputType.MULTI, new String[] {TOKEN_PREFIX + tokenHash});
    } catch (RedisException e) {
      throw unavailable(e);
    }
    if (r == null || r.isEmpty()) {
      return new Redemption(Outcome.UNKNOWN, null);
    }
    RefreshGrant grant = fromJson(r.get(0));
    return new Redemption("0".equals(r.get(1)) ? Outcome.REDEEMED : Outcome.REUSED, grant);
  }

  @Override
  public void addAccessToken(String familyId, String jti, Instant expiresAt, Duration familyTtl)
      throws StoreUnavailableException {
    try {
      redis.eval(ADD_MEMBER, ScriptOutputType.INTEGER, new String[] {familyKey(familyId, "jti")},
          jti + " " + expiresAt.getEpochSecond(), Long.toString(familyTtl.toMillis()));
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
