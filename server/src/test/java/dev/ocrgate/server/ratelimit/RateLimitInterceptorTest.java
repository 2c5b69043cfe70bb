package dev.ocrgate.server.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.rpc.RetryInfo;
import dev.ocrgate.server.observability.Metrics;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.protobuf.StatusProto;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.StreamObserver;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The interceptor in front of a real (health) service over the in-process transport: denial
 * status and RetryInfo, unmetered anonymous calls, and the frame gate in the call's Context.
 */
class RateLimitInterceptorTest {
  private static final Metadata.Key<String> SUBJECT = Metadata.Key.of("x-test-subject", Metadata.ASCII_STRING_MARSHALLER);

  private final FakeNanoClock clock = new FakeNanoClock();
  private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
  private final Metrics metrics = Metrics.using(meters);
  private final RateLimitPolicy policy =
      RateLimitPolicy.builder(new BucketSpec(2, 3), new BucketSpec(100, 100)).frameCost(1).build();
  private final InMemoryRateLimiter limiter = InMemoryRateLimiter.create(policy, clock);
  private final List<FrameGate> gatesSeen = new ArrayList<>();
  private Server server;
  private ManagedChannel channel;

  @BeforeEach
  void setUp() throws Exception {
    String name = InProcessServerBuilder.generateName();
    RateKeyResolver resolver = h -> h.get(SUBJECT) == null ? null : new RateKey(h.get(SUBJECT), "acme");
    HealthGrpc.HealthImplBase health = new HealthGrpc.HealthImplBase() {
      @Override
      public void check(HealthCheckRequest request, StreamObserver<HealthCheckResponse> out) {
        gatesSeen.add(FrameGate.current());
        out.onNext(HealthCheckResponse.getDefaultInstance());
        out.onCompleted();
      }
    };
    server = InProcessServerBuilder.forName(name).directExecutor()
        .addService(ServerInterceptors.intercept(health,
            RateLimitInterceptor.create(limiter, policy, resolver, metrics)))
        .build().start();
    channel = InProcessChannelBuilder.forName(name).directExecutor().build();
  }

  @AfterEach
  void tearDown() {
    channel.shutdownNow();
    server.shutdownNow();
  }

  private HealthGrpc.HealthBlockingStub stub(String subject) {
    Metadata md = new Metadata();
    md.put(SUBJECT, subject);
    return HealthGrpc.newBlockingStub(channel).withInterceptors(MetadataUtils.newAttachHeadersInterceptor(md));
  }

  @Test
  void call_overLimit_isResourceExhaustedWithRetryInfo() {
    for (int i = 0; i < 3; i++) {
      stub("alice").check(HealthCheckRequest.getDefaultInstance());
    }

    assertThatThrownBy(() -> stub("alice").check(HealthCheckRequest.getDefaultInstance()))
        .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
          assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
          assertThat(e.getStatus().getDescription()).isEqualTo(RateLimitStatus.MESSAGE);
          com.google.rpc.Status details = StatusProto.fromThrowable(e);
          assertThat(details).isNotNull();
          RetryInfo retry = unpackRetry(details);
          assertThat(Duration.ofSeconds(retry.getRetryDelay().getSeconds(), retry.getRetryDelay().getNanos()))
              .isEqualTo(Duration.ofMillis(500)); // 1 token at 2/s
        });
    assertThat(gatesSeen).hasSize(3);
    assertThat(meters.counter("ocrgate.ratelimit.rejections", "limit", "subject").count()).isEqualTo(1.0);
  }

  @Test
  void call_withoutIdentity_isNotMetered() {
    for (int i = 0; i < 10; i++) {
      HealthGrpc.newBlockingStub(channel).check(HealthCheckRequest.getDefaultInstance());
    }
    assertThat(gatesSeen).hasSize(10).allMatch(g -> g == FrameGate.UNLIMITED);
  }

  @Test
  void frameGate_inCallContext_chargesTheCallersBuckets() {
    stub("bob").check(HealthCheckRequest.getDefaultInstance()); // 3 -> 2 tokens
    FrameGate gate = gatesSeen.get(0);

    assertThat(gate.admitFrame().allowed()).isTrue();
    assertThat(gate.admitFrame().allowed()).isTrue();
    Decision denied = gate.admitFrame();

    assertThat(denied.allowed()).isFalse();
    assertThat(RateLimitStatus.exhausted(denied).getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
    clock.advance(Duration.ofMillis(500));
    assertThat(gate.admitFrame().allowed()).isTrue();
  }

  private static RetryInfo unpackRetry(com.google.rpc.Status details) {
    try {
      return details.getDetails(0).unpack(RetryInfo.class);
    } catch (InvalidProtocolBufferException e) {
      throw new AssertionError(e);
    }
  }
}
