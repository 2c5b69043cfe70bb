package dev.ocrgate.server.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ocrgate.api.v1.Frame;
import dev.ocrgate.api.v1.FrameResult;
import dev.ocrgate.api.v1.Image;
import dev.ocrgate.api.v1.OcrServiceGrpc;
import dev.ocrgate.api.v1.NormalizedRect;
import dev.ocrgate.api.v1.RawImage;
import dev.ocrgate.api.v1.Region;
import dev.ocrgate.api.v1.RecognizeRequest;
import dev.ocrgate.api.v1.RecognizeResponse;
import dev.ocrgate.api.v1.StreamConfig;
import dev.ocrgate.api.v1.StreamFramesRequest;
import dev.ocrgate.server.OcrgateServer;
import dev.ocrgate.server.config.OcrgateConfig;
import dev.ocrgate.server.ocr.OcrGrpcService;
import dev.ocrgate.server.testing.TestTls;
import dev.ocrgate.server.vision.DecodeBudget;
import dev.ocrgate.server.vision.ImageDecoder;
import dev.ocrgate.server.vision.ImageLimits;
import com.google.common.util.concurrent.ListenableFuture;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The server-wide frame budget over a real TLS server, the production Recognize/StreamFrames
 * service and a real batcher with a small queue (the stand-in engine of {@link FakeOcr}, whose gate
 * holds the workers so that queues fill deterministically): more streams than the queue holds
 * windows are slowed down, not refused; a stream's permits come back on every way it ends (read
 * answered, bad frame, half-close, cancel, deadline, drain, failure), which lets a stream waiting
 * for them go on; Recognize keeps the queue's rest.
 */
class StreamAdmissionTest {
  private static final int WINDOW = 8;
  /** The band the fake engine reads (Recognize reads the whole image unless told). */
  private static final Region BAND = Region.newBuilder().setNormalized(
      NormalizedRect.newBuilder().setX(0).setY(0.75f).setWidth(1).setHeight(0.25f)).build();
  private FakeOcr ocr;
  private ExecutorService prepare;
  private StreamFramesService service;
  private OcrgateServer server;
  private ManagedChannel channel;
  private final AtomicInteger maxPending = new AtomicInteger();

  /** A server whose engine queues {@code queueCapacity} items and whose streams share {@code budget} frames. */
  private void start(int queueCapacity, int budget) {
    ocr = new FakeOcr(2, queueCapacity);
    OcrgateConfig config = new OcrgateConfig();
    config.server.port = 0;
    config.server.drain_timeout_seconds = 5;
    config.streaming.window = WINDOW;
    config.streaming.subtitle_region.enabled = false; // the fake engine reads the fixed band
    TestTls.certs().applyTo(config.tls);
    prepare = StreamFramesService.preparationExecutor();
    ImageDecoder decoder = ImageDecoder.create(ImageLimits.defaults(),
        DecodeBudget.of(64L << 20, Duration.ofSeconds(5)));
    service = StreamFramesService.create(ocr, decoder::decode, prepare, config.streaming, budget,
        new StreamListener() {
          @Override
          public void onPending(int pending) {
            maxPending.accumulateAndGet(pending, Math::max);
          }
        });
    server = OcrgateServer.builder(config)
        .addService(OcrGrpcService.create(ocr, decoder, "fake", service::open))
        .onDrain(service::drain)
        .build().start();
    channel = NettyChannelBuilder.forAddress("localhost", server.port(), TestTls.clientCredentials()).build();
  }

