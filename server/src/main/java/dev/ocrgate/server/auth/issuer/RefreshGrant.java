package dev.ocrgate.server.auth.issuer;

import java.util.List;
import java.util.Objects;

/**
 * What a refresh token stands for: the grant family it descends from and the identity and scopes
 * of the original grant. Immutable.
 *
 * @param familyId random id shared by every token rotated from one IssueToken
 * @param issuedAtMillis when this refresh token was issued (a subject cut-off after it revokes it)
 */
public record RefreshGrant(String familyId, String clientId, String subject, String tenant, List<String> scopes,
    long issuedAtMillis) {
  public RefreshGrant {
    Objects.requireNonNull(familyId, "familyId");
    Objects.requireNonNull(clientId, "clientId");
    Objects.requireNonNull(subject, "subject");
    scopes = List.copyOf(scopes);
  }
}
