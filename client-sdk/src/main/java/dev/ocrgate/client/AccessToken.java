package dev.ocrgate.client;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A bearer access token and, when known, the instant it expires. Immutable; {@link #toString()}
 * never shows the token itself, so it is safe to log.
 */
public final class AccessToken {
  private final String value;
  private final Instant expiresAt;

  private AccessToken(String value, Instant expiresAt) {
    this.value = value;
    this.expiresAt = expiresAt;
  }

  /**
   * A token that expires at {@code expiresAt}, or whose expiry is unknown when it is null.
   *
   * @throws IllegalArgumentException if {@code value} is blank or holds whitespace (it must fit
   *     one {@code authorization} header)
   */
  public static AccessToken of(String value, Instant expiresAt) {
    Objects.requireNonNull(value, "value");
    if (value.isBlank() || value.chars().anyMatch(Character::isWhitespace)) {
      throw new IllegalArgumentException("an access token must be non-empty and without whitespace");
    }
    return new AccessToken(value, expiresAt);
  }

  /** The token, for the {@code authorization: Bearer} header. Never log it. */
  public String value() {
    return value;
  }

  /** When the token expires; empty when the source does not know. */
  public Optional<Instant> expiresAt() {
    return Optional.ofNullable(expiresAt);
  }

  @Override
  public String toString() {
    return "AccessToken[" + value.length() + " chars, expiresAt=" + expiresAt + "]";
  }
}