  @AfterEach
  void tearDown() throws InterruptedException {
    if (channel != null) {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
    if (ocr != null) {
      ocr.openGate();
    }
    if (server != null) {
      server.shutdownGracefully();
    }
    if (ocr != null) {
      ocr.close();
    }
    if (prepare != null) {
      prepare.shutdownNow();
    }
  }

  private TestStream open(List<StreamFramesRequest> msgs, boolean halfClose) {
    TestStream s = new TestStream(msgs, true, halfClose);
    OcrServiceGrpc.newStub(channel).streamFrames(s);
    return s;
  }

  private static StreamFramesRequest config() {
    return StreamFramesRequest.newBuilder()
        .setConfig(StreamConfig.newBuilder().setChangeThreshold(-1)).build(); // never reuse
  }

  private static StreamFramesRequest frame(long seq, Image image) {
    return StreamFramesRequest.newBuilder()
        .setFrame(Frame.newBuilder().setSeq(seq).setPtsMs(seq * 40).setImage(image)).build();
  }

  /** Config + frames seq 1..n saying "id (base + seq)". */
  private static List<StreamFramesRequest> frames(int base, int n) {
    List<StreamFramesRequest> msgs = new ArrayList<>();
    msgs.add(config());
    for (int i = 1; i <= n; i++) {
      msgs.add(frame(i, FakeOcr.frame(base + i)));
    }
    return msgs;
  }

  private static void assertAllRead(TestStream s, int base, int n) {
    List<FrameResult> r = s.results();
    assertThat(r).extracting(FrameResult::getSeq)
        .containsExactlyElementsOf(java.util.stream.LongStream.rangeClosed(1, n).boxed().toList());
    for (FrameResult f : r) {
      assertThat(f.hasError()).as("frame %d: %s", f.getSeq(), f.getError()).isFalse();
      assertThat(f.getLines(0).getText()).isEqualTo("id " + (base + f.getSeq()));
    }
  }

  private void awaitNoPermits() {
    await().atMost(Duration.ofSeconds(30))
        .until(() -> service.framesInFlight() == 0 && service.streamsWaiting() == 0 && service.openStreams() == 0);
  }

  @Test
  void verify_moreStreamsThanTheQueueHoldsWindows_everyFrameAnswered_noneRefused() throws Exception {
    int queue = 16;
    int budget = 12; // queue_share 0.75
    start(queue, budget);
    ocr.closeGate();
    int streams = 6; // 6 x 8 frames of window against a queue of 16
    int n = 20;
    List<TestStream> open = new ArrayList<>();
    for (int i = 0; i < streams; i++) {
      open.add(open(frames(i * 100, n), true));
    }
    // The gate holds the workers: the streams read frames until the budget is spent, then wait.
    await().atMost(Duration.ofSeconds(30)).until(() -> ocr.calls.get() >= budget);
    assertThat(ocr.batcher.queueDepth()).isLessThanOrEqualTo(budget);
    assertThat(service.framesInFlight()).isEqualTo(budget);
    ocr.openGate();
    for (int i = 0; i < streams; i++) {
      assertThat(open.get(i).done.get(60, TimeUnit.SECONDS).getCode()).isEqualTo(Status.Code.OK);
      assertAllRead(open.get(i), i * 100, n);
    }
    assertThat(ocr.calls.get()).isEqualTo(streams * n);
    assertThat(maxPending.get()).isLessThanOrEqualTo(WINDOW);
    awaitNoPermits();
  }

  /**
   * Stream A takes the whole budget (the gate holds its reads) and waits for more; B opens and
   * waits for a permit too.
   */
  private TestStream fillBudgetThenOpenWaitingStream(TestStream a, int budget) {
    await().atMost(Duration.ofSeconds(30)).until(() -> ocr.calls.get() == budget && service.streamsWaiting() == 1);
    TestStream b = open(frames(500, 10), true);
    await().atMost(Duration.ofSeconds(30)).until(() -> service.streamsWaiting() == 2);
    assertThat(b.results()).isEmpty();
    assertThat(ocr.calls.get()).isEqualTo(budget);
    assertThat(service.framesInFlight()).isEqualTo(budget);
    return b;
  }

  /** B, which was waiting, gets A's permits: its frames are read while the gate still holds A's. */
  private void assertWaitingStreamProceeds(TestStream b, int budget) throws Exception {
    await().atMost(Duration.ofSeconds(30)).until(() -> ocr.calls.get() > budget);
    ocr.openGate();
    assertThat(b.done.get(30, TimeUnit.SECONDS).getCode()).isEqualTo(Status.Code.OK);
    assertAllRead(b, 500, 10);
    awaitNoPermits();
  }

  @Test
  void verify_cancelledStream_returnsItsPermits_aWaitingStreamProceeds() throws Exception {
    int budget = 4;
    start(64, budget);
    ocr.closeGate();
    TestStream a = open(frames(0, 30), false);
    TestStream b = fillBudgetThenOpenWaitingStream(a, budget);
    a.cancel();
    assertThat(a.done.get(10, TimeUnit.SECONDS).getCode()).isEqualTo(Status.Code.CANCELLED);
    assertWaitingStreamProceeds(b, budget);
  }

  @Test
  void verify_deadlinePassed_returnsItsPermits_aWaitingStreamProceeds() throws Exception {
    int budget = 4;
    start(64, budget);
    ocr.closeGate();
    TestStream a = new TestStream(frames(0, 30), true, false);
    // 10 s: long enough for a loaded machine to spend the budget first.
    OcrServiceGrpc.newStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS).streamFrames(a);
    TestStream b = fillBudgetThenOpenWaitingStream(a, budget);
    assertThat(a.done.get(30, TimeUnit.SECONDS).getCode()).isEqualTo(Status.Code.DEADLINE_EXCEEDED);
    assertWaitingStreamProceeds(b, budget);
  }

