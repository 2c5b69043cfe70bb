package dev.ocrgate.server.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.rpc.RetryInfo;
import dev.ocrgate.api.v1.Frame;
import dev.ocrgate.api.v1.FrameResult;
import dev.ocrgate.api.v1.OcrServiceGrpc;
import dev.ocrgate.api.v1.StreamConfig;
import dev.ocrgate.api.v1.StreamFramesRequest;
import dev.ocrgate.api.v1.StreamFramesResponse;
import dev.ocrgate.server.OcrgateServer;
import dev.ocrgate.server.config.OcrgateConfig;
import dev.ocrgate.server.observability.Metrics;
import dev.ocrgate.server.ratelimit.BucketSpec;
import dev.ocrgate.server.ratelimit.InMemoryRateLimiter;
import dev.ocrgate.server.ratelimit.RateKey;
import dev.ocrgate.server.ratelimit.RateLimitInterceptor;
import dev.ocrgate.server.ratelimit.RateLimitPolicy;
import dev.ocrgate.server.testing.TestTls;
import io.grpc.Grpc;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.protobuf.StatusProto;
import io.grpc.stub.StreamObserver;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A stream pays per frame: once the caller's bucket is empty the stream answers every frame it
 * accepted and ends with RESOURCE_EXHAUSTED + RetryInfo — nothing is dropped silently.
 */
class StreamRateLimitTest {
  private static final int BURST = 5;
  private final FakeOcr ocr = new FakeOcr(2);
  private final ExecutorService prepare = StreamFramesService.preparationExecutor();
  private OcrgateServer server;
  private ManagedChannel channel;

  @AfterEach
  void tearDown() throws InterruptedException {
    if (channel != null) {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
    if (server != null) {
      server.shutdownGracefully();
    }
    ocr.close();
  }

  @Test
  void verify_framesBeyondTheBucket_endStreamWithResourceExhaustedAfterAnsweringAccepted()
      throws Exception {
    OcrgateConfig config = new OcrgateConfig();
    config.server.port = 0;
    TestTls.certs().applyTo(config.tls);
    // A clock that never moves: the bucket never refills, so exactly BURST tokens exist.
    RateLimitPolicy policy = RateLimitPolicy.builder(new BucketSpec(1, BURST), new BucketSpec(100, 100))
        .methodCost("ocrgate.v1.OcrService/StreamFrames", 0)
        .frameCost(1)
        .build();
    InMemoryRateLimiter limiter = InMemoryRateLimiter.create(policy, () -> 1_000_000_000L);
    config.streaming.subtitle_region.enabled = false; // the fake engine reads the fixed band
    StreamFramesService service =
        StreamFramesService.create(ocr, FakeOcr::decode, prepare, config.streaming,
            config.streaming.framesInFlight(FakeOcr.QUEUE_CAPACITY), new StreamListener() {});
    server = OcrgateServer.builder(config).onClose(prepare::shutdown)
        .addInterceptor(RateLimitInterceptor.create(limiter, policy, headers -> new RateKey("alice", "acme"),
            Metrics.using(new SimpleMeterRegistry())))
        .addService(new OcrServiceGrpc.OcrServiceImplBase() {
          @Override
          public StreamObserver<StreamFramesRequest> streamFrames(StreamObserver<StreamFramesResponse> r) {
            return service.open(r);
          }
        })
        .build()
        .start();
    channel = Grpc.newChannelBuilderForAddress("localhost", server.port(), TestTls.clientCredentials()).build();
    List<StreamFramesRequest> msgs = new ArrayList<>();
    msgs.add(StreamFramesRequest.newBuilder()
        .setConfig(StreamConfig.newBuilder().setChangeThreshold(-1)).build());
    for (int i = 1; i <= BURST + 4; i++) {
      msgs.add(StreamFramesRequest.newBuilder()
          .setFrame(Frame.newBuilder().setSeq(i).setPtsMs(i * 40L).setImage(FakeOcr.frame(i))).build());
    }
    TestStream stream = new TestStream(msgs, true, true);

    OcrServiceGrpc.newStub(channel).streamFrames(stream);

    Status status = stream.done.get(30, TimeUnit.SECONDS);
    assertThat(status.getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
    List<FrameResult> results = stream.results();
    assertThat(results).extracting(FrameResult::getSeq).containsExactly(1L, 2L, 3L, 4L, 5L);
    assertThat(results).allSatisfy(r -> assertThat(r.hasError()).isFalse());
    com.google.rpc.Status details = StatusProto.fromThrowable(stream.failure);
    assertThat(details).isNotNull();
    assertThat(details.getDetailsList()).anySatisfy(any -> {
      assertThat(any.is(RetryInfo.class)).isTrue();
      assertThat(any.unpack(RetryInfo.class).getRetryDelay().getSeconds()
          + any.unpack(RetryInfo.class).getRetryDelay().getNanos()).isPositive();
    });
    // closed by the interceptor: the call leaves the live set when its context ends, which may
    // come after the client saw the status
    await().atMost(Duration.ofSeconds(30)).until(() -> service.openStreams() == 0);
    // the refused frame's permit, and those of the frames after it, came back
    assertThat(service.framesInFlight()).isZero();
  }
}
