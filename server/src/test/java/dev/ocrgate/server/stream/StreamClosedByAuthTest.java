package dev.ocrgate.server.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import dev.ocrgate.api.v1.Frame;
import dev.ocrgate.api.v1.Image;
import dev.ocrgate.api.v1.OcrServiceGrpc;
import dev.ocrgate.api.v1.PixelFormat;
import dev.ocrgate.api.v1.RawImage;
import dev.ocrgate.api.v1.StreamConfig;
import dev.ocrgate.api.v1.StreamFramesRequest;
import dev.ocrgate.api.v1.StreamFramesResponse;
import dev.ocrgate.server.OcrgateServer;
import dev.ocrgate.server.auth.JwtAuthInterceptor;
import dev.ocrgate.server.auth.JwtVerifier;
import dev.ocrgate.server.auth.KeySet;
import dev.ocrgate.server.auth.MethodPolicy;
import dev.ocrgate.server.auth.SigningKey;
import dev.ocrgate.server.auth.SigningKeys;
import dev.ocrgate.server.auth.Tokens;
import dev.ocrgate.server.auth.VerificationKey;
import dev.ocrgate.server.config.AuthConfig;
import dev.ocrgate.server.config.OcrgateConfig;
import dev.ocrgate.server.ocr.BatchedOcrPipeline;
import dev.ocrgate.server.ocr.OcrModule;
import dev.ocrgate.server.ocr.SharedPipeline;
import dev.ocrgate.server.testing.ManualScheduler;
import dev.ocrgate.server.testing.MutableClock;
import dev.ocrgate.server.testing.StubRevocations;
import dev.ocrgate.server.testing.TestTls;
import dev.ocrgate.server.testing.TextImages;
import dev.ocrgate.server.vision.ImageDecoder;
import io.grpc.Grpc;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.StreamObserver;
import java.awt.Color;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A stream the JWT interceptor closes (token expired, token revoked) on the real StreamFrames
 * service and the production pipeline (real models, {@link SharedPipeline}) over real TLS: the
 * close withdraws the stream's queued OCR work (never run) and the call leaves the service's live
 * set. The detection workers are held, so the frames stay queued until the close; the
 * interceptor's timers run on a {@link ManualScheduler}, so the close happens when the test says.
 */
class StreamClosedByAuthTest {
  private static final int WINDOW = 8;
  private static final SigningKey KEY = SigningKeys.generate("ES256");
  private static final Duration RECHECK = Duration.ofSeconds(30);

  private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
  private final ManualScheduler timers = new ManualScheduler(clock);
  private final AtomicBoolean revoked = new AtomicBoolean();
  private final AtomicInteger pendingNow = new AtomicInteger();
  private final Tokens tokens = new Tokens(clock);
  private final OcrModule ocr = SharedPipeline.module();
  private final BatchedOcrPipeline batched = ocr.batchedPipeline();
  private StreamFramesService service;
  private OcrgateServer server;
  private ManagedChannel channel;

  @BeforeEach
  void start() {
    OcrgateConfig config = new OcrgateConfig();
    config.server.port = 0;
    config.streaming.window = WINDOW;
    TestTls.certs().applyTo(config.tls);
    ExecutorService prepare = StreamFramesService.preparationExecutor();
    service = StreamFramesService.create(ocr.pipeline(), image -> ImageDecoder.decode(image, ocr.imageLimits()),
        prepare, config.streaming,
        config.streaming.framesInFlight(batched.detectionBatcher().policy().queueCapacity()), new StreamListener() {
          @Override
          public void onPending(int pending) {
            pendingNow.set(pending);
          }
        });
    JwtVerifier verifier = JwtVerifier.create(JwtVerifier.Settings.builder()
        .algorithms(List.of("ES256"))
        .issuers(List.of(Tokens.ISSUER))
        .audience(Tokens.AUDIENCE)
        .skew(Duration.ofSeconds(60))
        .strictTyp(false)
        .tenantClaim("tenant_id")
        .build(),
        KeySet.of(List.of(VerificationKey.of(KEY.kid(), KEY.publicKey(), null))), clock);
    AuthConfig auth = new AuthConfig();
    JwtAuthInterceptor interceptor = JwtAuthInterceptor.builder(verifier,
        StubRevocations.answering(revoked::get), MethodPolicy.of(auth.public_methods, auth.method_scopes), timers)
        .clock(clock).cacheMaxEntries(100).streamRecheck(RECHECK, Runnable::run).build();
    server = OcrgateServer.builder(config).addService(new OcrServiceGrpc.OcrServiceImplBase() {
      @Override
      public StreamObserver<StreamFramesRequest> streamFrames(StreamObserver<StreamFramesResponse> r) {
        return service.open(r);
      }
    }).addInterceptor(interceptor).onClose(prepare::shutdown).build().start();
    channel = Grpc.newChannelBuilderForAddress("localhost", server.port(), TestTls.clientCredentials()).build();
  }

