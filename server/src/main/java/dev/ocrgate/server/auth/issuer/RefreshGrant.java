package dev.ocrgate.server.auth.issuer;

import java.util.List;
import java.util.Objects;

/**
 * What a refresh token stands for: the grant family (chain) it descends from, the identity and
 * scopes of the original grant, and what bounds the chain. Immutable.
 *
 * @param familyId random id shared by every token rotated from one IssueToken
 * @param issuedAtMillis when this refresh token was issued (a subject cut-off after it revokes it)
 * @param chainStartedAtMillis when the chain's first token was issued (the IssueToken), carried
 *     unchanged through every rotation: the chain ends {@code issuer.refresh_max_lifetime_seconds}
 *     after it, however often it is rotated. 0 in a grant stored by an older version: such a chain
 *     has ended.
 * @param secretFingerprint {@link SecretHash#fingerprint} of the client's secret when the chain
 *     started: a rotated secret has another, which ends the chain. Null in a grant stored by an
 *     older version: such a chain has ended.
 */
public record RefreshGrant(String familyId, String clientId, String subject, String tenant, List<String> scopes,
    long issuedAtMillis, long chainStartedAtMillis, String secretFingerprint) {
  public RefreshGrant {
    Objects.requireNonNull(familyId, "familyId");
    Objects.requireNonNull(clientId, "clientId");
    Objects.requireNonNull(subject, "subject");
    scopes = List.copyOf(scopes);
  }

  /** The next token of this chain, issued at {@code nowMillis}: same family, start and binding. */
  RefreshGrant rotated(long nowMillis) {
    return new RefreshGrant(familyId, clientId, subject, tenant, scopes, nowMillis, chainStartedAtMillis,
        secretFingerprint);
  }
}
