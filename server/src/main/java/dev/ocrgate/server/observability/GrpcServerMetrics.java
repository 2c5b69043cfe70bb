package dev.ocrgate.server.observability;

import io.grpc.ForwardingServerCall.SimpleForwardingServerCall;
import io.grpc.ForwardingServerCallListener.SimpleForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Counts and times every gRPC call by method and final status:
 * {@code ocrgate_grpc_server_calls_total{method,status}},
 * {@code ocrgate_grpc_server_duration_seconds{method,status}} (histogram) and
 * {@code ocrgate_grpc_server_calls_in_flight}. Install it first (outermost) so that calls the
 * auth interceptor rejects are counted too, with their UNAUTHENTICATED status.
 *
 * <p>A call is recorded exactly once: at {@code close} with its status, or at cancellation
 * (client gone, deadline) as CANCELLED; an atomic flag per call decides which comes first. The
 * time comes from the registry's clock, so a test drives it with a mock clock. Never records
 * metadata: the method name and status code are the only labels.
 */
public final class GrpcServerMetrics implements ServerInterceptor {
  private final MeterRegistry registry;
  private final Meter.MeterProvider<Counter> calls;
  private final Meter.MeterProvider<Timer> duration;
  private final AtomicInteger inFlight = new AtomicInteger();

  GrpcServerMetrics(MeterRegistry registry) {
    this.registry = registry;
    this.calls = Counter.builder("ocrgate.grpc.server.calls")
        .description("gRPC calls finished, by full method name and status code")
        .withRegistry(registry);
    this.duration = Timer.builder("ocrgate.grpc.server.duration")
        .description("gRPC call duration from headers received to close, by method and status")
        .serviceLevelObjectives(Metrics.LATENCY_BUCKETS)
        .withRegistry(registry);
    Gauge.builder("ocrgate.grpc.server.calls.in.flight", inFlight, AtomicInteger::get)
        .description("gRPC calls started and not yet finished")
        .register(registry);
  }

  /** The interceptor that records into {@code metrics}. */
  public static GrpcServerMetrics create(Metrics metrics) {
    return new GrpcServerMetrics(metrics.registry());
  }

  @Override
  public <ReqT, RespT> ServerCall.Listener<ReqT> interceptCall(
      ServerCall<ReqT, RespT> call, Metadata headers, ServerCallHandler<ReqT, RespT> next) {
    Recorder recorder = new Recorder(call.getMethodDescriptor().getFullMethodName());
    ServerCall<ReqT, RespT> recording = new SimpleForwardingServerCall<>(call) {
      @Override
      public void close(Status status, Metadata trailers) {
        recorder.finish(status.getCode());
        super.close(status, trailers);
      }
    };
    ServerCall.Listener<ReqT> listener = next.startCall(recording, headers);
    return new SimpleForwardingServerCallListener<>(listener) {
      @Override
      public void onCancel() {
        recorder.finish(Status.Code.CANCELLED);
        super.onCancel();
      }
    };
  }

  /** One call's start time and once-only flag. */
  private final class Recorder {
    private final String method;
    private final long startNanos;
    private final AtomicBoolean done = new AtomicBoolean();

    Recorder(String method) {
      this.method = method;
      this.startNanos = registry.config().clock().monotonicTime();
      inFlight.incrementAndGet();
    }

    void finish(Status.Code code) {
      if (!done.compareAndSet(false, true)) {
        return;
      }
      inFlight.decrementAndGet();
      long elapsed = registry.config().clock().monotonicTime() - startNanos;
      calls.withTags("method", method, "status", code.name()).increment();
      duration.withTags("method", method, "status", code.name())
          .record(elapsed, TimeUnit.NANOSECONDS);
    }
  }
}
