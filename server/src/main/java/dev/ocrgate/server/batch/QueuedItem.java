package dev.ocrgate.server.batch;

import java.util.concurrent.CompletableFuture;

/**
 * One queued input with its future. Immutable except for the future, which completes exactly once
 * (whoever completes it first wins; later attempts are no-ops).
 */
final class QueuedItem<I, O> {
  final I input;
  final Object shapeKey;
  final double fill;
  final long enqueuedNanos;
  final long deadlineNanos;
  final CompletableFuture<O> future = new CompletableFuture<>();

  QueuedItem(I input, Object shapeKey, double fill, long enqueuedNanos, long deadlineNanos) {
    this.input = input;
    this.shapeKey = shapeKey;
    this.fill = fill;
    this.enqueuedNanos = enqueuedNanos;
    this.deadlineNanos = deadlineNanos;
  }

  boolean expiredAt(long now) {
    return deadlineNanos != Long.MAX_VALUE && now - deadlineNanos >= 0;
  }
}
