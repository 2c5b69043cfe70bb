package dev.ocrgate.server.auth;

import java.time.Instant;

/**
 * Where revoked tokens are remembered, checked on every authenticated call.
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
   * Whether a token is revoked: its {@code jti} was revoked, or its subject was cut off at or
   * after the token's issue time.
   *
   * @param jti the token id, may be null for tokens without one (then only the subject cut-off applies)
   * @param subject the token's {@code sub}
   * @param issuedAt the token's {@code iat}, or null when absent (treated as issued at the epoch,
   *     i.e. any subject cut-off revokes it)
   */
  boolean isRevoked(String jti, String subject, Instant issuedAt) throws StoreUnavailableException;

  /** Revokes one token until {@code expiresAt}, after which it is invalid anyway and forgotten. */
  void revokeJti(String jti, Instant expiresAt) throws StoreUnavailableException;

  /**
   * Revokes every token of {@code subject} issued before {@code cutoff}; remembered for
   * {@code retention} (at least the longest token lifetime).
   */
  void revokeSubjectBefore(String subject, Instant cutoff, java.time.Duration retention)
      throws StoreUnavailableException;

  /** True when the store can currently answer (for health reporting). */
  default boolean healthy() {
    return true;
  }

  @Override
  default void close() {}

  /** The store could not be reached or answered in time. The message names no secrets. */
  final class StoreUnavailableException extends Exception {
    private static final long serialVersionUID = 1L;

    public StoreUnavailableException(String message, Throwable cause) {
      super(message, cause);
    }
  }
}
