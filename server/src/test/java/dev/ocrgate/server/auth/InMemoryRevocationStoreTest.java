package dev.ocrgate.server.auth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ocrgate.server.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Revocation rules, scopes and forgetting, with a fake clock. */
class InMemoryRevocationStoreTest extends RevocationStoreContract {
  final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
  final InMemoryRevocationStore store = InMemoryRevocationStore.create(clock);

  @Override
  RevocationStore store() {
    return store;
  }

  @Override
  Instant now() {
    return clock.instant();
  }

  @Test
  void revokedJti_isRevokedUntilTheGivenInstant_thenForgotten() {
    store.revokeJti(ACME, "j1", clock.instant().plusSeconds(60));
    clock.advance(Duration.ofSeconds(59));
    assertThat(store.isRevoked(ACME, "j1", "alice", null)).isTrue();
    clock.advance(Duration.ofSeconds(1));
    assertThat(store.isRevoked(ACME, "j1", "alice", null)).isFalse();
  }

  @Test
  void subjectCutoff_isForgottenAfterItsRetention() {
    Instant cutoff = clock.instant();
    store.revokeSubjectBefore(ACME, "bob", cutoff, Duration.ofHours(1));
    clock.advance(Duration.ofHours(1).minusSeconds(1));
    assertThat(store.isRevoked(ACME, null, "bob", cutoff.minusSeconds(1))).isTrue();
    clock.advance(Duration.ofSeconds(1));
    assertThat(store.isRevoked(ACME, null, "bob", cutoff.minusSeconds(1))).isFalse();
  }

  @Test
  void laterCutoff_wins_andTheLongerRetentionIsKept() {
    store.revokeSubjectBefore(ACME, "bob", clock.instant(), Duration.ofHours(1));
    store.revokeSubjectBefore(ACME, "bob", clock.instant().minusSeconds(600), Duration.ofMinutes(5));
    clock.advance(Duration.ofMinutes(30));
    assertThat(store.isRevoked(ACME, null, "bob", clock.instant().minus(Duration.ofMinutes(31)))).as("longer retention kept").isTrue();
  }
}
