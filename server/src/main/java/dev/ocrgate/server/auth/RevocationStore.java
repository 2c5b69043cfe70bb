package dev.ocrgate.server.auth;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * Where revoked tokens are remembered, checked on every authenticated call.
 *
 * <p>Every revocation is confined to one {@link Scope}: the tokens of one issuer ({@code iss}) in
 * one tenant. A {@code jti} or {@code sub} revoked in one scope does not touch a token with the same
 * value in another tenant or from another issuer.
 *
 * <p>Implementations: in-memory (one node, the default) and Redis (shared by replicas). A store
 * that cannot answer throws {@link StoreUnavailableException}; the caller then fails the call
 * <em>closed</em> with UNAVAILABLE, because a revoked token must never pass because the store was
 * down.
 *
 * <p>Implementations are thread-safe.
 */
public interface RevocationStore extends AutoCloseable {

  /**
   * Whether a token is revoked: its {@code jti} was revoked in its scope, or its subject was cut
   * off in its scope at or after the token's issue time.
   *
   * @param scope the token's issuer and tenant
   * @param jti the token id, may be null for tokens without one (then only the subject cut-off applies)
   * @param subject the token's {@code sub}
   * @param issuedAt the token's {@code iat}, or null when absent (treated as issued at the epoch,
   *     i.e. any subject cut-off revokes it)
   */
  boolean isRevoked(Scope scope, String jti, String subject, Instant issuedAt) throws StoreUnavailableException;

  /** {@link #isRevoked(Scope, String, String, Instant)} for a verified caller's token. */
  default boolean isRevoked(Principal p) throws StoreUnavailableException {
    return isRevoked(Scope.of(p.issuer(), p.tenant()), p.tokenId(), p.subject(), p.issuedAt());
  }

  /**
   * Revokes the token {@code jti} of {@code scope} until {@code until}, after which it is
   * forgotten: {@code until} must be at least the token's {@code exp} plus the clock skew.
   */
  void revokeJti(Scope scope, String jti, Instant until) throws StoreUnavailableException;

  /**
   * Revokes every token of {@code subject} in {@code scope} issued at or before {@code cutoff};
   * remembered for {@code retention} (at least the longest token lifetime plus the clock skew).
   */
  void revokeSubjectBefore(Scope scope, String subject, Instant cutoff, Duration retention)
      throws StoreUnavailableException;

  /** True when the store can currently answer (for health reporting). */
  default boolean healthy() {
    return true;
  }

  @Override
  default void close() {}

  /**
   * Whose tokens a revocation concerns: one issuer's tokens in one tenant. A token without a
   * tenant claim is in the tenant {@code ""}. Immutable.
   *
   * @param issuer the {@code iss} claim, never null ({@code ""} only for tokens without one)
   * @param tenant the tenant claim, never null ({@code ""} = tokens without a tenant)
   */
  record Scope(String issuer, String tenant) {
    public Scope {
      Objects.requireNonNull(issuer, "issuer");
      Objects.requireNonNull(tenant, "tenant");
    }

    /** The scope of a token with {@code iss} and tenant claims; null claims become {@code ""}. */
    public static Scope of(String issuer, String tenant) {
      return new Scope(issuer == null ? "" : issuer, tenant == null ? "" : tenant);
    }
  }

  /** The store could not be reached or answered in time. The message names no secrets. */
  final class StoreUnavailableException extends Exception {
    private static final long serialVersionUID = 1L;

    public StoreUnavailableException(String message, Throwable cause) {
      super(message, cause);
    }
  }
}
