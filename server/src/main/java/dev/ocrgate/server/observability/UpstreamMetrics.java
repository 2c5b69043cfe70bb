package dev.ocrgate.server.observability;

import dev.ocrgate.server.upstream.UpstreamListener;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.IntSupplier;

/**
 * The meters of a remote (upstream) engine, labelled with the model set's name:
 * {@code ocrgate_upstream_request_duration_seconds{model,outcome}},
 * {@code ocrgate_upstream_errors_total{model,outcome}}, {@code ocrgate_upstream_tokens_total{model,kind}},
 * {@code ocrgate_upstream_requests_in_flight{model}} and {@code ocrgate_upstream_up{model}}
 * (docs/metrics.md). Outcomes are the HTTP status code or a fixed word chosen by the engine.
 * Thread-safe: Micrometer's meters are.
 */
public final class UpstreamMetrics implements UpstreamListener {
  private final MeterRegistry registry;
  private final String model;
  private final Meter.MeterProvider<Timer> duration;
  private final Meter.MeterProvider<Counter> errors;
  private final Counter promptTokens;
  private final Counter completionTokens;

  private UpstreamMetrics(MeterRegistry registry, String model) {
    this.registry = registry;
    this.model = model;
    duration = Timer.builder("ocrgate.upstream.request.duration")
        .description("One HTTP exchange with the upstream engine, by outcome (HTTP status or timeout/connect/io)")
        .serviceLevelObjectives(Metrics.LATENCY_BUCKETS)
        .tag("model", model)
        .withRegistry(registry);
    errors = Counter.builder("ocrgate.upstream.errors")
        .description("Upstream exchanges that failed, by outcome (HTTP status or timeout/connect/io/malformed)")
        .tag("model", model)
        .withRegistry(registry);
    Counter.Builder tokens = Counter.builder("ocrgate.upstream.tokens")
        .description("Tokens the upstream reported in usage, by kind (prompt, completion)")
        .tag("model", model);
    promptTokens = tokens.tag("kind", "prompt").register(registry);
    completionTokens = tokens.tag("kind", "completion").register(registry);
  }

  /** The listener for the upstream model set {@code model}. */
  public static UpstreamMetrics create(Metrics metrics, String model) {
    return new UpstreamMetrics(metrics.registry(), model);
  }

  @Override
  public void onExchange(String outcome, long nanos) {
    duration.withTag("outcome", outcome).record(nanos, TimeUnit.NANOSECONDS);
  }

  @Override
  public void onError(String outcome) {
    errors.withTag("outcome", outcome).increment();
  }

  @Override
  public void onTokens(long prompt, long completion) {
    promptTokens.increment(prompt);
    completionTokens.increment(completion);
  }

  @Override
  public void register(IntSupplier inFlight, BooleanSupplier up) {
    Gauge.builder("ocrgate.upstream.requests.in.flight", inFlight::getAsInt)
        .description("Requests holding an upstream slot: being encoded, sent and not yet answered, or waiting to retry")
        .tag("model", model)
        .strongReference(true)
        .register(registry);
    Gauge.builder("ocrgate.upstream.up", () -> up.getAsBoolean() ? 1 : 0)
        .description("1 while the upstream engine answers its health probe, else 0")
        .tag("model", model)
        .strongReference(true)
        .register(registry);
  }
}
