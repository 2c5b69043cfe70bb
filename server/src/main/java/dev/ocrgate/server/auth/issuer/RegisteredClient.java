package dev.ocrgate.server.auth.issuer;

import java.util.Objects;
import java.util.Set;

/**
 * One configured OAuth client: its id, secret hash, the scopes it may ask for, its tenant and the
 * {@code sub} its tokens carry (default: the client id). Immutable; {@link #toString} omits the hash.
 */
public record RegisteredClient(String id, SecretHash secret, Set<String> scopes, String tenant, String subject) {
  public RegisteredClient {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(secret, "secret");
    scopes = Set.copyOf(scopes);
    Objects.requireNonNull(subject, "subject");
  }

  @Override
  public String toString() {
    return "RegisteredClient{id=" + id + ", tenant=" + tenant + ", scopes=" + scopes + "}";
  }
}
