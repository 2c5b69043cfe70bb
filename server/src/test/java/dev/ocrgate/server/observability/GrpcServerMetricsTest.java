package dev.ocrgate.server.observability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.protobuf.services.HealthStatusManager;
import io.micrometer.core.instrument.MockClock;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The interceptor against the real health service over an in-process transport, with a mock
 * clock: an inner interceptor advances the clock by a fixed time per call, so durations are exact.
 */
class GrpcServerMetricsTest {
  private static final String CHECK = "grpc.health.v1.Health/Check";
  private final MockClock clock = new MockClock();
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry(SimpleConfig.DEFAULT, clock);
  private final HealthStatusManager health = new HealthStatusManager();
  private final GrpcServerMetrics interceptor = new GrpcServerMetrics(registry);
  private Server server;
  private ManagedChannel channel;

  @BeforeEach
  void start() throws Exception {
    String name = InProcessServerBuilder.generateName();
    ServerInterceptor advanceClock = new ServerInterceptor() {
      @Override
      public <ReqT, RespT> ServerCall.Listener<ReqT> interceptCall(
          ServerCall<ReqT, RespT> call, Metadata headers, ServerCallHandler<ReqT, RespT> next) {
        clock.add(Duration.ofMillis(7));
        return next.startCall(call, headers);
      }
    };
    // intercept(): the last listed runs first, so metrics is outermost.
    server = InProcessServerBuilder.forName(name).directExecutor()
        .addService(ServerInterceptors.intercept(
            health.getHealthService(), advanceClock, interceptor))
        .build().start();
    channel = InProcessChannelBuilder.forName(name).directExecutor().build();
    health.setStatus("", ServingStatus.SERVING);
  }

  @AfterEach
  void stop() {
    channel.shutdownNow();
    server.shutdownNow();
  }

  @Test
  void verify_okCall_isCountedAndTimedByMethodAndStatus() {
    HealthGrpc.newBlockingStub(channel).check(HealthCheckRequest.getDefaultInstance());
    HealthGrpc.newBlockingStub(channel).check(HealthCheckRequest.getDefaultInstance());

    assertThat(registry.get("ocrgate.grpc.server.calls").tags("method", CHECK, "status", "OK")
        .counter().count()).isEqualTo(2.0);
    Timer timer = registry.get("ocrgate.grpc.server.duration").tags("method", CHECK, "status", "OK")
        .timer();
    assertThat(timer.count()).isEqualTo(2);
    assertThat(timer.totalTime(TimeUnit.MILLISECONDS)).isEqualTo(14.0);
    assertThat(registry.get("ocrgate.grpc.server.calls.in.flight").gauge().value()).isZero();
  }

  @Test
  void verify_failedCall_isCountedWithItsStatusCode() {
    assertThatThrownBy(() -> HealthGrpc.newBlockingStub(channel)
            .check(HealthCheckRequest.newBuilder().setService("no.such.Service").build()))
        .isInstanceOf(StatusRuntimeException.class);

    assertThat(registry.get("ocrgate.grpc.server.calls").tags("status", "NOT_FOUND")
        .counter().count()).isEqualTo(1.0);
    assertThat(registry.find("ocrgate.grpc.server.calls").tags("status", "OK").counter()).isNull();
  }

  @Test
  void verify_cancelledCall_isRecordedOnceAsCancelled() {
    @SuppressWarnings("unchecked")
    ServerCall<Object, Object>[] wrapped = new ServerCall[1];
    ServerCall.Listener<Object> listener = interceptor.interceptCall(
        new NoopServerCall(), new Metadata(), (c, h) -> {
          wrapped[0] = c;
          return new ServerCall.Listener<>() {};
        });
    clock.add(Duration.ofMillis(3));
    listener.onCancel();
    wrapped[0].close(Status.CANCELLED, new Metadata()); // a late close must not count twice

    assertThat(registry.get("ocrgate.grpc.server.calls").tags("method", CHECK, "status", "CANCELLED")
        .counter().count()).isEqualTo(1.0);
    assertThat(registry.get("ocrgate.grpc.server.duration").tags("status", "CANCELLED").timer()
        .totalTime(TimeUnit.MILLISECONDS)).isEqualTo(3.0);
    assertThat(registry.get("ocrgate.grpc.server.calls.in.flight").gauge().value()).isZero();
  }
}