  @Test
  void verify_streamFailed_returnsItsPermits_whileItsReadsAreStillHeld() throws Exception {
    int budget = 3;
    start(64, budget);
    ocr.closeGate();
    List<StreamFramesRequest> msgs = new ArrayList<>(frames(0, 2));
    msgs.add(config()); // a second config, read with the third permit, fails the whole stream
    TestStream a = open(msgs, false);
    assertThat(a.done.get(30, TimeUnit.SECONDS).getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    // The gate still holds frame 1 and 2's reads (at the workers, or withdrawn from the queue):
    // the permits came back with the failure, not with the reads.
    await().atMost(Duration.ofSeconds(30)).until(() -> service.framesInFlight() == 0 && service.openStreams() == 0);
    int readsOfA = ocr.calls.get();
    TestStream b = open(frames(500, 10), true);
    await().atMost(Duration.ofSeconds(30)).until(() -> ocr.calls.get() == readsOfA + budget);
    ocr.openGate();
    assertThat(b.done.get(30, TimeUnit.SECONDS).getCode()).isEqualTo(Status.Code.OK);
    assertAllRead(b, 500, 10);
    awaitNoPermits();
  }

  @Test
  void verify_badFrames_returnTheirPermitsBeforeTheyAreAnswered() throws Exception {
    int budget = 4;
    start(64, budget);
    ocr.closeGate();
    Image corrupt = Image.newBuilder().setRaw(RawImage.newBuilder().setWidth(10).setHeight(10)
        .setData(com.google.protobuf.ByteString.copyFrom(new byte[7]))).build();
    List<StreamFramesRequest> msgs = new ArrayList<>(frames(0, 1));
    msgs.add(frame(2, corrupt));
    msgs.add(frame(2, FakeOcr.frame(9))); // seq does not increase
    TestStream a = open(msgs, false);
    // Frame 1 is held at the gate, so neither bad frame can be answered yet; they hold no permit:
    // frame 1's and the one requested for frame 4 are all that is held.
    await().atMost(Duration.ofSeconds(30)).until(() -> maxPending.get() == 3 && service.framesInFlight() == 2);
    assertThat(a.results()).isEmpty();
    ocr.openGate();
    await().atMost(Duration.ofSeconds(30)).until(() -> a.results().size() == 3);
    assertThat(a.results()).extracting(r -> r.getError().getCode())
        .containsExactly(0, Status.Code.INVALID_ARGUMENT.value(), Status.Code.INVALID_ARGUMENT.value());
    a.cancel();
    awaitNoPermits();
  }

  @Test
  void verify_halfClose_returnsThePermitOfTheFrameThatWillNotCome() throws Exception {
    int budget = 4;
    start(64, budget);
    ocr.closeGate();
    TestStream a = open(frames(0, 2), true);
    // Frames 1 and 2 are held at the gate; the permit taken for frame 3 comes back at half-close.
    await().atMost(Duration.ofSeconds(30)).until(() -> ocr.calls.get() == 2 && service.framesInFlight() == 2);
    ocr.openGate();
    assertThat(a.done.get(30, TimeUnit.SECONDS).getCode()).isEqualTo(Status.Code.OK);
    assertAllRead(a, 0, 2);
    awaitNoPermits();
  }

  @Test
  void verify_drain_returnsEveryPermit_andEndsWaitingStreams() throws Exception {
    int budget = 4;
    start(64, budget);
    ocr.closeGate();
    TestStream a = open(frames(0, 30), false);
    TestStream b = fillBudgetThenOpenWaitingStream(a, budget);
    service.drain();
    ocr.openGate();
    assertThat(a.done.get(30, TimeUnit.SECONDS).getCode()).isEqualTo(Status.Code.UNAVAILABLE);
    assertAllRead(a, 0, budget);
    assertThat(b.done.get(30, TimeUnit.SECONDS).getCode()).isEqualTo(Status.Code.UNAVAILABLE);
    assertThat(b.results()).isEmpty();
    awaitNoPermits();
  }

  @Test
  void verify_recognizeUnderStreamLoad_keepsTheRestOfTheQueue_servedOrRefused_neverHung() throws Exception {
    int queue = 16;
    int budget = 12;
    start(queue, budget);
    ocr.closeGate();
    int streams = 6;
    List<TestStream> open = new ArrayList<>();
    for (int i = 0; i < streams; i++) {
      open.add(open(frames(i * 100, 20), true));
    }
    await().atMost(Duration.ofSeconds(30)).until(() -> ocr.calls.get() >= budget);
    int unary = 8;
    List<ListenableFuture<RecognizeResponse>> calls = new ArrayList<>();
    OcrServiceGrpc.OcrServiceFutureStub stub = OcrServiceGrpc.newFutureStub(channel);
    for (int i = 0; i < unary; i++) {
      calls.add(stub.withDeadlineAfter(60, TimeUnit.SECONDS)
          .recognize(RecognizeRequest.newBuilder().setImage(FakeOcr.frame(1000 + i)).setRegion(BAND).build()));
    }
    // Every Recognize call reached the engine (queued or refused) while the gate held the streams.
    await().atMost(Duration.ofSeconds(30)).until(() -> ocr.calls.get() == budget + unary);
    ocr.openGate();
    int served = 0;
    for (int i = 0; i < unary; i++) {
      try {
        RecognizeResponse r = calls.get(i).get(60, TimeUnit.SECONDS);
        assertThat(r.getLines(0).getText()).isEqualTo("id " + (1000 + i));
        served++;
      } catch (ExecutionException e) {
        assertThat(Status.fromThrowable(e.getCause()).getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
      }
    }
    // Stream frames held at most `budget` places of the queue: the rest was Recognize's.
    assertThat(served).isGreaterThanOrEqualTo(queue - budget);
    for (TestStream s : open) {
      // Every frame answered once; a frame may meet a queue that Recognize calls filled beyond
      // their share (documented), and is then refused explicitly.
      assertThat(s.done.get(60, TimeUnit.SECONDS).getCode()).isEqualTo(Status.Code.OK);
      assertThat(s.results()).extracting(FrameResult::getSeq).hasSize(20).doesNotHaveDuplicates();
      assertThat(s.results()).allSatisfy(r -> assertThat(r.getError().getCode())
          .isIn(Status.Code.OK.value(), Status.Code.RESOURCE_EXHAUSTED.value()));
    }
    awaitNoPermits();
  }
}
