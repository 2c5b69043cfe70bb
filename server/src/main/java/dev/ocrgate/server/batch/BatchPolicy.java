package dev.ocrgate.server.batch;

import java.time.Duration;

/**
 * How a {@link DynamicBatcher} forms batches (Triton's dynamic batching semantics).
 *
 * @param maxBatchSize the largest batch, >= 1; 1 turns batching off
 * @param maxQueueDelay how long the oldest queued item may wait for more items before a smaller
 *     batch runs anyway, >= 0
 * @param queueCapacity items queued across all callers before submit fails with
 *     RESOURCE_EXHAUSTED, >= maxBatchSize
 */
public record BatchPolicy(int maxBatchSize, Duration maxQueueDelay, int queueCapacity) {
  public BatchPolicy {
    if (maxBatchSize < 1) {
      throw new IllegalArgumentException("max_batch_size must be >= 1, got " + maxBatchSize);
    }
    if (maxQueueDelay == null || maxQueueDelay.isNegative()) {
      throw new IllegalArgumentException("max_queue_delay must be >= 0, got " + maxQueueDelay);
    }
    if (queueCapacity < maxBatchSize) {
      throw new IllegalArgumentException(
          "queue_capacity (" + queueCapacity + ") must be >= max_batch_size (" + maxBatchSize + ")");
    }
  }

  /** Batching off: one item per run, no waiting. */
  public static BatchPolicy unbatched(int queueCapacity) {
    return new BatchPolicy(1, Duration.ZERO, queueCapacity);
  }

  long maxQueueDelayNanos() {
    return maxQueueDelay.toNanos();
  }
}
