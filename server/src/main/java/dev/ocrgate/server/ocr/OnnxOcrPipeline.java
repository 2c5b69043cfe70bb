package dev.ocrgate.server.ocr;

import dev.ocrgate.server.config.OcrSection;
import dev.ocrgate.server.vision.PixelRect;
import io.grpc.Deadline;
import io.grpc.Status;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link OcrPipeline} that runs each request's detection and recognition on a bounded executor
 * (no cross-request batching yet: the batchers will sit between this class and the engine's
 * {@link Detector} and {@link Recognizer}).
 *
 * <p>Invariants: a request is either rejected at once (RESOURCE_EXHAUSTED when the executor's
 * queue is full, UNAVAILABLE after {@link #close}) or queued; a queued request whose future was
 * cancelled, or whose deadline passed, is dropped before inference. {@code queue_us} of the
 * timing is the time from submission to the start of work.
 *
 * <p>Thread-safe. The executor is owned when created by {@link #create} and shut down by
 * {@link #close}.
 */
public final class OnnxOcrPipeline implements OcrPipeline, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(OnnxOcrPipeline.class);

  private final OcrEngine engine;
  private final Executor executor;
  private final ExecutorService owned;
  private final LongSupplier nanoTime;
  private final boolean alwaysClassify;
  private volatile boolean closed;

  OnnxOcrPipeline(OcrEngine engine, Executor executor, ExecutorService owned, LongSupplier nanoTime,
      boolean alwaysClassify) {
    this.engine = engine;
    this.executor = executor;
    this.owned = owned;
    this.nanoTime = nanoTime;
    this.alwaysClassify = alwaysClassify;
  }

  /** A pipeline with {@code settings.workers} threads and a queue of {@code max_queued_requests}. */
  public static OnnxOcrPipeline create(OcrEngine engine, OcrSection settings) {
    if (settings.workers <= 0 || settings.max_queued_requests <= 0) {
      throw new IllegalArgumentException("ocr.workers and ocr.max_queued_requests must be positive");
    }
    ThreadPoolExecutor pool = new ThreadPoolExecutor(settings.workers, settings.workers,
        0, TimeUnit.SECONDS, new ArrayBlockingQueue<>(settings.max_queued_requests),
        namedThreads("ocr-worker-"), new ThreadPoolExecutor.AbortPolicy());
    return new OnnxOcrPipeline(engine, pool, pool, System::nanoTime, settings.always_classify_direction);
  }

  @Override
  public CompletableFuture<OcrResult> recognize(OcrRequest request) {
    CompletableFuture<OcrResult> future = new CompletableFuture<>();
    if (closed) {
      future.completeExceptionally(Status.UNAVAILABLE.withDescription("server is shutting down").asException());
      return future;
    }
    OcrRequest clipped;
    try {
      clipped = clipRegion(request);
    } catch (IllegalArgumentException e) {
      future.completeExceptionally(Status.INVALID_ARGUMENT.withDescription(e.getMessage()).asException());
      return future;
    }
    long submitted = nanoTime.getAsLong();
    try {
      executor.execute(() -> run(clipped, future, submitted));
    } catch (RejectedExecutionException e) {
      Status status = closed
          ? Status.UNAVAILABLE.withDescription("server is shutting down")
          : Status.RESOURCE_EXHAUSTED.withDescription("server is busy: OCR queue is full");
      future.completeExceptionally(status.asException());
    }
    return future;
  }

  private static OcrRequest clipRegion(OcrRequest r) {
    if (r.region() == null) {
      return r;
    }
    PixelRect c = Regions.clip(r.region().x(), r.region().y(), r.region().width(),
        r.region().height(), r.image().width(), r.image().height());
    return c.equals(r.region())
        ? r
        : new OcrRequest(r.image(), c, r.mode(), r.minConfidence(), r.classifyDirection(), r.deadline());
  }

  private void run(OcrRequest request, CompletableFuture<OcrResult> future, long submitted) {
    if (future.isDone()) {
      return;
    }
    long started = nanoTime.getAsLong();
    Deadline deadline = request.deadline();
    if (deadline != null && deadline.isExpired()) {
      future.completeExceptionally(
          Status.DEADLINE_EXCEEDED.withDescription("deadline passed before inference").asException());
      return;
    }
    try {
      OcrRequest effective = alwaysClassify && !request.classifyDirection()
          ? new OcrRequest(request.image(), request.region(), request.mode(), request.minConfidence(),
              true, request.deadline())
          : request;
      OcrResult r = engine.read(effective);
      future.complete(new OcrResult(r.lines(),
          r.timing().toBuilder().setQueueUs((started - submitted) / 1000).build()));
    } catch (RuntimeException e) {
      log.error("OCR failed", e);
      future.completeExceptionally(Status.INTERNAL.withDescription("OCR failed").asException());
    }
  }

  /** Refuses new requests, lets queued ones finish (bounded wait), stops the owned executor. */
  @Override
  public void close() {
    closed = true;
    if (owned != null) {
      owned.shutdown();
      try {
        if (!owned.awaitTermination(30, TimeUnit.SECONDS)) {
          owned.shutdownNow();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        owned.shutdownNow();
      }
    }
  }

  private static ThreadFactory namedThreads(String prefix) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, prefix + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }
}
