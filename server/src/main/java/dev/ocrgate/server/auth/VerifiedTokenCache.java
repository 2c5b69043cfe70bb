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
 * <p>Thread-safe (Caffeine). Expiry is computed from the injected clock at insert, and a hit whose
 * {@code exp + skew} has passed by that clock is treated as a miss, so tests with a fake clock are
 * deterministic.
 */
final class VerifiedTokenCache {
  private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(VerifiedTokenCache::sha256);

  private final Cache<Digest, Principal> cache;
  private final Clock clock;
  private final Duration skew;

  private VerifiedTokenCache(long maxEntries, Clock clock, Duration skew) {
    this.clock = clock;
    this.skew = skew;
    this.cache =
        Caffeine.newBuilder()
            .maximumSize(maxEntries)
            .expireAfter(
                new Expiry<Digest, Principal>() {
                  @Override
                  public long expireAfterCreate(Digest k, Principal p, long now) {
                    return Math.max(0, Duration.between(clock.instant(), p.expiresAt()).toNanos());
                  }

                  @Override
                  public long expireAfterUpdate(Digest k, Principal p, long now, long current) {
                    return expireAfterCreate(k, p, now);
                  }

                  @Override
                  public long expireAfterRead(Digest k, Principal p, long now, long current) {
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

  /** The cached principal, or null (also when its token has expired by the clock). */
  Principal get(Digest d) {
    Principal p = cache.getIfPresent(d);
    if (p != null && !clock.instant().isBefore(p.expiresAt().plus(skew))) {
      cache.invalidate(d);
      return null;
    }
    return p;
  }

  void put(Digest d, Principal p) {
    if (clock.instant().isBefore(p.expiresAt())) {
      cache.put(d, p);
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