  @AfterEach
  void stop() throws InterruptedException {
    SharedPipeline.detection().release();
    channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    server.shutdownGracefully();
  }

  @ParameterizedTest
  @ValueSource(strings = {"token expired", "token revoked"})
  void verify_streamClosedByTheInterceptor_leavesNoLiveCall_andItsQueuedWorkIsWithdrawnNotRun(String reason)
      throws Exception {
    SharedPipeline.StageCounts det = SharedPipeline.detection();
    int instances = batched.detectionBatcher().instances();
    long ran = det.run();
    long withdrawn = det.dropped(Status.Code.CANCELLED);
    det.hold();
    TestStream doomed = open(frames(WINDOW + 4), false);
    // Every worker holds one frame; the rest of the window waits in the detection queue.
    await().atMost(Duration.ofSeconds(SharedPipeline.TIMEOUT_SECONDS))
        .until(() -> pendingNow.get() == WINDOW && det.workersHeld() == instances);
    int queued = batched.detectionBatcher().queueDepth();
    assertThat(queued).isEqualTo(WINDOW - instances);
    assertThat(service.openStreams()).isOne();

    if (reason.equals("token revoked")) {
      revoked.set(true);
      timers.advance(RECHECK);
    } else {
      timers.advance(Duration.ofMinutes(5).plusSeconds(60)); // exp + skew
    }

    Status closed = doomed.done.get(30, TimeUnit.SECONDS);
    assertThat(closed.getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
    assertThat(closed.getDescription()).isEqualTo(reason);
    await().atMost(Duration.ofSeconds(30)).until(() -> service.openStreams() == 0
        && batched.detectionBatcher().queueDepth() == 0);
    assertThat(det.dropped(Status.Code.CANCELLED) - withdrawn).as("queued frames withdrawn").isEqualTo(queued);
    assertThat(doomed.results()).as("nothing answered after the close").isEmpty();

    // The pipeline serves the next stream; the withdrawn frames never reach a model: after the
    // held frames and the new stream's frame, nothing else was run.
    det.release();
    revoked.set(false);
    TestStream next = open(frames(1), true);
    assertThat(next.done.get(SharedPipeline.TIMEOUT_SECONDS, TimeUnit.SECONDS).getCode()).isEqualTo(Status.Code.OK);
    assertThat(next.results()).hasSize(1);
    await().atMost(Duration.ofSeconds(SharedPipeline.TIMEOUT_SECONDS)).until(() -> det.run() - ran >= instances + 1);
    assertThat(det.run() - ran).as("frames detected").isEqualTo(instances + 1);
    assertThat(service.openStreams()).isZero();
    await().atMost(Duration.ofSeconds(SharedPipeline.TIMEOUT_SECONDS)).until(() -> batched.queuedItems() == 0);
  }

  private TestStream open(List<StreamFramesRequest> msgs, boolean halfClose) {
    Metadata md = new Metadata();
    md.put(JwtAuthInterceptor.AUTHORIZATION, "Bearer " + tokens.sign(KEY));
    TestStream s = new TestStream(msgs, true, halfClose);
    OcrServiceGrpc.newStub(channel).withInterceptors(MetadataUtils.newAttachHeadersInterceptor(md)).streamFrames(s);
    return s;
  }

  /** Config (never reuse a result) and {@code n} frames of one subtitle line. */
  private static List<StreamFramesRequest> frames(int n) {
    byte[] rgb = TextImages.toRgb(TextImages.render(320, 96, new Color(24, 32, 48), Color.WHITE,
        List.of(new TextImages.Line("Withdrawn", TextImages.latin(17), 12, 74))).image()).data();
    List<StreamFramesRequest> msgs = new ArrayList<>();
    msgs.add(StreamFramesRequest.newBuilder().setConfig(StreamConfig.newBuilder().setChangeThreshold(-1)).build());
    for (int i = 1; i <= n; i++) {
      msgs.add(StreamFramesRequest.newBuilder().setFrame(Frame.newBuilder().setSeq(i).setPtsMs(i * 40L)
          .setImage(Image.newBuilder().setRaw(RawImage.newBuilder().setWidth(320).setHeight(96)
              .setFormat(PixelFormat.PIXEL_FORMAT_RGB8).setData(ByteString.copyFrom(rgb))))).build());
    }
    return msgs;
  }
}
