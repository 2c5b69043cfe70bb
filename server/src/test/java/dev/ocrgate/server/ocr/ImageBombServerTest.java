package dev.ocrgate.server.ocr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import com.sun.management.ThreadMXBean;
import dev.ocrgate.api.v1.Frame;
import dev.ocrgate.api.v1.FrameResult;
import dev.ocrgate.api.v1.Image;
import dev.ocrgate.api.v1.OcrServiceGrpc;
import dev.ocrgate.api.v1.PixelFormat;
import dev.ocrgate.api.v1.RecognizeRequest;
import dev.ocrgate.api.v1.RecognizeResponse;
import dev.ocrgate.api.v1.StreamConfig;
import dev.ocrgate.api.v1.StreamFramesRequest;
import dev.ocrgate.api.v1.StreamFramesResponse;
import dev.ocrgate.api.v1.Timing;
import dev.ocrgate.server.OcrgateServer;
import dev.ocrgate.server.auth.InMemoryRevocationStore;
import dev.ocrgate.server.auth.JwtAuth;
import dev.ocrgate.server.auth.JwtAuthInterceptor;
import dev.ocrgate.server.auth.SigningKey;
import dev.ocrgate.server.auth.SigningKeys;
import dev.ocrgate.server.auth.TokenMinter;
import dev.ocrgate.server.config.OcrgateConfig;
import dev.ocrgate.server.config.StreamingSection;
import dev.ocrgate.server.stream.StreamFramesService;
import dev.ocrgate.server.stream.StreamListener;
import dev.ocrgate.server.testing.TestTls;
import dev.ocrgate.server.vision.DecodeBudget;
import dev.ocrgate.server.vision.DecodeBudgetException;
import dev.ocrgate.server.vision.ImageDecoder;
import dev.ocrgate.server.vision.ImageLimits;
import dev.ocrgate.server.vision.TestImages;
import io.grpc.Grpc;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.StreamObserver;
import java.awt.image.BufferedImage;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Image bombs and the decode budget against a real TLS server on loopback with the real JWT
 * interceptor and a valid token: the production {@link OcrGrpcService} and {@link
 * StreamFramesService} over one {@link ImageDecoder}, in front of a pipeline stand-in whose answers
 * the test releases (what is measured here happens before OCR). The budget fits one 1500 × 1500
 * decode (about 20 MB): enough for every other image here.
 */
class ImageBombServerTest {
  /**
   * The whole JVM's allocations during one refused call: TLS, HTTP/2, logging, the refusal, and
   * whatever other threads of the test JVM allocate meanwhile (measured: about 80 KB; the old
   * decoder allocated 2 GB). Generous, so that a loaded machine cannot fail it.
   */
  private static final long ALLOCATION_BOUND = 64L << 20;
  private static final int LARGE = 1500;
  private static final ThreadMXBean THREADS =
      (ThreadMXBean) ManagementFactory.getThreadMXBean();

  @TempDir static Path dir;
  static HeldPipeline pipeline;
  static DecodeBudget budget;
  static JwtAuth auth;
  static OcrgateServer server;
  static ManagedChannel channel;
  static Metadata bearer;

  @BeforeAll
  static void start() throws Exception {
    Clock clock = Clock.systemUTC();
    SigningKey key = SigningKeys.generate("ES256");
    Path jwks = dir.resolve("jwks.json");
    Files.writeString(jwks, key.publicJwksJson());
    OcrgateConfig config = new OcrgateConfig();
    config.server.port = 0;
    TestTls.certs().applyTo(config.tls);
    config.auth.jwks_file = jwks.toString();
    auth = JwtAuth.fromConfig(config.auth, Map.<String, String>of()::get, null,
        InMemoryRevocationStore.create(clock), clock);
    pipeline = new HeldPipeline();
    budget = DecodeBudget.of(24L << 20, Duration.ofMillis(300));
    ImageDecoder decoder = ImageDecoder.create(ImageLimits.defaults(), budget);
    ExecutorService prepare = StreamFramesService.preparationExecutor();
    StreamFramesService streams = StreamFramesService.create(pipeline, decoder::decode, prepare,
        new StreamingSection(), 64, StreamListener.NONE);
    OcrGrpcService service = OcrGrpcService.create(pipeline, decoder, "fake", streams::open);
    server = OcrgateServer.builder(config).addService(service).addInterceptor(auth.interceptor())
        .onClose(prepare::shutdown).build().start();
    channel = Grpc.newChannelBuilderForAddress("localhost", server.port(), TestTls.clientCredentials()).build();
    String token = TokenMinter.of(key).mint("bomb-tester", List.of("ocr:recognize", "ocr:stream"),
        Duration.ofMinutes(30), "ocrgate", null);
    bearer = new Metadata();
    bearer.put(JwtAuthInterceptor.AUTHORIZATION, "Bearer " + token);
  }

