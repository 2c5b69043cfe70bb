package dev.ocrgate.server.auth;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * Verified tokens by SHA-256 of the token (the token itself is never stored), bounded in size, each
 * entry expiring at the token's {@code exp}. A hit only skips signature and claim verification;
 * the caller still checks revocation and scopes.
 *
 * <p>Invariant: a hit is used only while the key that verified it is still trusted
 * ({@link JwtVerifier#stillTrusted}: same kid, key material and issuer binding in the current key
 * set, one lookup per hit). When a key leaves the set (JWKS file rewritten, JWKS URL refreshed, a
 * PEM key or secret removed from the config), its cached tokens are verified again on their next
 * call, and so refused, as soon as the key source has noticed; no entry outlives its key.
 *
 * <p>Thread-safe (Caffeine). Expiry is computed from the injected clock at insert, and a hit whose
 * {@code exp + skew} has passed by that clock is treated as a miss, so tests with a fake clock are
 * deterministic.
 */
final class VerifiedTokenCache {
  private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(VerifiedTokenCache::sha256);

  private final Cache<Digest, JwtVerifier.Verified> cache;
  private final Clock clock;
  private final Duration skew;

  private VerifiedTokenCache(long maxEntries, Clock clock, Duration skew) {
    this.clock = clock;
    this.skew = skew;
    this.cache =
        Caffeine.newBuilder()
            .maximumSize(maxEntries)
            .expireAfter(
                new Expiry<Digest, JwtVerifier.Verified>() {
                  @Override
                  public long expireAfterCreate(Digest k, JwtVerifier.Verified v, long now) {
                    return Math.max(0, Duration.between(clock.instant(), v.principal().expiresAt()).toNanos());
                  }

                  @Override
                  public long expireAfterUpdate(Digest k, JwtVerifier.Verified v, long now, long current) {
                    return expireAfterCreate(k, v, now);
                  }

                  @Override
                  public long expireAfterRead(Digest k, JwtVerifier.Verified v, long now, long current) {
                    return current;
                  }
                })
            .build();
  }

  static VerifiedTokenCache create(long maxEntries, Clock clock, Duration skew) {
    if (maxEntries <= 0) {
      throw new IllegalArgumentException("maxEntries must be > 0, was " + maxEntries);
    }
    return new VerifiedTokenCache(maxEntries, clock, skew);
  }

  /** The digest under which {@code token} is cached. */
  static Digest digest(String token) {
    MessageDigest md = SHA256.get();
    byte[] h = md.digest(token.getBytes(StandardCharsets.ISO_8859_1));
    return new Digest(longAt(h, 0), longAt(h, 8), longAt(h, 16), longAt(h, 24));
  }

  /**
   * The principal of {@code token}: from the cache while its entry is unexpired and its key still
   * trusted, otherwise verified by {@code verifier} now (and cached when valid).
   */
  Principal verify(String token, JwtVerifier verifier) throws TokenRejectedException {
    Digest d = digest(token);
    JwtVerifier.Verified v = get(d);
    if (v != null && verifier.stillTrusted(v)) {
      return v.principal();
    }
    if (v != null) {
      cache.invalidate(d); // its key left the key set or changed: verify afresh
    }
    v = verifier.verifyWithKey(token);
    put(d, v);
    return v.principal();
  }

  /** The cached entry, or null (also when its token has expired by the clock). */
  JwtVerifier.Verified get(Digest d) {
    JwtVerifier.Verified v = cache.getIfPresent(d);
    if (v != null && !clock.instant().isBefore(v.principal().expiresAt().plus(skew))) {
      cache.invalidate(d);
      return null;
    }
    return v;
  }

  void put(Digest d, JwtVerifier.Verified v) {
    if (clock.instant().isBefore(v.principal().expiresAt())) {
      cache.put(d, v);
    }
  }

  long size() {
    cache.cleanUp();
    return cache.estimatedSize();
  }

  private static long longAt(byte[] b, int off) {
    long v = 0;
    for (int i = 0; i < 8; i++) {
      v = (v << 8) | (b[off + i] & 0xffL);
    }
    return v;
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required by every JRE", e);
    }
  }

  /** A SHA-256 digest as four longs: cheap equals/hashCode, no token bytes kept. */
  record Digest(long a, long b, long c, long d) {}

  /** For tests: an instant helper. */
  Instant now() {
    return clock.instant();
  }
}
