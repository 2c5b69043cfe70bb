package dev.ocrgate.server.auth;

import io.jsonwebtoken.JwtBuilder;
import io.jsonwebtoken.Jwts;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Date;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * Mints RFC 9068 access tokens ({@code typ: at+jwt}) with one {@link SigningKey}: {@code iss},
 * {@code sub}, {@code aud}, {@code scope}, tenant, {@code iat}, {@code exp}, {@code jti}. Used by the
 * CLI's {@code token} command, dev mode, tests, benchmarks and the token issuer.
 *
 * <p>Immutable and thread-safe; the clock is injected so tests control {@code iat}/{@code exp}.
 */
public final class TokenMinter {
  private final SigningKey key;
  private final String issuer;
  private final String tenantClaim;
  private final Clock clock;

  private TokenMinter(SigningKey key, String issuer, String tenantClaim, Clock clock) {
    this.key = Objects.requireNonNull(key, "key");
    this.issuer = Objects.requireNonNull(issuer, "issuer");
    this.tenantClaim = Objects.requireNonNull(tenantClaim, "tenantClaim");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** A minter with issuer {@code ocrgate}, tenant claim {@code tenant_id} and the system clock. */
  public static TokenMinter of(SigningKey key) {
    return new TokenMinter(key, "ocrgate", "tenant_id", Clock.systemUTC());
  }

  public static TokenMinter of(SigningKey key, String issuer, String tenantClaim, Clock clock) {
    return new TokenMinter(key, issuer, tenantClaim, clock);
  }

  /**
   * A signed token.
   *
   * @param subject {@code sub}, required
   * @param scopes joined with spaces into {@code scope}; may be empty
   * @param ttl lifetime from now; must be positive
   * @param audience {@code aud}, required
   * @param tenant tenant claim value, or null for none
   * @param extraClaims more claims (may be empty); they cannot override the ones above
   */
  public String mint(String subject, Collection<String> scopes, Duration ttl, String audience,
      String tenant, Map<String, ?> extraClaims) {
    if (ttl.isNegative() || ttl.isZero()) {
      throw new IllegalArgumentException("ttl must be positive, was " + ttl);
    }
    Instant now = clock.instant();
    JwtBuilder b = Jwts.builder();
    b.header().type("at+jwt").keyId(key.kid());
    b.claims(extraClaims);
    b.issuer(issuer)
        .subject(Objects.requireNonNull(subject, "subject"))
        .audience().add(Objects.requireNonNull(audience, "audience")).and()
        .issuedAt(Date.from(now))
        .expiration(Date.from(now.plus(ttl)))
        .id(UUID.randomUUID().toString())
        .claim("scope", String.join(" ", scopes));
    if (tenant != null) {
      b.claim(tenantClaim, tenant);
    }
    return b.signWith(key.signingKey()).compact();
  }

  /** {@link #mint} without extra claims. */
  public String mint(String subject, Collection<String> scopes, Duration ttl, String audience, String tenant) {
    return mint(subject, scopes, ttl, audience, tenant, Map.of());
  }

  public SigningKey key() {
    return key;
  }
}
