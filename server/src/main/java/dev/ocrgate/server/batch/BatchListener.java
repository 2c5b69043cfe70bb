package dev.ocrgate.server.batch;

import io.grpc.Status;

/**
 * Metrics hooks of a {@link DynamicBatcher}. Called from submitting threads and worker threads,
 * never under the batcher's lock; implementations must be thread-safe and cheap (increment a
 * counter, record into a histogram). Every method has an empty default.
 */
public interface BatchListener {
  /** A listener that records nothing. */
  BatchListener NONE = new BatchListener() {};

  /** The queue depth after an item was added or a batch taken. */
  default void onQueueDepth(int depth) {}

  /** An item left the queue for a batch after waiting {@code queueNanos}. */
  default void onDequeued(long queueNanos) {}

  /**
   * A batch ran.
   *
   * @param size the number of items
   * @param inferenceNanos time inside {@link BatchRunner#run}
   * @param paddingRatio the fraction of the batch's tensor that is padding, in [0, 1]
   */
  default void onBatch(int size, long inferenceNanos, double paddingRatio) {}

  /**
   * An item completed without running: RESOURCE_EXHAUSTED (queue full), DEADLINE_EXCEEDED,
   * UNAVAILABLE (shut down) or CANCELLED (its future was cancelled).
   */
  default void onDropped(Status.Code code) {}
}
