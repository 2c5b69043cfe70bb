package dev.ocrgate.server.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ocrgate.api.v1.Frame;
import dev.ocrgate.api.v1.FrameResult;
import dev.ocrgate.api.v1.Image;
import dev.ocrgate.api.v1.NormalizedRect;
import dev.ocrgate.api.v1.OcrServiceGrpc;
import dev.ocrgate.api.v1.RawImage;
import dev.ocrgate.api.v1.Region;
import dev.ocrgate.api.v1.StreamConfig;
import dev.ocrgate.api.v1.StreamFramesRequest;
import dev.ocrgate.api.v1.StreamFramesResponse;
import dev.ocrgate.server.OcrgateServer;
import dev.ocrgate.server.config.OcrgateConfig;
import dev.ocrgate.server.testing.TestTls;
import dev.ocrgate.server.vision.InvalidImageException;
import dev.ocrgate.server.vision.RgbImage;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * StreamFrames over a real TLS server with a deterministic stand-in OCR (a real batcher with
 * 2 workers, so OCR completes out of order): ordering, exactly-once answers, flow control,
 * errors, reuse, cues, cancellation, deadline and drain.
 */
class StreamFramesServiceTest {
  private static final int WINDOW = 8;
  private final FakeOcr ocr = new FakeOcr(2);
  /** Threads that decoded a frame: must all be the preparation executor's. */
  private final Set<String> decodeThreads = ConcurrentHashMap.newKeySet();
  /** Decodes so far, and a hook run before each decode (tests hold a frame's decode with it). */
  private final AtomicInteger decodes = new AtomicInteger();
  private volatile DecodeHook beforeDecode = k -> { };
  private final ExecutorService prepare = Executors.newFixedThreadPool(3, r -> {
    Thread t = new Thread(r, "test-prepare");
    t.setDaemon(true);
    return t;
  });
  private final AtomicInteger maxPending = new AtomicInteger();
  private final StreamFramesService service;
  private final OcrgateServer server;
  private final List<ManagedChannel> channels = new ArrayList<>();

  StreamFramesServiceTest() {
    OcrgateConfig config = new OcrgateConfig();
    config.server.port = 0;
    config.server.drain_timeout_seconds = 5;
    config.streaming.window = WINDOW;
    config.streaming.subtitle_region.enabled = false; // the fake engine reads the fixed band
    TestTls.certs().applyTo(config.tls);
    StreamListener listener = new StreamListener() {
      @Override
      public void onPending(int pending) {
        maxPending.accumulateAndGet(pending, Math::max);
      }
    };
    service = StreamFramesService.create(ocr, this::decode, prepare, config.streaming,
        config.streaming.framesInFlight(FakeOcr.QUEUE_CAPACITY), listener);
    server = OcrgateServer.builder(config).addService(new OcrServiceGrpc.OcrServiceImplBase() {
      @Override
      public StreamObserver<StreamFramesRequest> streamFrames(StreamObserver<StreamFramesResponse> r) {
        return service.open(r);
      }
    }).build().start();
  }

