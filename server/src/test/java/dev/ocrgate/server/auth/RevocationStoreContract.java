package dev.ocrgate.server.auth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ocrgate.server.auth.RevocationStore.Scope;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * Behaviour every {@link RevocationStore} has, in particular that a revocation stays inside its
 * scope (issuer + tenant); subclasses supply the store and the clock's current instant.
 */
abstract class RevocationStoreContract {
  static final Scope ACME = Scope.of("ocrgate", "acme");
  static final Scope GLOBEX = Scope.of("ocrgate", "globex");
  static final Scope IDP_ACME = Scope.of("https://idp.example", "acme");

  abstract RevocationStore store();

  abstract Instant now();

  @Test
  void revokedJti_isRevokedInItsScopeOnly() throws Exception {
    store().revokeJti(ACME, "jti-1", now().plusSeconds(60));

    assertThat(store().isRevoked(ACME, "jti-1", "alice", now())).isTrue();
    assertThat(store().isRevoked(ACME, "jti-2", "alice", now())).isFalse();
    assertThat(store().isRevoked(GLOBEX, "jti-1", "alice", now())).as("same jti, other tenant").isFalse();
    assertThat(store().isRevoked(IDP_ACME, "jti-1", "alice", now())).as("same jti, other issuer").isFalse();
  }

  @Test
  void subjectCutoff_revokesOnlyThatSubjectInThatScope_issuedAtOrBefore() throws Exception {
    Instant cutoff = now();
    store().revokeSubjectBefore(ACME, "bob", cutoff, Duration.ofMinutes(15));

    assertThat(store().isRevoked(ACME, "a", "bob", cutoff.minusSeconds(5))).isTrue();
    assertThat(store().isRevoked(ACME, "b", "bob", cutoff)).as("inclusive: iat has one-second resolution").isTrue();
    assertThat(store().isRevoked(ACME, null, "bob", null)).as("no iat: treated as the epoch").isTrue();
    assertThat(store().isRevoked(ACME, "c", "bob", cutoff.plusSeconds(1))).as("issued after").isFalse();
    assertThat(store().isRevoked(ACME, "d", "carol", cutoff.minusSeconds(5))).as("other subject").isFalse();
    assertThat(store().isRevoked(GLOBEX, "e", "bob", cutoff.minusSeconds(5))).as("same sub, other tenant").isFalse();
    assertThat(store().isRevoked(IDP_ACME, "f", "bob", cutoff.minusSeconds(5))).as("same sub, other issuer").isFalse();
  }

  @Test
  void tokensWithoutTenant_areTheirOwnScope() throws Exception {
    Scope none = Scope.of("ocrgate", null);
    store().revokeSubjectBefore(none, "dev", now(), Duration.ofMinutes(15));

    assertThat(none).isEqualTo(Scope.of("ocrgate", ""));
    assertThat(store().isRevoked(none, null, "dev", now().minusSeconds(1))).isTrue();
    assertThat(store().isRevoked(ACME, null, "dev", now().minusSeconds(1))).isFalse();
  }

  @Test
  void separatorsInNames_doNotMakeTwoScopesShareAKey() throws Exception {
    // "a:b" + "c" and "a" + "b:c" would be the same key if the parts were only joined with ':'
    store().revokeJti(Scope.of("a:b", "c"), "j", now().plusSeconds(60));
    store().revokeSubjectBefore(Scope.of("x", "y%3Az"), "s", now(), Duration.ofMinutes(1));

    assertThat(store().isRevoked(Scope.of("a", "b:c"), "j", "s", now())).isFalse();
    assertThat(store().isRevoked(Scope.of("a:b", "c"), "j", "s", now())).isTrue();
    assertThat(store().isRevoked(Scope.of("x", "y:z"), null, "s", now().minusSeconds(1))).isFalse();
    assertThat(store().isRevoked(Scope.of("x", "y%3Az"), null, "s", now().minusSeconds(1))).isTrue();
  }

  @Test
  void earlierCutoff_doesNotLowerTheLaterOne() throws Exception {
    store().revokeSubjectBefore(ACME, "bob", now(), Duration.ofMinutes(15));
    store().revokeSubjectBefore(ACME, "bob", now().minusSeconds(60), Duration.ofMinutes(1));

    assertThat(store().isRevoked(ACME, "a", "bob", now().minusSeconds(30))).isTrue();
  }
}
