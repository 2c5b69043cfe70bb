package dev.ocrgate.client;

import io.jsonwebtoken.Jwts;
import java.security.PrivateKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.List;
import java.util.UUID;

/**
 * Self-signed service-account JWTs: the client holds a private key whose public half the server
 * trusts (by {@code kid}), and mints its own short-lived access tokens — no round trip to an
 * issuer. Claims: {@code iss} = {@code sub} = the account, {@code aud}, {@code iat}, {@code nbf},
 * {@code exp} = now + lifetime, a random {@code jti}, and {@code scope} (space-separated) when
 * scopes are given; header {@code typ: at+jwt} and {@code kid}. The algorithm follows the key:
 * ES256/384/512 for EC, RS256 for RSA, EdDSA for Ed25519.
 *
 * <p>Thread-safe (immutable; jjwt's builder is created per call).
 */
final class ServiceAccountTokenSource implements TokenSource {
  private final PrivateKey key;
  private final String keyId;
  private final String account;
  private final String audience;
  private final Duration lifetime;
  private final List<String> scopes;
  private final Clock clock;

  ServiceAccountTokenSource(
      PrivateKey key, String keyId, String account, String audience, Duration lifetime,
      List<String> scopes, Clock clock) {
    this.key = key;
    this.keyId = keyId;
    this.account = account;
    this.audience = audience;
    this.lifetime = lifetime;
    this.scopes = List.copyOf(scopes);
    this.clock = clock;
  }

  @Override
  public AccessToken fetch() {
    Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS); // JWT times are whole seconds
    Instant exp = now.plus(lifetime);
    var builder =
        Jwts.builder()
            .header().keyId(keyId).type("at+jwt").and()
            .issuer(account)
            .subject(account)
            .audience().add(audience).and()
            .issuedAt(Date.from(now))
            .notBefore(Date.from(now))
            .expiration(Date.from(exp))
            .id(UUID.randomUUID().toString());
    if (!scopes.isEmpty()) {
      builder.claim("scope", String.join(" ", scopes));
    }
    return AccessToken.of(builder.signWith(key).compact(), exp);
  }

  @Override
  public String toString() {
    return "ServiceAccountTokenSource[account=" + account + ", kid=" + keyId + "]";
  }
}
