package dev.ocrgate.server.auth.issuer;

import dev.ocrgate.server.auth.RevocationStore.StoreUnavailableException;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * Refresh tokens, keyed by the SHA-256 of the token (the token itself is never stored), and their
 * grant families. A token is redeemed at most once: {@link #redeem} atomically marks it used and
 * tells whether it already was; a used token is remembered until it would have expired, so a
 * replay is recognised as reuse. Families remember the access tokens issued from them so that a
 * reuse can revoke them all.
 *
 * <p>Implementations: {@link InMemoryRefreshTokenStore}, {@link RedisRefreshTokenStore}. Thread-safe.
 */
public interface RefreshTokenStore {

  /** How a presented refresh token was found. */
  enum Outcome {
    /** Never issued, or expired and forgotten. */
    UNKNOWN,
    /** Valid and now marked used: the caller may rotate it. */
    REDEEMED,
    /** Already used before: a replay, the whole family must be revoked. */
    REUSED
  }

  /** The outcome and, unless UNKNOWN, the token's grant. */
  record Redemption(Outcome outcome, RefreshGrant grant) {}

  /** Stores a fresh token of {@code grant} until {@code ttl} has passed. */
  void save(String tokenHash, RefreshGrant grant, Duration ttl) throws StoreUnavailableException;

  /** Atomically marks the token used and reports what it was. */
  Redemption redeem(String tokenHash) throws StoreUnavailableException;

  /** Remembers that access token {@code jti}, valid until {@code expiresAt}, belongs to the family. */
  void addAccessToken(String familyId, String jti, Instant expiresAt, Duration familyTtl)
      throws StoreUnavailableException;

  /**
   * Marks the family revoked (its unused refresh tokens stop working) for {@code familyTtl} and
   * returns its access tokens' jti → expiry, for the caller to revoke.
   */
  Map<String, Instant> revokeFamily(String familyId, Duration familyTtl) throws StoreUnavailableException;

  /** Whether the family was revoked. */
  boolean familyRevoked(String familyId) throws StoreUnavailableException;
}