  @AfterEach
  void tearDown() throws InterruptedException {
    for (ManagedChannel c : channels) {
      c.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
    ocr.openGate();
    server.shutdownGracefully();
    ocr.close();
    prepare.shutdownNow();
  }

  private interface DecodeHook {
    void run(int k) throws InterruptedException;
  }

  private RgbImage decode(Image image) throws InvalidImageException {
    decodeThreads.add(Thread.currentThread().getName());
    RgbImage decoded = FakeOcr.decode(image);
    try {
      beforeDecode.run(FakeOcr.shown(decoded));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InvalidImageException("interrupted");
    }
    decodes.incrementAndGet();
    return decoded;
  }

  private ManagedChannel channel(int flowControlWindow) {
    ManagedChannel c = NettyChannelBuilder.forAddress("localhost", server.port(), TestTls.clientCredentials())
        .flowControlWindow(flowControlWindow).build();
    channels.add(c);
    return c;
  }

  private TestStream open(ManagedChannel c, List<StreamFramesRequest> msgs, boolean autoRead, boolean halfClose) {
    TestStream s = new TestStream(msgs, autoRead, halfClose);
    OcrServiceGrpc.newStub(c).streamFrames(s);
    return s;
  }

  private static StreamFramesRequest config(StreamConfig c) {
    return StreamFramesRequest.newBuilder().setConfig(c).build();
  }

  private static StreamFramesRequest frame(long seq, long pts, Image image) {
    return StreamFramesRequest.newBuilder()
        .setFrame(Frame.newBuilder().setSeq(seq).setPtsMs(pts).setImage(image)).build();
  }

  /** Config (never reuse) + frames seq 1..n saying "id seq". */
  private static List<StreamFramesRequest> distinctFrames(int n) {
    List<StreamFramesRequest> msgs = new ArrayList<>();
    msgs.add(config(StreamConfig.newBuilder().setChangeThreshold(-1).build()));
    for (int i = 1; i <= n; i++) {
      msgs.add(frame(i, i * 40L, FakeOcr.frame(i)));
    }
    return msgs;
  }

  private static void assertAnsweredInOrder(List<FrameResult> results, int n) {
    assertThat(results).hasSize(n);
    for (int i = 0; i < n; i++) {
      FrameResult r = results.get(i);
      assertThat(r.getSeq()).isEqualTo(i + 1);
      assertThat(r.hasError()).as("frame %d error %s", i + 1, r.getError()).isFalse();
      assertThat(r.getLines(0).getText()).isEqualTo("id " + (i + 1));
    }
  }

  @Test
  void verify_concurrentStreams_everyFrameAnsweredOnce_inSeqOrder() throws Exception {
    ManagedChannel c = channel(1 << 20);
    List<TestStream> streams = new ArrayList<>();
    for (int s = 0; s < 8; s++) {
      streams.add(open(c, distinctFrames(150), true, true));
    }
    for (TestStream s : streams) {
      assertThat(s.done.get(60, TimeUnit.SECONDS).getCode()).isEqualTo(Status.Code.OK);
      assertAnsweredInOrder(s.results(), 150);
    }
    assertThat(maxPending.get()).isBetween(1, WINDOW);
    assertThat(service.openStreams()).isZero();
  }

  @Test
  void verify_firstMessageNotConfig_failsStreamWithInvalidArgument() throws Exception {
    TestStream s = open(channel(1 << 20), List.of(frame(1, 0, FakeOcr.frame(1))), true, false);
    Status st = s.done.get(10, TimeUnit.SECONDS);
    assertThat(st.getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(st.getDescription()).isEqualTo("the first message must be a config");
    assertThat(ocr.calls.get()).isZero();
  }

  @Test
  void verify_badRegion_failsStreamWithInvalidArgument_atOnce() throws Exception {
    StreamConfig bad = StreamConfig.newBuilder().setRegion(Region.newBuilder().setNormalized(
        NormalizedRect.newBuilder().setX(0).setY(0.9f).setWidth(1).setHeight(0.5f))).build();
    TestStream s = open(channel(1 << 20), List.of(config(bad)), true, false);
    Status st = s.done.get(10, TimeUnit.SECONDS);
    assertThat(st.getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(st.getDescription()).contains("region");
  }

  @Test
  void verify_secondConfig_failsStream() throws Exception {
    List<StreamFramesRequest> msgs = List.of(
        config(StreamConfig.getDefaultInstance()), config(StreamConfig.getDefaultInstance()));
    TestStream s = open(channel(1 << 20), msgs, true, false);
    assertThat(s.done.get(10, TimeUnit.SECONDS).getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
  }

  @Test
  void verify_corruptFrame_getsItsOwnInvalidArgument_andLaterFramesAreFine() throws Exception {
    List<StreamFramesRequest> msgs = new ArrayList<>(distinctFrames(6));
    Image corrupt = Image.newBuilder().setRaw(RawImage.newBuilder().setWidth(10).setHeight(10)
        .setData(com.google.protobuf.ByteString.copyFrom(new byte[7]))).build();
    msgs.set(3, frame(3, 120, corrupt));
    TestStream s = open(channel(1 << 20), msgs, true, true);
    assertThat(s.done.get(20, TimeUnit.SECONDS).getCode()).isEqualTo(Status.Code.OK);
    List<FrameResult> r = s.results();
    assertThat(r).extracting(FrameResult::getSeq).containsExactly(1L, 2L, 3L, 4L, 5L, 6L);
    assertThat(r.get(2).getError().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT.value());
    assertThat(r.get(2).getError().getMessage()).isEqualTo("raw image size does not match width x height");
    assertThat(r.get(2).getLinesList()).isEmpty();
    assertThat(r.get(5).getLines(0).getText()).isEqualTo("id 6");
  }

  @Test
  void verify_nonIncreasingSeq_isABadFrame_streamGoesOn() throws Exception {
    List<StreamFramesRequest> msgs = new ArrayList<>(distinctFrames(3));
    msgs.add(frame(2, 200, FakeOcr.frame(9)));
    msgs.add(frame(5, 240, FakeOcr.frame(5)));
    TestStream s = open(channel(1 << 20), msgs, true, true);
    assertThat(s.done.get(20, TimeUnit.SECONDS).getCode()).isEqualTo(Status.Code.OK);
    List<FrameResult> r = s.results();
    assertThat(r).extracting(FrameResult::getSeq).containsExactly(1L, 2L, 3L, 2L, 5L);
    assertThat(r.get(3).getError().getMessage()).isEqualTo("seq must increase");
    assertThat(r.get(4).getLines(0).getText()).isEqualTo("id 5");
  }

  @Test
  void verify_unchangedFrames_reuseTheEarlierResult_andCuesFollowTheText() throws Exception {
    int[] shown = {1, 1, 1, -1, -1, 2, 2, 2, 2, 3};
    List<StreamFramesRequest> msgs = new ArrayList<>();
    msgs.add(config(StreamConfig.newBuilder().setEmitCues(true).setFrameIntervalMs(100).build()));
    for (int i = 0; i < shown.length; i++) {
      msgs.add(frame(i + 1, i * 100L, FakeOcr.frame(shown[i] < 0 ? -1 : shown[i] * 40)));
    }
    TestStream s = open(channel(1 << 20), msgs, true, true);
    assertThat(s.done.get(20, TimeUnit.SECONDS).getCode()).isEqualTo(Status.Code.OK);
    List<FrameResult> r = s.results();
    assertThat(r).hasSize(10);
    assertThat(r.get(1).getReusedFromSeq()).isEqualTo(1);
    assertThat(r.get(2).getReusedFromSeq()).isEqualTo(1);
    assertThat(r.get(4).getReusedFromSeq()).isEqualTo(4);
    assertThat(r.get(8).getReusedFromSeq()).isEqualTo(6);
    assertThat(r.get(0).hasReusedFromSeq()).isFalse();
    assertThat(ocr.calls.get()).isEqualTo(4);
    // The last text shows on one frame only: a cue needs two (the shared cue rules).
    assertThat(s.cues()).extracting(c -> c.getIndex() + " " + c.getStartMs() + "-" + c.getEndMs() + " " + c.getText())
        .containsExactly("1 0-300 id 40", "2 500-900 id 80");
    // A cue comes right after the result of the frame that ended it: the third frame without its
    // text (two are bridged).
    List<StreamFramesResponse> all = s.responses;
    int firstCue = 0;
    while (!all.get(firstCue).hasCue()) {
      firstCue++;
    }
    assertThat(all.get(firstCue - 1).getResult().getSeq()).isEqualTo(6);
  }

  @Test
  void verify_clientStopsReading_acceptedButUnansweredNeverExceedsTheWindow() throws Exception {
    int n = 3000;
    TestStream s = open(channel(16 * 1024), distinctFrames(n), false, true);
    // The client reads nothing: answers fill the transport, then the server stops reading frames.
    int stalledAt = awaitStall();
    assertThat(stalledAt).isLessThan(n);
    assertThat(s.sent.get()).isLessThan(n + 1);
    assertThat(maxPending.get()).isLessThanOrEqualTo(WINDOW);
    s.read(Integer.MAX_VALUE);
    assertThat(s.done.get(60, TimeUnit.SECONDS).getCode()).isEqualTo(Status.Code.OK);
    assertAnsweredInOrder(s.results(), n);
    assertThat(maxPending.get()).isLessThanOrEqualTo(WINDOW);
  }

  /** Waits until the OCR call count stops moving for a while; returns it. */
  private int awaitStall() throws InterruptedException {
    int last = -1;
    long stableSince = System.nanoTime();
    while (true) {
      Thread.sleep(100);
      int now = ocr.calls.get();
      if (now != last) {
        last = now;
        stableSince = System.nanoTime();
      } else if (now > 0 && System.nanoTime() - stableSince > TimeUnit.MILLISECONDS.toNanos(700)) {
        return now;
      }
    }
  }

  @Test
  void verify_cancelMidStream_leavesNoQueuedWork() throws Exception {
    ocr.closeGate();
    TestStream s = open(channel(1 << 20), distinctFrames(50), true, false);
    // Each of the two workers holds a batch at the closed gate: two frames, or one when the next
    // frame came after the batcher's 1 ms delay. The rest of the window (4 to 6 frames) is
    // queued and, the gate staying closed, can only leave the queue by being withdrawn.
    await().atMost(Duration.ofSeconds(30)).until(() -> ocr.calls.get() == WINDOW
        && ocr.batcher.queueDepth() >= WINDOW - 4 && ocr.batcher.queueDepth() <= WINDOW - 2);
    s.cancel();
    assertThat(s.done.get(10, TimeUnit.SECONDS).getCode()).isEqualTo(Status.Code.CANCELLED);
    await().atMost(Duration.ofSeconds(30)).until(() -> ocr.batcher.queueDepth() == 0 && service.openStreams() == 0);
    assertThat(ocr.calls.get()).isEqualTo(WINDOW);
  }

  @Test
  void verify_deadlinePassesMidStream_leavesNoQueuedWork_andNoLiveCall() throws Exception {
    ocr.closeGate();
    TestStream s = new TestStream(distinctFrames(50), true, false);
    // 10 s: long enough for a loaded machine to fill the window first.
    OcrServiceGrpc.newStub(channel(1 << 20)).withDeadlineAfter(10, TimeUnit.SECONDS).streamFrames(s);
    await().atMost(Duration.ofSeconds(10)).until(() -> ocr.calls.get() == WINDOW && ocr.batcher.queueDepth() > 0);
    assertThat(s.done.get(30, TimeUnit.SECONDS).getCode()).isEqualTo(Status.Code.DEADLINE_EXCEEDED);
    await().atMost(Duration.ofSeconds(30)).until(() -> ocr.batcher.queueDepth() == 0 && service.openStreams() == 0);
    assertThat(ocr.calls.get()).isEqualTo(WINDOW);
  }

  @Test
  void verify_drain_answersAcceptedFrames_thenEndsWithUnavailable() throws Exception {
    ocr.closeGate();
    TestStream s = open(channel(1 << 20), distinctFrames(50), true, false);
    await().atMost(Duration.ofSeconds(30)).until(() -> ocr.calls.get() == WINDOW);
    service.drain();
    ocr.openGate();
    Status st = s.done.get(20, TimeUnit.SECONDS);
    assertThat(st.getCode()).isEqualTo(Status.Code.UNAVAILABLE);
    assertAnsweredInOrder(s.results(), WINDOW);
    assertThat(ocr.calls.get()).isEqualTo(WINDOW);
  }

  @Test
  void verify_burnedInSubtitleVideo_unchangedFramesSkipInference_atLeastTenfold(
      @org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
    java.nio.file.Path srt = dir.resolve("subs.srt");
    SubtitleVideo.writeSrt(srt, List.of(
        new SubtitleVideo.SrtCue(1, 1000, 3500, "The first line"),
        new SubtitleVideo.SrtCue(2, 4000, 6000, "Another subtitle"),
        new SubtitleVideo.SrtCue(3, 6000, 8500, "Right after it"),
        new SubtitleVideo.SrtCue(4, 9500, 11500, "The last one")));
    int w = 480;
    int h = 270;
    java.nio.file.Path video = SubtitleVideo.render(dir, srt, w, h, 12.0, 25);
    List<SubtitleVideo.DecodedFrame> frames = SubtitleVideo.sample(video, w, h, 10);
    assertThat(frames).hasSizeBetween(115, 125);
    List<StreamFramesRequest> msgs = new ArrayList<>();
    msgs.add(config(StreamConfig.getDefaultInstance()));
    for (int i = 0; i < frames.size(); i++) {
      msgs.add(frame(i + 1, frames.get(i).ptsMs(), Image.newBuilder().setRaw(RawImage.newBuilder()
          .setWidth(w).setHeight(h).setFormat(dev.ocrgate.api.v1.PixelFormat.PIXEL_FORMAT_RGB8)
          .setData(com.google.protobuf.ByteString.copyFrom(frames.get(i).rgb()))).build()));
    }
    TestStream s = open(channel(1 << 20), msgs, true, true);
    assertThat(s.done.get(60, TimeUnit.SECONDS).getCode()).isEqualTo(Status.Code.OK);
    assertThat(s.results()).hasSize(frames.size());
    // Each appearance, change and disappearance of a line is read once (9 transitions here,
    // including the first frame); compression noise alone must not trigger a read.
    assertThat(ocr.calls.get()).isBetween(5, frames.size() / 10);
  }

  @Test
  void verify_framesAreDecodedOnThePreparationExecutor_neverOnTheStreamContext() throws Exception {
    TestStream s = open(channel(1 << 20), distinctFrames(60), true, true);
    assertThat(s.done.get(30, TimeUnit.SECONDS).getCode()).isEqualTo(Status.Code.OK);
    assertAnsweredInOrder(s.results(), 60);
    // The context runs on whichever thread calls it (gRPC's executor, the batcher's completion
    // threads); a decode there would show another thread name.
    assertThat(decodeThreads).containsOnly("test-prepare");
  }

  @Test
  void verify_slowDecodeOfAnEarlyFrame_laterFramesDecodeMeanwhile_answersStayInOrder() throws Exception {
    CountDownLatch othersDecoded = new CountDownLatch(3);
    beforeDecode = k -> {
      if (k == 1) {
        // Frames 2..4 must decode while frame 1 is still decoding: they cannot if decoding is
        // serialised on the context. The wait is bounded; timing out fails the assertion below.
        assertThat(othersDecoded.await(20, TimeUnit.SECONDS)).isTrue();
      } else {
        othersDecoded.countDown();
      }
    };
    TestStream s = open(channel(1 << 20), distinctFrames(30), true, true);
    assertThat(s.done.get(40, TimeUnit.SECONDS).getCode()).isEqualTo(Status.Code.OK);
    assertAnsweredInOrder(s.results(), 30);
    assertThat(othersDecoded.getCount()).isZero();
  }

  @Test
  void verify_readFailsAfterLaterFramesReusedIt_theyAreReadThemselves() throws Exception {
    ocr.closeGate();
    ocr.failFirstBatchWith(40);
    List<StreamFramesRequest> msgs = new ArrayList<>();
    msgs.add(config(StreamConfig.getDefaultInstance()));
    int[] shown = {40, 40, 40, 80};
    for (int i = 0; i < shown.length; i++) {
      msgs.add(frame(i + 1, i * 200L, FakeOcr.frame(shown[i])));
    }
    TestStream s = open(channel(1 << 20), msgs, true, true);
    // Frame 4 is read only after frames 2 and 3 were routed (in seq order), and they reuse frame 1:
    // its read is still held at the gate, so whether it will fail is not known yet.
    await().atMost(Duration.ofSeconds(30)).until(() -> ocr.calls.get() == 2);
    ocr.openGate();
    assertThat(s.done.get(20, TimeUnit.SECONDS).getCode()).isEqualTo(Status.Code.OK);
    List<FrameResult> r = s.results();
    assertThat(r).hasSize(4);
    assertThat(r.get(0).hasError()).isTrue();
    for (int i = 1; i <= 2; i++) {
      assertThat(r.get(i).hasError()).as("frame %d: %s", i + 1, r.get(i).getError()).isFalse();
      assertThat(r.get(i).getLines(0).getText()).isEqualTo("id 40");
      assertThat(r.get(i).hasReusedFromSeq()).isFalse();
    }
  }

  @Test
  void verify_failedRead_isReusedWithinTheWindow_andNotByTheFrameAWindowLater() throws Exception {
    ocr.failFirstBatchWith(40);
    List<StreamFramesRequest> msgs = new ArrayList<>();
    msgs.add(config(StreamConfig.getDefaultInstance()));
    int n = WINDOW + 4;
    for (int i = 1; i <= n; i++) {
      msgs.add(frame(i, i * 200L, FakeOcr.frame(40))); // one unchanged frame throughout
    }
    TestStream s = open(channel(1 << 20), msgs, true, true);
    assertThat(s.done.get(20, TimeUnit.SECONDS).getCode()).isEqualTo(Status.Code.OK);
    List<FrameResult> r = s.results();
    assertThat(r).hasSize(n);
    assertThat(r.get(0).hasError()).isTrue();
    // Frames 2..WINDOW may arrive before frame 1 failed: they reuse it and, as it failed, read
    // themselves. Frame WINDOW + 1 arrives after frame 1 was answered: it is read and reused after.
    for (int i = 1; i < n; i++) {
      assertThat(r.get(i).hasError()).as("frame %d: %s", i + 1, r.get(i).getError()).isFalse();
      assertThat(r.get(i).getLines(0).getText()).isEqualTo("id 40");
      assertThat(r.get(i).hasReusedFromSeq()).as("frame %d", i + 1).isEqualTo(i > WINDOW);
      if (i > WINDOW) {
        assertThat(r.get(i).getReusedFromSeq()).isEqualTo(WINDOW + 1);
      }
    }
    assertThat(ocr.calls.get()).isEqualTo(WINDOW + 1);
  }
}
