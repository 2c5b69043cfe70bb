package dev.ocrgate.server.auth.issuer;

import dev.ocrgate.server.ratelimit.Decision;
import dev.ocrgate.server.ratelimit.RateLimitStatus;
import io.grpc.StatusException;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import java.util.concurrent.Semaphore;

/**
 * The one way the issuer runs PBKDF2 on a caller's secret, with a global bound on how many run at
 * once: at most {@code maxConcurrent} verifications hold a permit; a request that finds none free
 * is refused at once with RESOURCE_EXHAUSTED and a {@code google.rpc.RetryInfo} of
 * {@code retryAfter}. Nothing waits for a permit, so there is no queue that can grow: the CPU the
 * issuer can take is {@code maxConcurrent} cores whatever the number of callers or peers.
 *
 * <p>Known and unknown client ids both go through {@link #verify} (an unknown id against
 * {@link ClientRegistry#unknownClientHash}), so they cost the same work.
 * {@link SecretHash#derivations} counts every PBKDF2 actually run.
 *
 * <p>Thread-safe: a {@link Semaphore}.
 */
public final class SecretCheckGate {
  /** The {@code limit} of the RetryInfo denial, also the metrics label. */
  static final String LIMIT = "issuer_hashing";

  private final Semaphore permits;
  private final long retryAfterNanos;

  /** On {@code permits} (tests pass one whose permits they hold). */
  SecretCheckGate(Semaphore permits, Duration retryAfter) {
    if (retryAfter.isNegative() || retryAfter.isZero()) {
      throw new IllegalArgumentException("retry delay must be positive, got " + retryAfter);
    }
    this.permits = permits;
    this.retryAfterNanos = retryAfter.toNanos();
  }

  /**
   * A gate running at most {@code maxConcurrent} verifications at once; refused callers are told
   * to retry after {@code retryAfter} (about one verification's time is a good value).
   */
  public static SecretCheckGate create(int maxConcurrent, Duration retryAfter) {
    if (maxConcurrent < 1) {
      throw new IllegalArgumentException("max concurrent secret checks must be >= 1, got " + maxConcurrent);
    }
    return new SecretCheckGate(new Semaphore(maxConcurrent), retryAfter);
  }

  /**
   * Whether {@code secret} matches {@code hash}, computed under a permit.
   *
   * @throws StatusException RESOURCE_EXHAUSTED with RetryInfo when every permit is taken (no
   *     hashing was done)
   */
  boolean verify(SecretHash hash, char[] secret) throws StatusException {
    if (!permits.tryAcquire()) {
      StatusRuntimeException busy = RateLimitStatus.exhausted(Decision.deny(retryAfterNanos, LIMIT));
      throw busy.getStatus().asException(busy.getTrailers());
    }
    try {
      return hash.matches(secret);
    } finally {
      permits.release();
    }
  }
}
