package dev.ocrgate.server.auth;

import io.grpc.Context;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The authenticated caller of the current gRPC call: subject, tenant, scopes, token id, expiry and
 * the token's claims (read-only).
 *
 * <p>Call-scoped: {@link JwtAuthInterceptor} installs it in the call's {@link Context}; handlers
 * read it with {@link #current()} on the thread that runs the handler (or any thread that attached
 * the call's Context). Do not keep it beyond the call. Immutable and thread-safe.
 */
public final class Principal {
  /** The one key under which the caller's identity travels. */
  static final Context.Key<Principal> KEY = Context.key("dev.ocrgate.server.auth.Principal");

  private final String subject;
  private final String tenant;
  private final Set<String> scopes;
  private final String tokenId;
  private final Instant issuedAt;
  private final Instant expiresAt;
  private final Map<String, Object> claims;

  private Principal(Builder b) {
    this.subject = Objects.requireNonNull(b.subject, "subject");
    this.tenant = b.tenant;
    this.scopes = Set.copyOf(b.scopes);
    this.tokenId = b.tokenId;
    this.issuedAt = b.issuedAt;
    this.expiresAt = Objects.requireNonNull(b.expiresAt, "expiresAt");
    Map<String, Object> copy = new LinkedHashMap<>();
    b.claims.forEach((k, v) -> {
      if (k != null && v != null) {
        copy.put(k, v);
      }
    });
    this.claims = Collections.unmodifiableMap(copy);
  }

  /** The caller of the current call, or null when the call is public (or auth is disabled). */
  public static Principal current() {
    return KEY.get();
  }

  /** {@code Context.current().withValue(KEY, this)}: for tests and in-process helpers. */
  public Context attachTo(Context context) {
    return context.withValue(KEY, this);
  }

  static Builder builder() {
    return new Builder();
  }

  /** The {@code sub} claim; never null. */
  public String subject() {
    return subject;
  }

  /** The {@code iss} claim (verified against {@code auth.issuers}); null only for hand-built principals. */
  public String issuer() {
    Object iss = claims.get("iss");
    return iss instanceof String ? (String) iss : null;
  }

  /** The tenant claim (configured name, default {@code tenant_id}); null when absent. */
  public String tenant() {
    return tenant;
  }

  /** Scopes from {@code scope} (space-separated) or {@code scp} (array); immutable. */
  public Set<String> scopes() {
    return scopes;
  }

  public boolean hasScope(String scope) {
    return scopes.contains(scope);
  }

  /** The {@code jti} claim; null when absent. */
  public String tokenId() {
    return tokenId;
  }

  /** The {@code iat} claim; null when absent. */
  public Instant issuedAt() {
    return issuedAt;
  }

  /** The {@code exp} claim; never null (tokens without one are rejected). */
  public Instant expiresAt() {
    return expiresAt;
  }

  /**
   * All claims of the token as parsed (immutable map of JSON values: String, Number, Boolean,
   * List, Map). Nested collections are the parser's read-only views.
   */
  public Map<String, Object> claims() {
    return claims;
  }

  @Override
  public String toString() {
    return "Principal{sub=" + subject + ", tenant=" + tenant + ", scopes=" + scopes + ", jti="
        + tokenId + ", exp=" + expiresAt + "}";
  }

  static final class Builder {
    private String subject;
    private String tenant;
    private Set<String> scopes = Set.of();
    private String tokenId;
    private Instant issuedAt;
    private Instant expiresAt;
    private Map<String, Object> claims = Map.of();

    Builder subject(String v) {
      subject = v;
      return this;
    }

    Builder tenant(String v) {
      tenant = v;
      return this;
    }

    Builder scopes(Set<String> v) {
      scopes = v;
      return this;
    }

    Builder tokenId(String v) {
      tokenId = v;
      return this;
    }

    Builder issuedAt(Instant v) {
      issuedAt = v;
      return this;
    }

    Builder expiresAt(Instant v) {
      expiresAt = v;
      return this;
    }

    Builder claims(Map<String, Object> v) {
      claims = v;
      return this;
    }

    Principal build() {
      return new Principal(this);
    }
  }
}
