package dev.ocrgate.server.upstream;

import dev.ocrgate.api.v1.TextLine;
import dev.ocrgate.api.v1.Timing;
import dev.ocrgate.server.ocr.OcrPipeline;
import dev.ocrgate.server.ocr.OcrRequest;
import dev.ocrgate.server.ocr.OcrResult;
import dev.ocrgate.server.vision.PixelRect;
import dev.ocrgate.server.vision.RgbImage;
import io.grpc.Status;
import io.grpc.StatusException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link OcrPipeline} on a remote OpenAI-compatible chat-completions endpoint serving HunyuanOCR.
 * The upstream (vLLM) batches continuously by itself; this class does admission, deadlines,
 * cancellation, retries and the answer's translation into lines.
 *
 * <p>Request lifecycle: region clipped (INVALID_ARGUMENT outside the image) → admitted by
 * {@link InFlightLimit} (RESOURCE_EXHAUSTED when {@code max_queued} are already waiting) →
 * with a slot: crop, PNG, request body (on the work executor) → {@code POST} with a timeout of
 * {@code min(request_timeout_ms, time left to the deadline)} → a 429/503 is retried after its
 * {@code Retry-After} while retries are left and the wait fits both {@code max_retry_wait_ms} and
 * the deadline, else the caller gets it with RetryInfo → answer parsed into lines
 * ({@link HunyuanAnswer}).
 *
 * <p>Invariants: the result future completes exactly once — with lines, or with a
 * {@link StatusException} from {@link UpstreamStatus}; once it is complete (answered, failed,
 * past the deadline, cancelled by the caller) the request leaves the wait queue, its HTTP
 * exchange is cancelled (the connection is closed, which makes vLLM abort the generation) and its
 * slot is released exactly once.
 *
 * <p>Thread-safe. Work runs on the HTTP client's threads (answers), the work executor (encoding)
 * and the timer thread (deadlines, retry waits), never on a gRPC thread.
 */
