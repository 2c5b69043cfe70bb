package dev.ocrgate.server.auth;

import java.util.Objects;

/**
 * A key source whose keys verify only tokens of one issuer: every key it returns is
 * {@linkplain VerificationKey#boundTo bound} to that issuer, so a key trusted for issuer B cannot
 * sign a token that claims issuer A. Thread-safe when the wrapped source is.
 */
final class IssuerBoundKeySource implements KeySource {
  private final KeySource source;
  private final String issuer;

  IssuerBoundKeySource(KeySource source, String issuer) {
    this.source = Objects.requireNonNull(source, "source");
    this.issuer = Objects.requireNonNull(issuer, "issuer");
  }

  @Override
  public VerificationKey find(String kid) {
    VerificationKey k = source.find(kid);
    return k == null ? null : k.boundTo(issuer);
  }

  @Override
  public void close() {
    source.close();
  }
}
