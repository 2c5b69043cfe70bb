package dev.ocrgate.server.auth.issuer;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.ToLongFunction;

/**
 * Refresh tokens in this JVM (one node). Each entry expires on its own TTL (Caffeine with a
 * per-entry expiry on the injected clock). Thread-safe: {@link #redeem} and family updates use the
 * maps' atomic {@code compute}.
 */
public final class InMemoryRefreshTokenStore implements RefreshTokenStore {
  private record Entry(RefreshGrant grant, boolean used, long ttlNanos) {}

  private record Family(boolean revoked, Map<String, Instant> jtis, long ttlNanos) {}

  private final Clock clock;
  private final Cache<String, Entry> tokens;
  private final Cache<String, Family> families;

  private InMemoryRefreshTokenStore(Clock clock) {
    this.clock = clock;
    this.tokens = Caffeine.newBuilder().ticker(this::nanos).expireAfter(new TtlExpiry<Entry>(Entry::ttlNanos, false)).build();
    this.families = Caffeine.newBuilder().ticker(this::nanos).expireAfter(new TtlExpiry<Family>(Family::ttlNanos, true)).build();
  }

  public static InMemoryRefreshTokenStore create(Clock clock) {
    return new InMemoryRefreshTokenStore(clock);
  }

  @Override
  public void save(String tokenHash, RefreshGrant grant, Duration ttl) {
    tokens.put(tokenHash, new Entry(grant, false, ttl.toNanos()));
  }

  @Override
  public Redemption redeem(String tokenHash) {
    Entry[] before = new Entry[1];
    tokens.asMap().computeIfPresent(tokenHash, (k, e) -> {
      before[0] = e;
      // Keeps the remaining lifetime: a used entry is not extended by its redemption.
      return e.used() ? e : new Entry(e.grant(), true, e.ttlNanos());
    });
    Entry e = before[0];
    if (e == null) {
      return new Redemption(Outcome.UNKNOWN, null);
    }
    return new Redemption(e.used() ? Outcome.REUSED : Outcome.REDEEMED, e.grant());
  }

  @Override
  public void addAccessToken(String familyId, String jti, Instant expiresAt, Duration familyTtl) {
    families.asMap().compute(familyId, (k, f) -> {
      Map<String, Instant> jtis = f == null ? new ConcurrentHashMap<>() : f.jtis();
      jtis.put(jti, expiresAt);
      return new Family(f != null && f.revoked(), jtis, familyTtl.toNanos());
    });
  }

  @Override
  public Map<String, Instant> revokeFamily(String familyId, Duration familyTtl) {
    Family f = families.asMap().compute(familyId, (k, old) ->
        new Family(true, old == null ? new ConcurrentHashMap<>() : old.jtis(), familyTtl.toNanos()));
    return new HashMap<>(f.jtis());
  }

  @Override
  public boolean familyRevoked(String familyId) {
    Family f = families.getIfPresent(familyId);
    return f != null && f.revoked();
  }

  private long nanos() {
    Instant now = clock.instant();
    return now.getEpochSecond() * 1_000_000_000L + now.getNano();
  }

  /** Expiry = the entry's own TTL from creation (and from updates if asked); reads do not extend it. */
  private static final class TtlExpiry<V> implements Expiry<String, V> {
    private final ToLongFunction<V> ttl;
    private final boolean resetOnUpdate;

    TtlExpiry(ToLongFunction<V> ttl, boolean resetOnUpdate) {
      this.ttl = ttl;
      this.resetOnUpdate = resetOnUpdate;
    }

    @Override
    public long expireAfterCreate(String key, V value, long currentTime) {
      return ttl.applyAsLong(value);
    }

    @Override
    public long expireAfterUpdate(String key, V value, long currentTime, long currentDuration) {
      return resetOnUpdate ? ttl.applyAsLong(value) : currentDuration;
    }

    @Override
    public long expireAfterRead(String key, V value, long currentTime, long currentDuration) {
      return currentDuration;
    }
  }
}
