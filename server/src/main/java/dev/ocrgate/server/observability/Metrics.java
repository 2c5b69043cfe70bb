package dev.ocrgate.server.observability;

import dev.ocrgate.server.ratelimit.RateLimitListener;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.IntSupplier;

/**
 * The application's meters, behind methods that name what happened. The other packages never
 * see this class: each reports through its own listener interface ({@code batch.BatchListener},
 * {@code stream.StreamListener}, bound here by {@link PipelineMetrics};
 * {@code ratelimit.RateLimitListener}, implemented here, for the rate limits and the issuer's
 * budgets); only the composition root hands a {@code Metrics} out ({@code MetricsArchitectureTest}).
 * Every name below is the Prometheus name as scraped from {@code /metrics} (Micrometer appends
 * {@code _total} to counters and {@code _seconds} to timers); the list is also in docs/metrics.md.
 *
 * <p>Tag values must come from small fixed sets chosen by the code (a reason enum, a model name
 * from config), never from a request: each distinct value is a time series kept forever.
 *
 * <p>Thread safety: every method may be called from any thread; meters are looked up in
 * Micrometer's concurrent registry. {@link #noop()} records nothing (tests, tools).
 */
public final class Metrics implements RateLimitListener, AutoCloseable {
  /** Buckets for latencies: 1 ms to 30 s, roughly ×2.5 apart. */
  static final Duration[] LATENCY_BUCKETS = {
    Duration.ofMillis(1), Duration.ofMillis(2), Duration.ofMillis(5), Duration.ofMillis(10),
    Duration.ofMillis(25), Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250),
    Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofMillis(2500), Duration.ofSeconds(5),
    Duration.ofSeconds(10), Duration.ofSeconds(30)
  };

  private static final double[] BATCH_SIZE_BUCKETS = {1, 2, 4, 8, 16, 32, 64, 128};

  private final MeterRegistry registry;
  private final PrometheusMeterRegistry prometheus;
  private final JvmGcMetrics gc;
  private final Meter.MeterProvider<Counter> authFailures;
  private final Meter.MeterProvider<Counter> rateLimitRejections;
  private final Meter.MeterProvider<Timer> queueWait;
  private final Meter.MeterProvider<DistributionSummary> batchSize;
  private final Meter.MeterProvider<Timer> inference;
  private final Meter.MeterProvider<Counter> frames;
  private final Counter subtitleLinesRecognized;
  private final Counter subtitleLinesSkipped;
  private final Counter cues;
  private final Meter.MeterProvider<Counter> redisErrors;

  private Metrics(MeterRegistry registry, PrometheusMeterRegistry prometheus, JvmGcMetrics gc) {
    this.registry = registry;
    this.prometheus = prometheus;
    this.gc = gc;
    authFailures = Counter.builder("ocrgate.auth.failures")
        .description("Calls rejected by authentication or authorization, by reason")
        .withRegistry(registry);
    rateLimitRejections = Counter.builder("ocrgate.ratelimit.rejections")
        .description("Calls rejected by a rate limit, by the limit that was hit")
        .withRegistry(registry);
    queueWait = Timer.builder("ocrgate.batch.queue.wait")
        .description("Time an item waited in a batch queue before its batch ran")
        .serviceLevelObjectives(LATENCY_BUCKETS)
        .withRegistry(registry);
    batchSize = DistributionSummary.builder("ocrgate.batch.size")
        .description("Items per batch sent to the inference engine")
        .serviceLevelObjectives(BATCH_SIZE_BUCKETS)
        .withRegistry(registry);
    inference = Timer.builder("ocrgate.inference.duration")
        .description("Time of one ONNX Runtime run (one batch), by model and execution provider")
        .serviceLevelObjectives(LATENCY_BUCKETS)
        .withRegistry(registry);
    frames = Counter.builder("ocrgate.stream.frames")
        .description("StreamFrames frames answered, by result (recognized, reused, verified, failed)")
        .withRegistry(registry);
    subtitleLinesRecognized = subtitleLines("recognized");
    subtitleLinesSkipped = subtitleLines("skipped");
    cues = Counter.builder("ocrgate.stream.cues")
        .description("Subtitle cues emitted by StreamFrames")
        .register(registry);
    redisErrors = Counter.builder("ocrgate.redis.errors")
        .description("Redis commands that failed or timed out, by operation")
        .withRegistry(registry);
  }

  /** Meters exported in Prometheus format, with JVM, GC, thread, CPU and uptime meters. */
  public static Metrics prometheus() {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    new JvmMemoryMetrics().bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
    JvmGcMetrics gc = new JvmGcMetrics();
    gc.bindTo(registry);
    return new Metrics(registry, registry, gc);
  }

  /** Meters in {@code registry} (e.g. a {@code SimpleMeterRegistry} with a mock clock in tests). */
  public static Metrics using(MeterRegistry registry) {
    return new Metrics(registry, registry instanceof PrometheusMeterRegistry p ? p : null, null);
  }

  /** Records nothing. */
  public static Metrics noop() {
    return new Metrics(new CompositeMeterRegistry(), null, null);
  }

  /** The registry, for binders in this package (the gRPC interceptor). */
  MeterRegistry registry() {
    return registry;
  }

  /** The Prometheus text exposition, when this is a Prometheus-backed instance. */
  public Optional<String> scrape() {
    return prometheus == null ? Optional.empty() : Optional.of(prometheus.scrape());
  }

  /**
   * {@code ocrgate_auth_failures_total{reason}}: a call rejected by the auth interceptor.
   *
   * @param reason a fixed reason such as {@code token_expired} ({@link GrpcServerMetrics} records
   *     every UNAUTHENTICATED / PERMISSION_DENIED call this way already)
   */
  public void authFailure(String reason) {
    authFailures.withTag("reason", reason).increment();
  }

  /**
   * {@code ocrgate_ratelimit_rejections_total{limit}}: a call refused by a rate limit.
   *
   * @param limit which limit, e.g. {@code subject} or {@code tenant}
   */
  @Override
  public void rateLimitRejected(String limit) {
    rateLimitRejections.withTag("limit", limit).increment();
  }

  /**
   * {@code ocrgate_batch_queue_depth{queue}}: items waiting in a batch queue, read from
   * {@code depth} at every scrape. Register once per queue; the supplier must be cheap and
   * thread-safe. The HorizontalPodAutoscaler in deploy/k8s scales on this gauge.
   */
  public void registerQueueDepth(String queue, IntSupplier depth) {
    Gauge.builder("ocrgate.batch.queue.depth", depth::getAsInt)
        .description("Items waiting in a batch queue")
        .tag("queue", queue)
        .strongReference(true)
        .register(registry);
  }

  /**
   * {@code ocrgate_stream_frames_in_flight}: stream frames holding a place of the server-wide
   * frame budget ({@code streaming.queue_share}), and {@code ocrgate_stream_waiting_streams}:
   * streams waiting for one (held back by flow control). Register once; the suppliers must be cheap
   * and thread-safe.
   */
  public void registerStreamAdmission(IntSupplier framesInFlight, IntSupplier waitingStreams) {
    Gauge.builder("ocrgate.stream.frames.in.flight", framesInFlight::getAsInt)
        .description("Stream frames holding a place of the server-wide frame budget")
        .strongReference(true)
        .register(registry);
    Gauge.builder("ocrgate.stream.waiting.streams", waitingStreams::getAsInt)
        .description("Streams waiting for a place in the frame budget before reading their next frame")
        .strongReference(true)
        .register(registry);
  }

  /** {@code ocrgate_batch_queue_wait_seconds{queue}}: how long one item waited for its batch. */
  public void queueWait(String queue, long nanos) {
    queueWait.withTag("queue", queue).record(nanos, TimeUnit.NANOSECONDS);
  }

  /** {@code ocrgate_batch_size{queue}}: the number of items in one batch. */
  public void batchSize(String queue, int items) {
    batchSize.withTag("queue", queue).record(items);
  }

  /**
   * {@code ocrgate_inference_duration_seconds{model,provider}}: one ONNX Runtime run.
   *
   * @param model the model's name, e.g. {@code ppocr-v4/det}
   * @param provider the execution provider, e.g. {@code CPU} or {@code CUDA}
   */
  public void inference(String model, String provider, long nanos) {
    inference.withTags("model", model, "provider", provider).record(nanos, TimeUnit.NANOSECONDS);
  }

  /** What happened to one StreamFrames frame. */
  public enum FrameOutcome {
    /** OCR ran on the frame. */
    RECOGNIZED,
    /** The frame matched an earlier one closely enough that its result was reused. */
    REUSED,
    /**
     * The last read frame's lines were read again at their boxes (recognition only, no detection)
     * and read the same; the frame was answered with that reading (SUBTITLE streams, {@code
     * streaming.reread_lines_ms}).
     */
    VERIFIED,
    /** The frame's result carried an error (e.g. a corrupt image). */
    FAILED
  }

  /** {@code ocrgate_stream_frames_total{result}}: one frame answered. */
  public void frame(FrameOutcome outcome) {
    frames.withTag("result", outcome.name().toLowerCase(Locale.ROOT)).increment();
  }

  private Counter subtitleLines(String result) {
    return Counter.builder("ocrgate.stream.subtitle.lines")
        .description("Lines detected in frames read with the automatic subtitle band, by result:"
            + " recognized, or skipped before recognition (not subtitle lines by their geometry)")
        .tag("result", result)
        .register(registry);
  }

  /**
   * {@code ocrgate_stream_subtitle_lines_total{result}}: lines detected in one frame read with the
   * automatic subtitle band, {@code recognized} or {@code skipped} before recognition.
   */
  public void subtitleLines(int recognized, int skipped) {
    subtitleLinesRecognized.increment(recognized);
    subtitleLinesSkipped.increment(skipped);
  }

  /** {@code ocrgate_stream_cues_total}: one subtitle cue emitted. */
  public void cueEmitted() {
    cues.increment();
  }

  /**
   * {@code ocrgate_redis_up}: 1 while Redis answers, 0 otherwise, read from {@code up} at every
   * scrape (so it must not block: report the last known state). Register once.
   */
  public void registerRedisUp(BooleanSupplier up) {
    Gauge.builder("ocrgate.redis.up", () -> up.getAsBoolean() ? 1 : 0)
        .description("1 while the Redis state store answers, else 0")
        .strongReference(true)
        .register(registry);
  }

  /** {@code ocrgate_redis_errors_total{operation}}: a Redis command that failed or timed out. */
  @Override
  public void redisError(String operation) {
    redisErrors.withTag("operation", operation).increment();
  }

  @Override
  public void close() {
    if (gc != null) {
      gc.close();
    }
    registry.close();
  }
}
