package dev.ocrgate.client;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * The one token cache in front of every {@link TokenSource}.
 *
 * <p>Algorithm: {@link #get} answers from the cached token while it is fresh. Once less than the
 * refresh margin remains — max(60 s, 20 % of the token's lifetime), capped at half the lifetime so
 * that a short-lived token is still used for a while — it still answers with the cached token but
 * starts one background fetch (proactive refresh). When the token is expired (or within the last
 * min(5 s, 10 %) of its life) or there is none, callers get the future of the one fetch in flight.
 * A token of unknown expiry is re-fetched in the background every {@link #UNKNOWN_EXPIRY_RECHECK}
 * (a changed token file is picked up) and never blocks.
 *
 * <p>Invariants: at most one {@link TokenSource#fetch} runs at a time ({@code inflight} is non-null
 * exactly while one is submitted and unfinished), and it runs on {@code executor}, never on the
 * caller's thread, so a gRPC network thread asking for metadata never blocks. After a failed
 * background refresh no new background refresh starts for {@link #FAILED_REFRESH_PAUSE}; a caller
 * with no usable token always gets a new attempt. State is guarded by {@code this}; futures are
 * completed outside the lock.
 */
final class CachingTokenSource {
  static final Duration MIN_REFRESH_MARGIN = Duration.ofSeconds(60);
  static final Duration MAX_EXPIRY_SKEW = Duration.ofSeconds(5);
  static final Duration UNKNOWN_EXPIRY_RECHECK = Duration.ofSeconds(30);
  static final Duration FAILED_REFRESH_PAUSE = Duration.ofSeconds(5);

  private final TokenSource source;
  private final Executor executor;
  private final Clock clock;

  // @GuardedBy("this")
  private Entry current;
  // @GuardedBy("this")
  private CompletableFuture<AccessToken> inflight;
  // @GuardedBy("this")
  private Instant noBackgroundRefreshBefore = Instant.MIN;

  CachingTokenSource(TokenSource source, Executor executor, Clock clock) {
    this.source = Objects.requireNonNull(source, "source");
    this.executor = Objects.requireNonNull(executor, "executor");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** A token usable now: already completed when cached, else the shared in-flight fetch. */
  CompletableFuture<AccessToken> get() {
    CompletableFuture<AccessToken> toStart = null;
    CompletableFuture<AccessToken> answer;
    synchronized (this) {
      Instant now = clock.instant();
      if (current != null && !current.expired(now)) {
        answer = CompletableFuture.completedFuture(current.token);
        if (inflight == null && current.refreshDue(now) && !now.isBefore(noBackgroundRefreshBefore)) {
          toStart = inflight = new CompletableFuture<>();
        }
      } else {
        if (inflight == null) {
          toStart = inflight = new CompletableFuture<>();
        }
        answer = inflight;
      }
    }
    if (toStart != null) {
      launch(toStart);
    }
    return answer;
  }

  /**
   * Forgets {@code rejected} (the server answered UNAUTHENTICATED to it) so the next {@link #get}
   * fetches a new token. A newer token cached meanwhile is kept.
   */
  void invalidate(AccessToken rejected) {
    synchronized (this) {
      if (current != null && current.token == rejected) {
        current = null;
      }
    }
  }

  private void launch(CompletableFuture<AccessToken> future) {
    try {
      executor.execute(() -> fetchInto(future));
    } catch (RejectedExecutionException e) {
      finish(future, null, e);
    }
  }

  private void fetchInto(CompletableFuture<AccessToken> future) {
    Instant started = clock.instant();
    try {
      AccessToken token = Objects.requireNonNull(source.fetch(), "TokenSource.fetch returned null");
      synchronized (this) {
        current = new Entry(token, started);
      }
      finish(future, token, null);
    } catch (Exception | Error e) {
      finish(future, null, e);
    }
  }

  private void finish(CompletableFuture<AccessToken> future, AccessToken token, Throwable error) {
    synchronized (this) {
      inflight = null;
      if (error != null) {
        noBackgroundRefreshBefore = clock.instant().plus(FAILED_REFRESH_PAUSE);
      }
    }
    if (error != null) {
      future.completeExceptionally(error);
    } else {
      future.complete(token);
    }
  }

  /** A cached token with the instants at which it wants refreshing and stops being usable. */
  private static final class Entry {
    final AccessToken token;
    final Instant refreshAt;
    final Instant unusableAt;

    Entry(AccessToken token, Instant obtainedAt) {
      this.token = token;
      Instant expiresAt = token.expiresAt().orElse(null);
      if (expiresAt == null) {
        refreshAt = obtainedAt.plus(UNKNOWN_EXPIRY_RECHECK);
        unusableAt = Instant.MAX;
      } else {
        Duration lifetime = Duration.between(obtainedAt, expiresAt);
        refreshAt = expiresAt.minus(refreshMargin(lifetime));
        unusableAt = expiresAt.minus(skew(lifetime));
      }
    }

    boolean refreshDue(Instant now) {
      return !now.isBefore(refreshAt);
    }

    boolean expired(Instant now) {
      return !now.isBefore(unusableAt);
    }
  }

  /** max(60 s, 20 % of lifetime), but at most half the lifetime; zero for a non-positive one. */
  static Duration refreshMargin(Duration lifetime) {
    if (lifetime.isNegative() || lifetime.isZero()) {
      return Duration.ZERO;
    }
    Duration margin = max(MIN_REFRESH_MARGIN, lifetime.dividedBy(5));
    return min(margin, lifetime.dividedBy(2));
  }

  /** min(5 s, 10 % of lifetime): a token this close to expiry is treated as expired. */
  static Duration skew(Duration lifetime) {
    if (lifetime.isNegative() || lifetime.isZero()) {
      return Duration.ZERO;
    }
    return min(MAX_EXPIRY_SKEW, lifetime.dividedBy(10));
  }

  private static Duration max(Duration a, Duration b) {
    return a.compareTo(b) >= 0 ? a : b;
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }
}
