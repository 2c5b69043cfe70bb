package dev.ocrgate.server.auth;

/**
 * Why a token was refused: a fixed {@link Reason} (its message is what the client sees) and a
 * server-side detail that never contains the token, a key or a secret.
 *
 * <p>No stack trace is captured: rejections are routine and can arrive at attack rates.
 */
public final class TokenRejectedException extends Exception {
  private static final long serialVersionUID = 1L;

  /** The fixed reasons; {@link #message()} is the client-visible status description. */
  public enum Reason {
    MISSING("missing bearer token"),
    MALFORMED("malformed token"),
    TOO_LARGE("token too large"),
    UNSUPPORTED_TOKEN("unsupported token"),
    UNSUPPORTED_ALGORITHM("unsupported algorithm"),
    UNKNOWN_KEY("unknown key"),
    INVALID_SIGNATURE("invalid signature"),
    INVALID_TYPE("invalid token type"),
    UNSUPPORTED_CRITICAL("unsupported critical header"),
    EXPIRED("token expired"),
    NOT_YET_VALID("token not yet valid"),
    ISSUED_IN_FUTURE("token issued in the future"),
    LIFETIME_TOO_LONG("token lifetime too long"),
    UNTRUSTED_ISSUER("untrusted issuer"),
    INVALID_AUDIENCE("invalid audience"),
    MISSING_CLAIM("missing required claim"),
    REVOKED("token revoked");

    private final String message;

    Reason(String message) {
      this.message = message;
    }

    public String message() {
      return message;
    }
  }

  private final Reason reason;

  public TokenRejectedException(Reason reason, String detail) {
    super(detail, null, false, false);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }

  /** The server-side detail (no token material). */
  public String detail() {
    return getMessage();
  }
}