  @AfterAll
  static void stop() throws Exception {
    channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    server.shutdownGracefully();
    auth.close();
  }

  private static OcrServiceGrpc.OcrServiceBlockingStub stub() {
    return OcrServiceGrpc.newBlockingStub(channel)
        .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(bearer))
        .withDeadlineAfter(60, TimeUnit.SECONDS);
  }

  private static RecognizeRequest request(Image image) {
    return RecognizeRequest.newBuilder().setImage(image).build();
  }

  @Test
  void verify_bmpBomb_recognize_isInvalidArgument_withBoundedAllocation() {
    // warm the connection and the code paths (TLS handshake, token cache, readers) first
    stub().recognize(request(small()));
    for (int compression : new int[] {5, 4}) { // BI_PNG, BI_JPEG
      int calls = pipeline.calls.get();
      long before = THREADS.getTotalThreadAllocatedBytes();
      StatusRuntimeException e = catchThrowableOfType(
          () -> stub().recognize(request(TestImages.encoded(TestImages.bmpEmbeddedBomb(compression)))),
          StatusRuntimeException.class);
      long allocated = THREADS.getTotalThreadAllocatedBytes() - before;

      assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
      assertThat(allocated).as("bytes the JVM allocated during the call").isLessThan(ALLOCATION_BOUND);
      assertThat(e.getStatus().getDescription()).startsWith("cannot decode image: BMP compression not supported");
      assertThat(pipeline.calls.get()).isEqualTo(calls);
    }
  }

  @Test
  void verify_bmpBomb_asStreamFrame_failsThatFrame_andTheStreamGoesOn() throws Exception {
    List<FrameResult> frames = stream(frame(1, small()), frame(2, TestImages.encoded(TestImages.bmpEmbeddedBomb(5))),
        frame(3, small()));

    assertThat(frames).extracting(FrameResult::getSeq).containsExactly(1L, 2L, 3L);
    assertThat(frames.get(0).hasError()).isFalse();
    assertThat(frames.get(1).getError().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT.value());
    assertThat(frames.get(1).getError().getMessage()).startsWith("cannot decode image: BMP compression");
    assertThat(frames.get(2).hasError()).isFalse();
  }

  /** Sends a config (no reuse of similar frames) and {@code frames}, half-closes, expects OK. */
  private static List<FrameResult> stream(StreamFramesRequest... frames) throws Exception {
    Collector results = new Collector();
    StreamObserver<StreamFramesRequest> requests = OcrServiceGrpc.newStub(channel)
        .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(bearer))
        .withDeadlineAfter(60, TimeUnit.SECONDS)
        .streamFrames(results);
    requests.onNext(StreamFramesRequest.newBuilder().setConfig(StreamConfig.newBuilder().setChangeThreshold(-1)).build());
    for (StreamFramesRequest f : frames) {
      requests.onNext(f);
    }
    requests.onCompleted();
    assertThat(results.done.get(60, TimeUnit.SECONDS).getCode()).isEqualTo(Status.Code.OK);
    assertThat(results.frames).hasSize(frames.length);
    return results.frames;
  }

  /**
   * A large image decoded and waiting for OCR keeps its share (3 B/px) of the budget; a second
   * large decode then finds too little and is refused with RESOURCE_EXHAUSTED after the budget's
   * wait; once the first is answered, the same request decodes.
   */
  @Test
  void verify_budget_secondLargeDecodeWhileFirstIsHeld_isResourceExhausted_thenServed() throws Exception {
    Image large = TestImages.encoded(TestImages.encode(new BufferedImage(LARGE, LARGE, BufferedImage.TYPE_3BYTE_BGR), "png"));
    pipeline.hold(true);
    try {
      CompletableFuture<RecognizeResponse> first = CompletableFuture.supplyAsync(() -> stub().recognize(request(large)));
      CompletableFuture<OcrRequest> held = pipeline.nextHeld();
      assertThat(held.get(60, TimeUnit.SECONDS).image().width()).isEqualTo(LARGE);
      assertThat(budget.inUseBytes()).isGreaterThanOrEqualTo(3L * LARGE * LARGE);

      StatusRuntimeException refused = catchThrowableOfType(() -> stub().recognize(request(large)),
          StatusRuntimeException.class);
      assertThat(refused.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
      assertThat(refused.getStatus().getDescription()).isEqualTo(DecodeBudgetException.MESSAGE);
      // in a stream, the same refusal is that frame's RESOURCE_EXHAUSTED and the stream goes on
      List<FrameResult> frames = stream(frame(1, large), frame(2, small()));
      assertThat(frames.get(0).getError().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED.value());
      assertThat(frames.get(0).getError().getMessage()).isEqualTo(DecodeBudgetException.MESSAGE);
      assertThat(frames.get(1).getSeq()).isEqualTo(2);

      pipeline.releaseAll();
      assertThat(first.get(60, TimeUnit.SECONDS).getImageWidth()).isEqualTo(LARGE);
      await().atMost(Duration.ofSeconds(30)).until(() -> budget.inUseBytes() == 0);
      pipeline.hold(false);
      assertThat(stub().recognize(request(large)).getImageWidth()).isEqualTo(LARGE);
      assertThat(budget.inUseBytes()).isZero();
    } finally {
      pipeline.hold(false);
      pipeline.releaseAll();
    }
  }

  private static Image small() {
    return TestImages.raw(64, 32, PixelFormat.PIXEL_FORMAT_GRAY8, new byte[64 * 32]);
  }

  private static StreamFramesRequest frame(long seq, Image image) {
    return StreamFramesRequest.newBuilder()
        .setFrame(Frame.newBuilder().setSeq(seq).setPtsMs(seq * 40).setImage(image)).build();
  }

  /** Collects a stream's frame results and how it ended. */
  private static final class Collector implements StreamObserver<StreamFramesResponse> {
    final List<FrameResult> frames = Collections.synchronizedList(new ArrayList<>());
    final CompletableFuture<Status> done = new CompletableFuture<>();

    @Override
    public void onNext(StreamFramesResponse value) {
      if (value.hasResult()) {
        frames.add(value.getResult());
      }
    }

    @Override
    public void onError(Throwable t) {
      done.complete(Status.fromThrowable(t));
    }

    @Override
    public void onCompleted() {
      done.complete(Status.OK);
    }
  }

  /** Answers at once with no lines; while held, large images when the test releases them. */
  private static final class HeldPipeline implements OcrPipeline {
    final AtomicInteger calls = new AtomicInteger();
    private final BlockingQueue<CompletableFuture<OcrResult>> pending = new LinkedBlockingQueue<>();
    private final BlockingQueue<OcrRequest> heldRequests = new LinkedBlockingQueue<>();
    private volatile boolean hold;

    void hold(boolean on) {
      hold = on;
    }

    CompletableFuture<OcrRequest> nextHeld() {
      return CompletableFuture.supplyAsync(() -> {
        try {
          return heldRequests.poll(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          throw new IllegalStateException(e);
        }
      });
    }

    void releaseAll() {
      CompletableFuture<OcrResult> f;
      while ((f = pending.poll()) != null) {
        f.complete(empty());
      }
    }

    @Override
    public CompletableFuture<OcrResult> recognize(OcrRequest request) {
      calls.incrementAndGet();
      if (!hold || request.image().width() < LARGE) {
        return CompletableFuture.completedFuture(empty());
      }
      CompletableFuture<OcrResult> f = new CompletableFuture<>();
      pending.add(f);
      heldRequests.add(request);
      return f;
    }

    private static OcrResult empty() {
      return new OcrResult(List.of(), Timing.getDefaultInstance());
    }
  }
}
