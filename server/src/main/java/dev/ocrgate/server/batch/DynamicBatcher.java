package dev.ocrgate.server.batch;

import io.grpc.Deadline;
import io.grpc.Status;
import io.grpc.StatusException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A dynamic batcher (Triton semantics): a bounded queue shared by every caller, and one worker
 * thread per {@link BatchRunner} (a model instance with its own session). A worker takes up to
 * {@code max_batch_size} items of one shape, or fewer once the oldest has waited {@code
 * max_queue_delay}, runs them as one batch and completes their futures on the completion executor
 * (never on the worker, never on a gRPC event loop). Knows nothing of what the items are.
 *
 * <p>Item lifecycle; each future completes exactly once:
 * <ul>
 *   <li>queue full at submit: failed at once with RESOURCE_EXHAUSTED ("batch queue full");
 *   <li>deadline passed (at submit or while queued): DEADLINE_EXCEEDED, never run;
 *   <li>future cancelled while queued: removed from the queue, never run (cancelled while running:
 *       the output is discarded);
 *   <li>run: the runner's output, or its failure (StatusException kept, anything else INTERNAL).
 * </ul>
 *
 * <p>Shutdown: {@link #shutdown()} refuses new items with UNAVAILABLE and lets the workers run
 * everything already queued (without waiting for fuller batches), then the workers exit — in-flight
 * calls of a draining server still get results. {@link #shutdownNow()} also fails every queued
 * item with UNAVAILABLE; batches already running finish and complete normally. {@link #close()}
 * drains for at most the drain timeout given at construction, then stops. The runners stay owned
 * by the caller (close them after {@link #awaitTermination}).
 *
 * <p>Thread safety: every public method may be called from any thread. Queue state is owned by
 * {@link BatchQueue} under its lock; each runner is used by its worker thread only.
 */
public final class DynamicBatcher<I, O> implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(DynamicBatcher.class);

  private final String name;
  private final BatchPolicy policy;
  private final BatchQueue<I, O> queue;
  private final Ticker ticker;
  private final Executor completions;
  private final BatchListener listener;
  private final Duration drainTimeout;
  private final List<Thread> workers = new ArrayList<>();

  private DynamicBatcher(Builder<I, O> b) {
    this.name = b.name;
    this.policy = b.policy;
    this.queue = new BatchQueue<>(b.policy);
    this.ticker = b.ticker;
    this.completions = b.completions;
    this.listener = b.listener;
    this.drainTimeout = b.drainTimeout;
  }

  /** A builder; {@code name} labels threads and log lines (e.g. "ppocr-v4/rec"). */
  public static <I, O> Builder<I, O> builder(String name, BatchPolicy policy) {
    return new Builder<>(name, policy);
  }

  /** Queues {@code input} with no shape key, no padding and no deadline. */
  public CompletableFuture<O> submit(I input) {
    return submit(input, null, 1.0, Long.MAX_VALUE);
  }

  /**
   * Queues {@code input}; never blocks.
   *
   * @param shapeKey items run together only with items of an equal key (null = no key)
   * @param fill the fraction of this item's padded tensor that is real data, in (0, 1]
   * @param deadlineNanos absolute {@link Ticker} time after which the item must not run, or {@link
   *     Long#MAX_VALUE} for none (see {@link #deadlineNanos(Deadline)})
   * @return the output's future; cancel it to withdraw the item
   */
  public CompletableFuture<O> submit(I input, Object shapeKey, double fill, long deadlineNanos) {
    Objects.requireNonNull(input, "input");
    long now = ticker.nanoTime();
    QueuedItem<I, O> item = new QueuedItem<>(input, shapeKey, fill, now, deadlineNanos);
    if (item.expiredAt(now)) {
      return dropped(item, Status.DEADLINE_EXCEEDED.withDescription("deadline exceeded in queue"));
    }
    switch (queue.offer(item)) {
      case FULL:
        return dropped(item, Status.RESOURCE_EXHAUSTED.withDescription("batch queue full"));
      case CLOSED:
        return dropped(item, Status.UNAVAILABLE.withDescription("server shutting down"));
      default:
        break;
    }
    listener.onQueueDepth(queue.size());
    item.future.whenComplete((r, e) -> {
      if (item.future.isCancelled() && queue.remove(item)) {
        listener.onDropped(Status.Code.CANCELLED);
        listener.onQueueDepth(queue.size());
      }
    });
    return item.future;
  }

  /** The absolute {@link Ticker} time of {@code deadline} (null = none → Long.MAX_VALUE). */
  public long deadlineNanos(Deadline deadline) {
    if (deadline == null) {
      return Long.MAX_VALUE;
    }
    return ticker.nanoTime() + deadline.timeRemaining(TimeUnit.NANOSECONDS);
  }

  /** Items queued now (not counting batches being run). */
  public int queueDepth() {
    return queue.size();
  }

  public BatchPolicy policy() {
    return policy;
  }

  public int instances() {
    return workers.size();
  }

  /** Refuses new items; queued items still run; workers exit when the queue is empty. */
  public void shutdown() {
    queue.drain();
  }

  /** Refuses new items and fails every queued one with UNAVAILABLE. */
  public void shutdownNow() {
    List<QueuedItem<I, O>> left = queue.stop();
    if (!left.isEmpty()) {
      completeLater(() -> failAll(left, Status.UNAVAILABLE.withDescription("server shutting down")));
    }
  }

  /** Waits for every worker to exit; true if they did within {@code timeout}. */
  public boolean awaitTermination(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    for (Thread t : workers) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return !anyAlive();
      }
      TimeUnit.NANOSECONDS.timedJoin(t, left);
    }
    return !anyAlive();
  }

  /** Drains for at most the drain timeout, then stops. */
  @Override
  public void close() {
    shutdown();
    try {
      if (!awaitTermination(drainTimeout)) {
        log.warn("batcher {}: drain timeout over, failing what is still queued", name);
        shutdownNow();
        awaitTermination(drainTimeout);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      shutdownNow();
    }
  }

  private boolean anyAlive() {
    return workers.stream().anyMatch(Thread::isAlive);
  }

  private void start(List<BatchRunner<I, O>> runners) {
    for (int i = 0; i < runners.size(); i++) {
      BatchWorker<I, O> worker =
          new BatchWorker<>(name, queue, runners.get(i), ticker, listener, this::completeLater);
      Thread t = new Thread(worker, "batch-" + name + "-" + i);
      t.setDaemon(true);
      workers.add(t);
    }
    workers.forEach(Thread::start);
  }

  private CompletableFuture<O> dropped(QueuedItem<I, O> item, Status status) {
    listener.onDropped(status.getCode());
    item.future.completeExceptionally(status.asException());
    return item.future;
  }

  /** Runs completion work on the completion executor, inline if it refuses (shut down). */
  private void completeLater(Runnable task) {
    try {
      completions.execute(task);
    } catch (RejectedExecutionException e) {
      task.run();
    }
  }

  static <I, O> void failAll(List<QueuedItem<I, O>> items, Status status) {
    StatusException ex = status.asException();
    for (QueuedItem<I, O> item : items) {
      item.future.completeExceptionally(ex);
    }
  }

  /** Collects the batcher's parts; validates as it goes. */
  public static final class Builder<I, O> {
    private final String name;
    private final BatchPolicy policy;
    private Ticker ticker = Ticker.system();
    private Executor completions;
    private BatchListener listener = BatchListener.NONE;
    private Duration drainTimeout = Duration.ofSeconds(30);

    private Builder(String name, BatchPolicy policy) {
      this.name = Objects.requireNonNull(name, "name");
      this.policy = Objects.requireNonNull(policy, "policy");
    }

    /** The clock for queue delays and deadlines. Default {@link Ticker#system()}. */
    public Builder<I, O> ticker(Ticker ticker) {
      this.ticker = Objects.requireNonNull(ticker, "ticker");
      return this;
    }

    /** Where futures complete (their callbacks run there). Required. */
    public Builder<I, O> completionExecutor(Executor executor) {
      this.completions = Objects.requireNonNull(executor, "executor");
      return this;
    }

    /** Metrics hooks. Default: none. */
    public Builder<I, O> listener(BatchListener listener) {
      this.listener = Objects.requireNonNull(listener, "listener");
      return this;
    }

    /** How long {@link DynamicBatcher#close()} lets queued work finish. Default 30 s. */
    public Builder<I, O> drainTimeout(Duration timeout) {
      if (timeout == null || timeout.isNegative()) {
        throw new IllegalArgumentException("drain timeout must be >= 0, got " + timeout);
      }
      this.drainTimeout = timeout;
      return this;
    }

    /** Starts one worker per runner (one model instance each). */
    public DynamicBatcher<I, O> start(List<? extends BatchRunner<I, O>> runners) {
      if (runners.isEmpty()) {
        throw new IllegalArgumentException("batcher " + name + " needs at least one runner");
      }
      if (completions == null) {
        throw new IllegalStateException("batcher " + name + ": completionExecutor not set");
      }
      DynamicBatcher<I, O> b = new DynamicBatcher<>(this);
      b.start(List.copyOf(runners));
      return b;
    }
  }
}