public final class UpstreamOcrPipeline implements OcrPipeline, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(UpstreamOcrPipeline.class);
  private static final long LOG_EVERY_NANOS = TimeUnit.SECONDS.toNanos(60);

  private final UpstreamClient client;
  private final UpstreamModelConfig config;
  private final HunyuanTask task;
  private final ChatCompletions.Sampling sampling;
  private final InFlightLimit limit;
  private final ExecutorService work;
  private final ScheduledExecutorService timers;
  private final UpstreamListener listener;
  private final Runnable onUnreachable;
  private final Clock clock;
  private final LogThrottle operatorErrors = new LogThrottle(LOG_EVERY_NANOS);
  private volatile boolean closed;

  private UpstreamOcrPipeline(UpstreamClient client, UpstreamModelConfig config, ExecutorService work,
      ScheduledExecutorService timers, UpstreamListener listener, Runnable onUnreachable, Clock clock) {
    UpstreamModelConfig.Upstream u = config.upstream;
    this.client = client;
    this.config = config;
    this.task = config.task();
    this.sampling = new ChatCompletions.Sampling(u.max_tokens, u.top_k, u.repetition_penalty);
    this.limit = new InFlightLimit(u.max_in_flight, u.max_queued);
    this.work = work;
    this.timers = timers;
    this.listener = listener;
    this.onUnreachable = onUnreachable;
    this.clock = clock;
  }

  /**
   * A pipeline sending to {@code client} as the validated {@code config} says.
   *
   * @param work runs image encoding (CPU work)
   * @param timers runs deadline and retry timers; tasks must stay short
   * @param onUnreachable told when a request could not connect (the health watcher)
   * @param clock reads Retry-After dates
   */
  public static UpstreamOcrPipeline create(UpstreamClient client, UpstreamModelConfig config,
      ExecutorService work, ScheduledExecutorService timers, UpstreamListener listener,
      Runnable onUnreachable, Clock clock) {
    return new UpstreamOcrPipeline(client, config, work, timers, listener, onUnreachable, clock);
  }

  /** Requests being sent or answered upstream now. */
  public int inFlight() {
    return limit.running();
  }

  /** Requests waiting for a slot. */
  public int queued() {
    return limit.waiting();
  }

  @Override
  public CompletableFuture<OcrResult> recognize(OcrRequest request) {
    PixelRect region;
    try {
      region = request.regionInImage();
    } catch (IllegalArgumentException e) {
      return CompletableFuture.failedFuture(Status.INVALID_ARGUMENT.withDescription(e.getMessage()).asException());
    }
    if (closed) {
      return CompletableFuture.failedFuture(Status.UNAVAILABLE.withDescription("server shutting down").asException());
    }
    Exchange x = new Exchange(request.image(), region, request.deadline() == null
        ? Long.MAX_VALUE : request.deadline().timeRemaining(TimeUnit.NANOSECONDS));
    if (x.remainingNanos() <= 0) {
      return CompletableFuture.failedFuture(UpstreamStatus.timeout());
    }
    x.result.whenComplete((r, e) -> x.end());
    if (x.deadlineNanos != Long.MAX_VALUE) {
      x.deadlineTimer = timers.schedule(() -> x.fail(UpstreamStatus.timeout()), x.remainingNanos(), TimeUnit.NANOSECONDS);
    }
    if (!limit.admit(x.start)) {
      x.fail(Status.RESOURCE_EXHAUSTED.withDescription("too many requests waiting for the OCR engine").asException());
    }
    return x.result;
  }

  /** Refuses new requests; those admitted go on until they end. The executors belong to the caller. */
  @Override
  public void close() {
    closed = true;
  }

  /** One request, from admission to its answer; see the class comment for its invariants. */
  private final class Exchange {
    final RgbImage image;
    final PixelRect region;
    final long arrivalNanos = System.nanoTime();
    final long deadlineNanos;
    final CompletableFuture<OcrResult> result = new CompletableFuture<>();
    final Runnable start = this::start;
    final AtomicBoolean slotHeld = new AtomicBoolean();
    volatile ScheduledFuture<?> deadlineTimer;
    volatile CompletableFuture<?> http;
    volatile long startedNanos;
    volatile byte[] body;

    Exchange(RgbImage image, PixelRect region, long remainingNanos) {
      this.image = image;
      this.region = region;
      this.deadlineNanos = remainingNanos == Long.MAX_VALUE ? Long.MAX_VALUE : arrivalNanos + remainingNanos;
    }

    long remainingNanos() {
      return deadlineNanos == Long.MAX_VALUE ? Long.MAX_VALUE : deadlineNanos - System.nanoTime();
    }

    /** Holding a slot (called by the limit, on the admitting or a releasing thread). */
    void start() {
      slotHeld.set(true);
      if (result.isDone()) {
        releaseSlot();
        return;
      }
      startedNanos = System.nanoTime();
      try {
        work.execute(this::encodeAndSend);
      } catch (RejectedExecutionException e) {
        fail(Status.UNAVAILABLE.withDescription("server shutting down").asException());
      }
    }

    private void encodeAndSend() {
      if (result.isDone()) {
        return;
      }
      try {
        RgbImage part = image.crop(region.x(), region.y(), region.width(), region.height());
        body = ChatCompletions.requestBody(config.upstream.served_model, PngImages.encode(part), task.prompt(), sampling);
      } catch (RuntimeException e) {
        log.error("cannot build the upstream request", e);
        fail(Status.INTERNAL.withDescription("OCR failed").asException());
        return;
      }
      attempt(0);
    }

    private void attempt(int n) {
      if (result.isDone()) {
        return;
      }
      long left = remainingNanos();
      if (left <= 0) {
        fail(UpstreamStatus.timeout());
        return;
      }
      long timeout = Math.min(TimeUnit.MILLISECONDS.toNanos(config.upstream.request_timeout_ms), left);
      long sent = System.nanoTime();
      CompletableFuture<HttpResponse<byte[]>> f = client.post(body, Duration.ofNanos(timeout));
      http = f;
      if (result.isDone()) {
        f.cancel(true);
        return;
      }
      f.whenComplete((response, error) -> answered(n, System.nanoTime() - sent, response, error));
    }

    private void answered(int n, long nanos, HttpResponse<byte[]> response, Throwable error) {
      if (result.isDone()) {
        return;
      }
      if (error != null) {
        transportFailed(unwrap(error), nanos);
        return;
      }
      int code = response.statusCode();
      listener.onExchange(Integer.toString(code), nanos);
      if (code == 200) {
        succeed(response.body(), nanos);
        return;
      }
      listener.onError(Integer.toString(code));
      Optional<Duration> retryAfter = UpstreamStatus.retryAfter(response.headers().firstValue("Retry-After"), clock);
      if (UpstreamStatus.retryable(code) && n < config.upstream.max_retries && retryLater(n, retryAfter)) {
        return;
      }
      logRefusal(code, response.body());
      fail(UpstreamStatus.forHttp(code, retryAfter));
    }

    /** Schedules attempt n + 1 if the wait fits the limits; false when it does not. */
    private boolean retryLater(int n, Optional<Duration> retryAfter) {
      long wait = retryAfter.orElse(Duration.ofMillis(250L << n)).toNanos();
      if (wait > TimeUnit.MILLISECONDS.toNanos(config.upstream.max_retry_wait_ms) || wait >= remainingNanos()) {
        return false;
      }
      try {
        timers.schedule(() -> attempt(n + 1), wait, TimeUnit.NANOSECONDS);
        return true;
      } catch (RejectedExecutionException e) {
        return false;
      }
    }

    private void transportFailed(Throwable cause, long nanos) {
      if (cause instanceof CancellationException) {
        return;
      }
      String outcome;
      StatusException status;
      if (cause instanceof HttpConnectTimeoutException || cause instanceof ConnectException) {
        outcome = "connect";
        status = UpstreamStatus.unreachable();
        onUnreachable.run();
      } else if (cause instanceof HttpTimeoutException) {
        outcome = "timeout";
        status = UpstreamStatus.timeout();
      } else if (cause instanceof IOException) {
        outcome = "io";
        status = UpstreamStatus.unreachable();
      } else {
        log.error("upstream request failed", cause);
        outcome = "io";
        status = Status.INTERNAL.withDescription("OCR failed").asException();
      }
      listener.onExchange(outcome, nanos);
      listener.onError(outcome);
      fail(status);
    }

    private void succeed(byte[] body, long nanos) {
      ChatCompletions.Answer answer;
      try {
        answer = ChatCompletions.parseAnswer(body);
      } catch (ChatCompletions.MalformedAnswerException e) {
        listener.onError("malformed");
        log.warn("upstream {} answered 200 with a malformed body: {}", client.target(), e.getMessage());
        fail(UpstreamStatus.malformed());
        return;
      }
      listener.onTokens(answer.promptTokens(), answer.completionTokens());
      List<TextLine> lines = AnswerLines.toTextLines(HunyuanAnswer.parse(answer.content(), task), region);
      long now = System.nanoTime();
      long queued = startedNanos - arrivalNanos;
      result.complete(new OcrResult(lines, Timing.newBuilder()
          .setQueueUs(queued / 1000)
          .setRecognitionUs(Math.max(0, now - startedNanos) / 1000)
          .setInferenceUs(nanos / 1000)
          .build()));
    }

    private void logRefusal(int code, byte[] body) {
      if (code == 401 || code == 403 || code == 404) {
        if (operatorErrors.allow()) {
          log.error("upstream {} answered HTTP {} ({}): ocrgate's upstream credentials (upstream.api_key_env /"
              + " api_key_file) or upstream.served_model are wrong; callers get INTERNAL",
              client.target(), code, ChatCompletions.errorMessage(body));
        }
      } else if (code >= 500 && code != 503) {
        log.warn("upstream {} answered HTTP {}: {}", client.target(), code, ChatCompletions.errorMessage(body));
      } else {
        log.debug("upstream {} answered HTTP {}: {}", client.target(), code, ChatCompletions.errorMessage(body));
      }
    }

    void fail(StatusException status) {
      result.completeExceptionally(status);
    }

    /** The result is complete (any way): leave the queue, stop the exchange and timers, free the slot. */
    void end() {
      limit.withdraw(start);
      ScheduledFuture<?> t = deadlineTimer;
      if (t != null) {
        t.cancel(false);
      }
      CompletableFuture<?> h = http;
      if (h != null && !h.isDone()) {
        h.cancel(true);
      }
      releaseSlot();
    }

    private void releaseSlot() {
      if (slotHeld.compareAndSet(true, false)) {
        limit.release();
      }
    }
  }

  private static Throwable unwrap(Throwable t) {
    return t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
  }

  /** At most one line per period, so a misconfiguration does not flood the log. */
  private static final class LogThrottle {
    private final long periodNanos;
    private long last = Long.MIN_VALUE;

    LogThrottle(long periodNanos) {
      this.periodNanos = periodNanos;
    }

    synchronized boolean allow() {
      long now = System.nanoTime();
      if (last != Long.MIN_VALUE && now - last < periodNanos) {
        return false;
      }
      last = now;
      return true;
    }
  }
}
