package dev.ocrgate.server.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ocrgate.server.auth.TokenRejectedException.Reason;
import dev.ocrgate.server.config.AuthConfig;
import io.jsonwebtoken.Claims;
import io.jsonwebtoken.ExpiredJwtException;
import io.jsonwebtoken.JweHeader;
import io.jsonwebtoken.JwsHeader;
import io.jsonwebtoken.JwtException;
import io.jsonwebtoken.JwtParser;
import io.jsonwebtoken.Jwts;
import io.jsonwebtoken.LocatorAdapter;
import io.jsonwebtoken.MalformedJwtException;
import io.jsonwebtoken.PrematureJwtException;
import io.jsonwebtoken.UnsupportedJwtException;
import io.jsonwebtoken.security.SecurityException;
import java.io.IOException;
import java.security.Key;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Collection;
import java.util.Date;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Verifies a compact JWS access token (RFC 8725, RFC 9068) and returns its {@link Principal}.
 *
 * <p>Order of checks: shape (three base64url parts; five parts = JWE, refused), then inside jjwt's
 * key lookup the header: {@code alg} in the allow-list ({@code none} never), {@code typ}, {@code kid}
 * known, key type matches {@code alg}; then the signature (jjwt; any {@code crit} refused: we
 * understand no extension; {@code jku}/{@code x5u}/{@code jwk}/{@code x5c} are never used to find
 * keys); then claims: {@code exp} and {@code iat} required, {@code nbf}/{@code iat} with skew,
 * lifetime ({@code exp - iat}) at most the maximum, {@code iss}, the key's issuer binding
 * ({@link VerificationKey#mayIssue}), {@code aud}, {@code sub}.
 *
 * <p>Immutable and thread-safe. Each call builds its own jjwt parser around a call-scoped key
 * lookup, which records the key that checked the signature (for the issuer binding and for
 * {@link #stillTrusted}); the clock is injected.
 */
public final class JwtVerifier {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final KeySource keys;
  private final Settings settings;
  private final Clock clock;
  private final io.jsonwebtoken.Clock jwtClock;

  private JwtVerifier(Settings settings, KeySource keys, Clock clock) {
    this.settings = settings;
    this.keys = keys;
    this.clock = Objects.requireNonNull(clock, "clock");
    this.jwtClock = () -> Date.from(clock.instant());
  }

  /** A verifier over {@code keys} with {@code settings}, reading time from {@code clock}. */
  public static JwtVerifier create(Settings settings, KeySource keys, Clock clock) {
    return new JwtVerifier(settings, Objects.requireNonNull(keys, "keys"), clock);
  }

  /** The caller described by {@code token}, or the reason it is refused. */
  public Principal verify(String token) throws TokenRejectedException {
    return verifyWithKey(token).principal();
  }

  /** Like {@link #verify}, also naming the key that verified the signature. */
  Verified verifyWithKey(String token) throws TokenRejectedException {
    checkShape(token);
    KeyLookup lookup = new KeyLookup(settings, keys);
    Claims claims = parse(token, lookup);
    Principal p = principal(claims);
    VerificationKey key = lookup.found;
    if (!key.mayIssue(claims.getIssuer())) {
      throw new TokenRejectedException(Reason.UNTRUSTED_ISSUER,
          "key " + LogSafe.of(key.kid()) + " is not trusted for iss " + LogSafe.of(claims.getIssuer()));
    }
    return new Verified(p, key);
  }

  /**
   * True while the key that verified {@code v} is still in the key set, unchanged and still bound to
   * its issuer: a cached verification must not outlive its key (one key lookup, no crypto).
   */
  boolean stillTrusted(Verified v) {
    VerificationKey now = keys.find(v.key().kid());
    return now != null && now.sameKeyAs(v.key());
  }

  private Claims parse(String token, KeyLookup lookup) throws TokenRejectedException {
    JwtParser parser = Jwts.parser().keyLocator(lookup).clock(jwtClock)
        .clockSkewSeconds(settings.skew.toSeconds()).build();
    try {
      return parser.parseSignedClaims(token).getPayload();
    } catch (RejectedInLocator e) {
      throw e.rejection;
    } catch (ExpiredJwtException e) {
      throw new TokenRejectedException(Reason.EXPIRED, "exp passed");
    } catch (PrematureJwtException e) {
      throw new TokenRejectedException(Reason.NOT_YET_VALID, "nbf in the future");
    } catch (SecurityException e) {
      throw new TokenRejectedException(Reason.INVALID_SIGNATURE, e.getClass().getSimpleName());
    } catch (UnsupportedJwtException e) {
      throw new TokenRejectedException(
          hasCritHeader(token) ? Reason.UNSUPPORTED_CRITICAL : Reason.UNSUPPORTED_TOKEN, e.getClass().getSimpleName());
    } catch (MalformedJwtException e) {
      throw new TokenRejectedException(
          hasCritHeader(token) ? Reason.UNSUPPORTED_CRITICAL : Reason.MALFORMED, e.getClass().getSimpleName());
    } catch (JwtException | IllegalArgumentException | ClassCastException e) {
      throw new TokenRejectedException(Reason.MALFORMED, e.getClass().getSimpleName());
    }
  }

  public Settings settings() {
    return settings;
  }

  private static void checkShape(String token) throws TokenRejectedException {
    if (token.isEmpty()) {
      throw new TokenRejectedException(Reason.MISSING, "empty token");
    }
    int dots = 0;
    for (int i = 0; i < token.length(); i++) {
      char c = token.charAt(i);
      if (c == '.') {
        dots++;
      } else if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
          || c == '-' || c == '_')) {
        throw new TokenRejectedException(Reason.MALFORMED, "character outside base64url");
      }
    }
    if (dots == 4) {
      throw new TokenRejectedException(Reason.UNSUPPORTED_TOKEN, "JWE (five parts)");
    }
    if (dots != 2 || token.charAt(0) == '.' || token.endsWith(".")) {
      throw new TokenRejectedException(Reason.MALFORMED, "not three non-empty parts");
    }
  }

  /**
   * Whether the protected header has a {@code crit} member (we accept none). Asked only after jjwt
   * refused the token, to name the reason; the header is decoded again, which costs nothing on the
   * accepted path.
   */
  private static boolean hasCritHeader(String token) {
    try {
      byte[] header = Base64.getUrlDecoder().decode(token.substring(0, token.indexOf('.')));
      JsonNode node = JSON.readTree(header);
      return node != null && node.isObject() && node.has("crit");
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }

  private Principal principal(Claims c) throws TokenRejectedException {
    Instant now = clock.instant();
    Date exp = c.getExpiration();
    if (exp == null) {
      throw new TokenRejectedException(Reason.MISSING_CLAIM, "no exp");
    }
    Date iat = c.getIssuedAt();
    if (iat != null && iat.toInstant().isAfter(now.plus(settings.skew))) {
      throw new TokenRejectedException(Reason.ISSUED_IN_FUTURE, "iat beyond skew");
    }
    // Bounds how long a revocation must be kept: an accepted token has exp <= now + skew + maxLifetime.
    if (iat == null) {
      throw new TokenRejectedException(Reason.MISSING_CLAIM, "no iat (the lifetime is bounded from it)");
    }
    if (Duration.between(iat.toInstant(), exp.toInstant()).compareTo(settings.maxLifetime) > 0) {
      throw new TokenRejectedException(Reason.LIFETIME_TOO_LONG, "exp - iat beyond the maximum lifetime");
    }
    if (c.getIssuer() == null || !settings.issuers.contains(c.getIssuer())) {
      throw new TokenRejectedException(Reason.UNTRUSTED_ISSUER, "iss not in allow-list");
    }
    Set<String> aud = c.getAudience();
    if (aud == null || !aud.contains(settings.audience)) {
      throw new TokenRejectedException(Reason.INVALID_AUDIENCE, "aud lacks the configured audience");
    }
    String sub = c.getSubject();
    if (sub == null || sub.isBlank()) {
      throw new TokenRejectedException(Reason.MISSING_CLAIM, "no sub");
    }
    Object tenant = c.get(settings.tenantClaim);
    return Principal.builder()
        .subject(sub)
        .tenant(tenant instanceof String ? (String) tenant : null)
        .scopes(scopes(c))
        .tokenId(c.getId())
        .issuedAt(iat == null ? null : iat.toInstant())
        .expiresAt(exp.toInstant())
        .claims(c)
        .build();
  }

  /**
   * The token's scopes: {@code scope} and {@code scp}, each either a space-separated string
   * (RFC 8693 / RFC 9068) or an array of such strings; both claims are read by the same rule.
   */
  static Set<String> scopes(Map<String, ?> claims) {
    Set<String> out = new LinkedHashSet<>();
    addScopes(claims.get("scope"), out, true);
    addScopes(claims.get("scp"), out, true);
    return out;
  }

  private static void addScopes(Object value, Set<String> out, boolean arrayAllowed) {
    if (value instanceof String s) {
      for (String scope : s.split(" ")) {
        if (!scope.isEmpty()) {
          out.add(scope);
        }
      }
    } else if (arrayAllowed && value instanceof Collection<?> list) {
      for (Object o : list) {
        addScopes(o, out, false);
      }
    }
  }

  /** A verified token, the key whose signature it carried and its {@code iss}. */
  record Verified(Principal principal, VerificationKey key) {}

  /** Carries a rejection out of jjwt's key locator (jjwt lets runtime exceptions pass). */
  private static final class RejectedInLocator extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final transient TokenRejectedException rejection;

    RejectedInLocator(TokenRejectedException rejection) {
      super(null, null, false, false);
      this.rejection = rejection;
    }
  }

  /**
   * Header rules, applied before any signature work, and the kid → key lookup. One per call: it
   * remembers the key it handed to jjwt.
   */
  private static final class KeyLookup extends LocatorAdapter<Key> {
    private final Settings settings;
    private final KeySource keys;
    VerificationKey found;

    KeyLookup(Settings settings, KeySource keys) {
      this.settings = settings;
      this.keys = keys;
    }

    @Override
    protected Key locate(JweHeader header) {
      throw reject(Reason.UNSUPPORTED_TOKEN, "JWE");
    }

    @Override
    protected Key locate(JwsHeader header) {
      String alg = header.getAlgorithm();
      if (alg == null || !settings.algorithms.contains(alg)) {
        throw reject(Reason.UNSUPPORTED_ALGORITHM, "alg not allowed: " + LogSafe.of(alg));
      }
      if (!settings.acceptsType(header.getType())) {
        throw reject(Reason.INVALID_TYPE, "typ not accepted: " + LogSafe.of(header.getType()));
      }
      Set<String> crit = header.getCritical();
      if (crit != null && !crit.isEmpty()) {
        throw reject(Reason.UNSUPPORTED_CRITICAL, "crit header present");
      }
      VerificationKey key = keys.find(header.getKeyId());
      if (key == null) {
        throw reject(Reason.UNKNOWN_KEY, "kid " + LogSafe.of(header.getKeyId()));
      }
      if (!key.usableFor(alg)) {
        throw reject(Reason.INVALID_SIGNATURE, "key " + LogSafe.of(key.kid()) + " cannot verify " + alg);
      }
      found = key;
      return key.key();
    }

    private static RejectedInLocator reject(Reason reason, String detail) {
      return new RejectedInLocator(new TokenRejectedException(reason, detail));
    }
  }

  /** The verifier's rules. Immutable. */
  public static final class Settings {
    final Set<String> algorithms;
    final Set<String> issuers;
    final String audience;
    final Duration skew;
    final boolean strictTyp;
    final String tenantClaim;
    final Duration maxLifetime;

    private Settings(Set<String> algorithms, Set<String> issuers, String audience, Duration skew,
        boolean strictTyp, String tenantClaim, Duration maxLifetime) {
      this.algorithms = Set.copyOf(algorithms);
      this.issuers = Set.copyOf(issuers);
      this.audience = Objects.requireNonNull(audience, "audience");
      this.skew = Objects.requireNonNull(skew, "skew");
      this.strictTyp = strictTyp;
      this.tenantClaim = Objects.requireNonNull(tenantClaim, "tenantClaim");
      this.maxLifetime = Objects.requireNonNull(maxLifetime, "maxLifetime");
      if (maxLifetime.isNegative() || maxLifetime.isZero()) {
        throw new IllegalArgumentException("max token lifetime must be > 0, was " + maxLifetime);
      }
      if (this.algorithms.contains("none") || this.algorithms.isEmpty()) {
        throw new IllegalArgumentException("algorithms must be non-empty and never 'none'");
      }
      if (skew.isNegative()) {
        throw new IllegalArgumentException("skew must be >= 0, was " + skew);
      }
    }

    /**
     * A builder; {@code algorithms}, {@code issuers} and {@code audience} are required, the rest
     * has the defaults of the {@code auth} configuration section.
     */
    public static Builder builder() {
      return new Builder();
    }

    /**
     * These settings, refusing tokens whose {@code exp - iat} exceeds {@code maxLifetime} (and,
     * whatever the maximum, tokens without {@code iat}). A token accepted at instant t then has
     * {@code exp <= t + skew + maxLifetime} and is accepted at most until {@code exp + skew}: a
     * revocation kept {@code maxLifetime + 2 × skew} outlives every token that could be accepted
     * when it was made.
     */
    public Settings withMaxLifetime(Duration maxLifetime) {
      return new Settings(algorithms, issuers, audience, skew, strictTyp, tenantClaim, maxLifetime);
    }

    public Duration maxLifetime() {
      return maxLifetime;
    }

    public Duration skew() {
      return skew;
    }

    public Set<String> algorithms() {
      return algorithms;
    }

    boolean acceptsType(String typ) {
      if (typ == null) {
        return false;
      }
      if (typ.equalsIgnoreCase("at+jwt") || typ.equalsIgnoreCase("application/at+jwt")) {
        return true;
      }
      return !strictTyp && typ.equalsIgnoreCase("JWT");
    }

    /** The default of {@code auth.max_token_lifetime_seconds}. */
    public static final Duration DEFAULT_MAX_LIFETIME = Duration.ofSeconds(AuthConfig.DEFAULT_MAX_TOKEN_LIFETIME_SECONDS);

    private static final List<String> SUPPORTED =
        List.of("RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "EdDSA", "HS256");

    /** Collects the verifier's rules; validates each as it is set and the whole at {@link #build}. */
    public static final class Builder {
      private Set<String> algorithms;
      private Set<String> issuers;
      private String audience;
      private Duration skew = Duration.ofSeconds(60);
      private boolean strictTyp = true;
      private String tenantClaim = "tenant_id";
      private Duration maxLifetime = DEFAULT_MAX_LIFETIME;

      private Builder() {}

      /**
       * Accepted {@code alg} values (RS256, RS384, RS512, PS256..PS512, ES256, ES384, EdDSA,
       * HS256; never {@code none}). Required.
       */
      public Builder algorithms(Collection<String> algorithms) {
        for (String a : algorithms) {
          if (!SUPPORTED.contains(a)) {
            throw new IllegalArgumentException("unsupported algorithm '" + a + "' (supported: " + SUPPORTED + ")");
          }
        }
        this.algorithms = new LinkedHashSet<>(algorithms);
        return this;
      }

      /** Accepted {@code iss} values. Required. */
      public Builder issuers(Collection<String> issuers) {
        this.issuers = new LinkedHashSet<>(issuers);
        return this;
      }

      /** The value {@code aud} must contain. Required. */
      public Builder audience(String audience) {
        this.audience = Objects.requireNonNull(audience, "audience");
        return this;
      }

      /** Tolerance for exp/nbf/iat. Default 60 s. */
      public Builder skew(Duration skew) {
        this.skew = Objects.requireNonNull(skew, "skew");
        return this;
      }

      /**
       * Accept only {@code at+jwt} (RFC 9068); false also accepts {@code JWT}, i.e. ID tokens and
       * other JWTs used as access tokens. Default true.
       */
      public Builder strictTyp(boolean strictTyp) {
        this.strictTyp = strictTyp;
        return this;
      }

      /** The claim holding the tenant. Default {@code tenant_id}. */
      public Builder tenantClaim(String tenantClaim) {
        this.tenantClaim = Objects.requireNonNull(tenantClaim, "tenantClaim");
        return this;
      }

      /**
       * Longest {@code exp - iat} accepted (see {@link Settings#withMaxLifetime}). Default
       * {@link Settings#DEFAULT_MAX_LIFETIME}.
       */
      public Builder maxLifetime(Duration maxLifetime) {
        this.maxLifetime = Objects.requireNonNull(maxLifetime, "maxLifetime");
        return this;
      }

      public Settings build() {
        if (algorithms == null || issuers == null || audience == null) {
          throw new IllegalStateException("algorithms, issuers and audience are required (set: "
              + (algorithms != null ? "algorithms " : "") + (issuers != null ? "issuers " : "")
              + (audience != null ? "audience" : "") + ")");
        }
        return new Settings(algorithms, issuers, audience, skew, strictTyp, tenantClaim, maxLifetime);
      }
    }
  }
}
