package dev.ocrgate.server.auth.issuer;

import java.time.Duration;
import java.util.Objects;

/**
 * The issuer's tunables. Immutable.
 *
 * @param issuer the {@code iss} claim (must be in the verifier's {@code auth.issuers})
 * @param audience the {@code aud} claim (the verifier's {@code auth.audience})
 * @param tenantClaim claim name carrying the tenant (the verifier's {@code auth.tenant_claim})
 * @param accessTtl access token lifetime (default 15 min)
 * @param refreshTtl refresh token lifetime, renewed by each rotation up to {@code refreshMaxLifetime}
 * @param clockSkew verifier tolerance, added to how long the access tokens of a reused refresh
 *     token's family stay revoked
 * @param maxFailures failed secret checks per client before throttling
 * @param failureWindow how long those failures count
 * @param refreshTokens whether IssueToken returns a refresh token at all (default false: RFC 6749
 *     section 4.4.3 says a client-credentials response SHOULD NOT include one, since the client can
 *     always authenticate again)
 * @param refreshMaxLifetime absolute lifetime of a refresh chain, from its IssueToken, however
 *     often it is rotated
 */
public record IssuerSettings(String issuer, String audience, String tenantClaim, Duration accessTtl,
    Duration refreshTtl, Duration clockSkew, int maxFailures, Duration failureWindow, boolean refreshTokens,
    Duration refreshMaxLifetime) {
  public IssuerSettings {
    Objects.requireNonNull(issuer, "issuer");
    Objects.requireNonNull(audience, "audience");
    Objects.requireNonNull(tenantClaim, "tenantClaim");
    positive(accessTtl, "access ttl");
    positive(refreshTtl, "refresh ttl");
    positive(failureWindow, "failure window");
    positive(refreshMaxLifetime, "refresh max lifetime");
    if (clockSkew.isNegative()) {
      throw new IllegalArgumentException("clock skew must be >= 0");
    }
    if (maxFailures < 1) {
      throw new IllegalArgumentException("max failures must be >= 1");
    }
  }

  /** Settings without refresh tokens (the default); {@link #withRefreshTokens} turns them on. */
  public IssuerSettings(String issuer, String audience, String tenantClaim, Duration accessTtl,
      Duration refreshTtl, Duration clockSkew, int maxFailures, Duration failureWindow) {
    this(issuer, audience, tenantClaim, accessTtl, refreshTtl, clockSkew, maxFailures, failureWindow, false,
        refreshTtl);
  }

  /** Defaults: iss/aud {@code ocrgate}, tenant claim {@code tenant_id}, 15 min / 24 h, 60 s skew, 5 failures per 5 min, no refresh tokens. */
  public static IssuerSettings defaults() {
    return new IssuerSettings("ocrgate", "ocrgate", "tenant_id", Duration.ofMinutes(15), Duration.ofHours(24),
        Duration.ofSeconds(60), 5, Duration.ofMinutes(5));
  }

  /** These settings with refresh tokens issued, each chain ending {@code maxLifetime} after its IssueToken. */
  public IssuerSettings withRefreshTokens(Duration maxLifetime) {
    return new IssuerSettings(issuer, audience, tenantClaim, accessTtl, refreshTtl, clockSkew, maxFailures,
        failureWindow, true, maxLifetime);
  }

  private static void positive(Duration d, String what) {
    if (d == null || d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(what + " must be positive");
    }
  }
}
