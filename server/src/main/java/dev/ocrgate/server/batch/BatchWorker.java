package dev.ocrgate.server.batch;

import io.grpc.Status;
import io.grpc.StatusException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One worker of a {@link DynamicBatcher}: takes batches from the shared queue and runs them on
 * its own runner. Confined to its thread; completes futures through the completion executor.
 */
final class BatchWorker<I, O> implements Runnable {
  private static final Logger log = LoggerFactory.getLogger(BatchWorker.class);

  private final String name;
  private final BatchQueue<I, O> queue;
  private final BatchRunner<I, O> runner;
  private final Ticker ticker;
  private final BatchListener listener;
  private final Consumer<Runnable> completeLater;

  BatchWorker(
      String name,
      BatchQueue<I, O> queue,
      BatchRunner<I, O> runner,
      Ticker ticker,
      BatchListener listener,
      Consumer<Runnable> completeLater) {
    this.name = name;
    this.queue = queue;
    this.runner = runner;
    this.ticker = ticker;
    this.listener = listener;
    this.completeLater = completeLater;
  }

  @Override
  public void run() {
    try {
      BatchQueue.Taken<I, O> taken;
      while ((taken = queue.await(ticker)) != null) {
        failExpired(taken.expired());
        if (!taken.batch().isEmpty()) {
          runBatch(taken.shapeKey(), taken.batch());
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void failExpired(List<QueuedItem<I, O>> expired) {
    if (expired.isEmpty()) {
      return;
    }
    expired.forEach(i -> listener.onDropped(Status.Code.DEADLINE_EXCEEDED));
    listener.onQueueDepth(queue.size());
    completeLater.accept(() -> DynamicBatcher.failAll(
        expired, Status.DEADLINE_EXCEEDED.withDescription("deadline exceeded in queue")));
  }

  private void runBatch(Object shapeKey, List<QueuedItem<I, O>> batch) {
    long start = ticker.nanoTime();
    List<I> inputs = new ArrayList<>(batch.size());
    double fill = 0;
    for (QueuedItem<I, O> item : batch) {
      inputs.add(item.input);
      fill += item.fill;
      listener.onDequeued(start - item.enqueuedNanos);
    }
    listener.onQueueDepth(queue.size());
    List<O> outputs;
    try {
      outputs = runner.run(shapeKey, inputs);
      if (outputs == null || outputs.size() != inputs.size()) {
        throw new IllegalStateException("runner returned " + (outputs == null ? "null" : outputs.size())
            + " outputs for " + inputs.size() + " inputs");
      }
    } catch (Throwable t) {
      failBatch(batch, t);
      return;
    } finally {
      listener.onBatch(batch.size(), ticker.nanoTime() - start, 1.0 - fill / batch.size());
    }
    List<O> results = outputs;
    completeLater.accept(() -> {
      for (int i = 0; i < batch.size(); i++) {
        batch.get(i).future.complete(results.get(i));
      }
    });
  }

  private void failBatch(List<QueuedItem<I, O>> batch, Throwable t) {
    Status status;
    if (t instanceof StatusException se) {
      status = se.getStatus();
    } else {
      log.error("batcher {}: batch of {} failed", name, batch.size(), t);
      status = Status.INTERNAL.withDescription("inference failed");
    }
    // The worker survives a failed batch (including an Error from native code): the other
    // queued items still deserve an answer.
    completeLater.accept(() -> DynamicBatcher.failAll(batch, status));
  }
}
