package dev.ocrgate.client;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * How a resumable frame stream paces itself: how many frames may await their results (the
 * window), how many reconnections in a row without progress it attempts, and the backoff between
 * them (exponential from {@code initialBackoff}, capped at {@code maxBackoff}, ±20 % jitter).
 */
record StreamPolicy(int window, int maxResumes, Duration initialBackoff, Duration maxBackoff) {
  static final StreamPolicy DEFAULT =
      new StreamPolicy(16, 8, Duration.ofMillis(100), Duration.ofSeconds(5));

  /** The delay before reconnection number {@code failures} (1-based) of a run without progress. */
  long backoffNanos(int failures) {
    long base = initialBackoff.toNanos();
    long cap = maxBackoff.toNanos();
    long delay = base;
    for (int i = 1; i < failures && delay < cap; i++) {
      delay = Math.min(cap, delay * 2);
    }
    double jitter = 0.8 + 0.4 * ThreadLocalRandom.current().nextDouble();
    return (long) (Math.min(delay, cap) * jitter);
  }
}
