package dev.ocrgate.server.auth;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Revocations held in this process (one replica), keyed by {@link Scope} (issuer + tenant) and the
 * jti or subject. Entries are forgotten once they can no longer matter: a jti after the instant
 * it was revoked until, a subject cut-off after its retention.
 *
 * <p>Thread-safe: two concurrent maps; a purge of stale entries runs on writes, so reads never do
 * more than two lookups. The clock is injected.
 */
public final class InMemoryRevocationStore implements RevocationStore {
  private final Clock clock;
  private final Map<Key, Instant> jtiUntil = new ConcurrentHashMap<>();
  private final Map<Key, Cutoff> subjectCutoffs = new ConcurrentHashMap<>();

  private InMemoryRevocationStore(Clock clock) {
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  public static InMemoryRevocationStore create(Clock clock) {
    return new InMemoryRevocationStore(clock);
  }

  @Override
  public boolean isRevoked(Scope scope, String jti, String subject, Instant issuedAt) {
    Instant now = clock.instant();
    if (jti != null) {
      Instant until = jtiUntil.get(new Key(scope, jti));
      if (until != null && now.isBefore(until)) {
        return true;
      }
    }
    Cutoff c = subject == null ? null : subjectCutoffs.get(new Key(scope, subject));
    if (c == null || !now.isBefore(c.forgetAt)) {
      return false;
    }
    Instant iat = issuedAt == null ? Instant.EPOCH : issuedAt;
    return !iat.isAfter(c.cutoff); // inclusive, as the interface says and the Redis store does
  }

  @Override
  public void revokeJti(Scope scope, String jti, Instant until) {
    purge();
    jtiUntil.merge(new Key(scope, jti), until, (a, b) -> a.isAfter(b) ? a : b);
  }

  @Override
  public void revokeSubjectBefore(Scope scope, String subject, Instant cutoff, Duration retention) {
    purge();
    Cutoff fresh = new Cutoff(cutoff, clock.instant().plus(retention));
    subjectCutoffs.merge(new Key(scope, subject), fresh,
        (a, b) -> new Cutoff(a.cutoff.isAfter(b.cutoff) ? a.cutoff : b.cutoff,
            a.forgetAt.isAfter(b.forgetAt) ? a.forgetAt : b.forgetAt));
  }

  private void purge() {
    Instant now = clock.instant();
    jtiUntil.values().removeIf(until -> !now.isBefore(until));
    subjectCutoffs.values().removeIf(c -> !now.isBefore(c.forgetAt));
  }

  /** A jti or subject within its scope. */
  private record Key(Scope scope, String id) {
    Key {
      Objects.requireNonNull(scope, "scope");
      Objects.requireNonNull(id, "id");
    }
  }

  private record Cutoff(Instant cutoff, Instant forgetAt) {}
}
