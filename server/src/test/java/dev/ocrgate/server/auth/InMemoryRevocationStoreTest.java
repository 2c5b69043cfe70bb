package dev.ocrgate.server.auth;

import dev.ocrgate.server.testing.MutableClock;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Revocation rules and forgetting, with a fake clock. */
class InMemoryRevocationStoreTest {
  final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
  final InMemoryRevocationStore store = InMemoryRevocationStore.create(clock);

  @Test
  void revokedJti_isRevokedUntilItsExpiry_thenForgotten() {
    store.revokeJti("j1", clock.instant().plusSeconds(60));
    assertThat(store.isRevoked("j1", "alice", null)).isTrue();
    assertThat(store.isRevoked("j2", "alice", null)).isFalse();
    clock.advance(Duration.ofSeconds(60));
    assertThat(store.isRevoked("j1", "alice", null)).isFalse();
  }

  @Test
  void subjectCutoff_revokesOnlyTokensIssuedBefore_forItsRetention() {
    Instant cutoff = clock.instant();
    store.revokeSubjectBefore("bob", cutoff, Duration.ofHours(1));
    assertThat(store.isRevoked(null, "bob", cutoff.minusSeconds(1))).isTrue();
    assertThat(store.isRevoked(null, "bob", null)).as("no iat: treated as the epoch").isTrue();
    assertThat(store.isRevoked(null, "bob", cutoff)).as("issued at the cut-off is revoked: iat has one-second resolution, so the safe side is inclusive").isTrue();
    assertThat(store.isRevoked(null, "carol", cutoff.minusSeconds(1))).isFalse();
    clock.advance(Duration.ofHours(1));
    assertThat(store.isRevoked(null, "bob", cutoff.minusSeconds(1))).isFalse();
  }

  @Test
  void laterCutoff_wins() {
    store.revokeSubjectBefore("bob", clock.instant(), Duration.ofHours(1));
    store.revokeSubjectBefore("bob", clock.instant().minusSeconds(600), Duration.ofMinutes(5));
    assertThat(store.isRevoked(null, "bob", clock.instant().minusSeconds(1))).isTrue();
    clock.advance(Duration.ofMinutes(30));
    assertThat(store.isRevoked(null, "bob", clock.instant().minus(Duration.ofMinutes(31)))).as("longer retention kept").isTrue();
  }
}
