package dev.ocrgate.server.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import dev.ocrgate.cues.TextSimilarity;
import dev.ocrgate.api.v1.Cue;
import dev.ocrgate.api.v1.EncodedImage;
import dev.ocrgate.api.v1.Frame;
import dev.ocrgate.api.v1.FrameResult;
import dev.ocrgate.api.v1.Image;
import dev.ocrgate.api.v1.OcrServiceGrpc;
import dev.ocrgate.api.v1.PixelFormat;
import dev.ocrgate.api.v1.RawImage;
import dev.ocrgate.api.v1.StreamConfig;
import dev.ocrgate.api.v1.StreamFramesRequest;
import dev.ocrgate.api.v1.StreamFramesResponse;
import dev.ocrgate.api.v1.TextLine;
import dev.ocrgate.server.OcrgateServer;
import dev.ocrgate.server.batch.BatchListener;
import dev.ocrgate.server.config.EngineSection;
import dev.ocrgate.server.config.OcrgateConfig;
import dev.ocrgate.server.engine.OnnxEngine;
import dev.ocrgate.server.ocr.BatchedOcrPipeline;
import dev.ocrgate.server.ocr.ModelRepository;
import dev.ocrgate.server.testing.RepoPaths;
import dev.ocrgate.server.testing.TestTls;
import dev.ocrgate.server.testing.TextImages;
import dev.ocrgate.server.vision.ImageDecoder;
import dev.ocrgate.server.vision.ImageLimits;
import dev.ocrgate.server.vision.RgbImage;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.StreamObserver;
import java.awt.Color;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * StreamFrames end to end on the real PP-OCRv4 models behind the real batchers, over real TLS:
 * rendered subtitle frames from many concurrent streams, a client that stops reading, a cancel,
 * a corrupt frame, and a burned-in subtitle video made with ffmpeg from an SRT.
 */
class RealModelStreamTest {
  private static final int WINDOW = 8;
  private static final int W = 320;
  private static final int H = 96;
  private static final List<String> PHRASES = List.of(
      "Hello there", "Where are you going", "The train leaves at nine", "Bring the blue umbrella",
      "We will meet tomorrow", "Open the second door", "It is raining again", "Call me after lunch");
  private static final AtomicInteger maxPending = new AtomicInteger();
  private static final AtomicInteger verified = new AtomicInteger();

  private static OnnxEngine onnx;
  private static BatchedOcrPipeline pipeline;
  private static StreamFramesService service;
  private static OcrgateServer server;
  private static ManagedChannel channel;
  private static List<ByteString> phraseFrames;
  private static ByteString emptyFrame;

  @BeforeAll
  static void start() {
    EngineSection engine = new EngineSection();
    engine.provider = "cpu";
    onnx = OnnxEngine.create(engine);
    ModelRepository.ModelSet models = ModelRepository.load(RepoPaths.modelDir());
    pipeline = BatchedOcrPipeline.create(models, onnx, models.config().batching.cpu,
        BatchListener.NONE, BatchListener.NONE, false);
    pipeline.warmUp();
    OcrgateConfig config = new OcrgateConfig();
    config.server.port = 0;
    config.streaming.window = WINDOW;
    TestTls.certs().applyTo(config.tls);
    ImageLimits limits = new ImageLimits(20_000_000, 40_000_000);
    ExecutorService prepare = StreamFramesService.preparationExecutor();
    service = StreamFramesService.create(pipeline, image -> ImageDecoder.decode(image, limits), prepare,
        config.streaming, config.streaming.framesInFlight(pipeline.detectionBatcher().policy().queueCapacity()),
        new StreamListener() {
          @Override
          public void onPending(int pending) {
            maxPending.accumulateAndGet(pending, Math::max);
          }

          @Override
          public void onFrameAnswered(Answer answer, Status.Code code) {
            if (answer == Answer.VERIFIED && code == Status.Code.OK) {
              verified.incrementAndGet();
            }
          }
        });
    server = OcrgateServer.builder(config).addService(new OcrServiceGrpc.OcrServiceImplBase() {
      @Override
      public StreamObserver<StreamFramesRequest> streamFrames(StreamObserver<StreamFramesResponse> r) {
        return service.open(r);
      }
    }).onDrain(service::drain).onClose(prepare::shutdown).build().start();
    channel = NettyChannelBuilder.forAddress("localhost", server.port(), TestTls.clientCredentials())
        .flowControlWindow(64 * 1024).build();
    phraseFrames = PHRASES.stream().map(RealModelStreamTest::render).toList();
    emptyFrame = render("");
  }

  @AfterAll
  static void stop() throws InterruptedException {
    channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    server.shutdownGracefully();
    pipeline.close();
    onnx.close();
  }

  /**
   * A dark frame with {@code text} in white in the bottom band, centred as subtitles are (the
   * automatic subtitle region answers only text reaching into the central strip), and a logo
   * above it.
   */
  private static ByteString render(String text) {
    List<TextImages.Line> lines = new ArrayList<>();
    lines.add(new TextImages.Line("NEWS 24", TextImages.latin(20), 10, 8));
    if (!text.isEmpty()) {
      java.awt.Font font = TextImages.latin(17);
      int width = new java.awt.image.BufferedImage(1, 1, java.awt.image.BufferedImage.TYPE_INT_RGB)
          .getGraphics().getFontMetrics(font).stringWidth(text);
      lines.add(new TextImages.Line(text, font, (W - width) / 2, H - 22));
    }
    RgbImage rgb = TextImages.toRgb(
        TextImages.render(W, H, new Color(24, 32, 48), Color.WHITE, lines).image());
    return ByteString.copyFrom(rgb.data());
  }

  private static Image raw(ByteString rgb, int w, int h) {
    return Image.newBuilder().setRaw(RawImage.newBuilder().setWidth(w).setHeight(h)
        .setFormat(PixelFormat.PIXEL_FORMAT_RGB8).setData(rgb)).build();
  }

  private static StreamFramesRequest frame(long seq, long pts, Image image) {
    return StreamFramesRequest.newBuilder()
        .setFrame(Frame.newBuilder().setSeq(seq).setPtsMs(pts).setImage(image)).build();
  }

  private static StreamFramesRequest config(StreamConfig c) {
    return StreamFramesRequest.newBuilder().setConfig(c).build();
  }

  private static String text(FrameResult r) {
    return r.getLinesList().stream().map(TextLine::getText).collect(Collectors.joining("\n"));
  }

  /** Character error rate of {@code actual} against {@code expected}, spaces ignored. */
  static double cer(String expected, String actual) {
    int[] e = expected.replaceAll("\\s+", "").codePoints().toArray();
    int[] a = actual.replaceAll("\\s+", "").codePoints().toArray();
    return e.length == 0 ? (a.length == 0 ? 0 : 1) : (double) TextSimilarity.editDistance(e, a) / e.length;
  }

  private TestStream open(List<StreamFramesRequest> msgs, boolean autoRead) {
    TestStream s = new TestStream(msgs, autoRead, true);
    OcrServiceGrpc.newStub(channel).streamFrames(s);
    return s;
  }

  @Test
  void verify_32Streams_x200Frames_everyFrameAnsweredOnce_inOrder_textRight() throws Exception {
    int streams = 32;
    int frames = 200;
    List<TestStream> open = new ArrayList<>();
    List<String[]> expected = new ArrayList<>();
    for (int s = 0; s < streams; s++) {
      List<StreamFramesRequest> msgs = new ArrayList<>();
      msgs.add(config(StreamConfig.getDefaultInstance()));
      String[] want = new String[frames];
      for (int i = 0; i < frames; i++) {
        // 4 subtitles per stream, each shown for 45 frames then 5 empty frames.
        boolean empty = i % 50 >= 45;
        int phrase = (s + i / 50) % PHRASES.size();
        want[i] = empty ? "" : PHRASES.get(phrase);
        msgs.add(frame(i + 1, i * 100L, raw(empty ? emptyFrame : phraseFrames.get(phrase), W, H)));
      }
      expected.add(want);
      open.add(open(msgs, true));
    }
    double cerSum = 0;
    int textFrames = 0;
    for (int s = 0; s < streams; s++) {
      TestStream st = open.get(s);
      assertThat(st.done.get(170, TimeUnit.SECONDS).getCode()).isEqualTo(Status.Code.OK);
      List<FrameResult> results = st.results();
      assertThat(results).extracting(FrameResult::getSeq)
          .containsExactlyElementsOf(java.util.stream.LongStream.rangeClosed(1, frames).boxed().toList());
      for (int i = 0; i < frames; i++) {
        FrameResult r = results.get(i);
        assertThat(r.hasError()).as("stream %d frame %d: %s", s, i, r.getError()).isFalse();
        String want = expected.get(s)[i];
        if (want.isEmpty()) {
          assertThat(r.getLinesList()).as("stream %d frame %d", s, i).isEmpty();
        } else {
          double c = cer(want, text(r));
          assertThat(c).as("stream %d frame %d: '%s' vs '%s'", s, i, want, text(r)).isLessThanOrEqualTo(0.15);
          cerSum += c;
          textFrames++;
        }
      }
    }
    assertThat(cerSum / textFrames).isLessThanOrEqualTo(0.05);
    assertThat(maxPending.get()).isLessThanOrEqualTo(WINDOW);
  }

  @Test
  void verify_clientStopsReading_acceptedButUnansweredStaysWithinWindow() throws Exception {
    int n = 1500;
    List<StreamFramesRequest> msgs = new ArrayList<>();
    msgs.add(config(StreamConfig.getDefaultInstance()));
    for (int i = 1; i <= n; i++) {
      msgs.add(frame(i, i * 40L, raw(phraseFrames.get(0), W, H)));
    }
    TestStream s = open(msgs, false);
    // Nothing is read: after the transport buffers fill, the client cannot send more.
    int last = -1;
    for (int stable = 0; stable < 8; ) {
      Thread.sleep(100);
      int now = s.sent.get();
      stable = now == last ? stable + 1 : 0;
      last = now;
    }
    assertThat(s.sent.get()).isLessThan(n + 1);
    assertThat(maxPending.get()).isLessThanOrEqualTo(WINDOW);
    s.read(Integer.MAX_VALUE);
    assertThat(s.done.get(120, TimeUnit.SECONDS).getCode()).isEqualTo(Status.Code.OK);
    List<FrameResult> r = s.results();
    assertThat(r).hasSize(n);
    assertThat(cer(PHRASES.get(0), text(r.get(n - 1)))).isLessThanOrEqualTo(0.05);
    // Read twice: frame 1 in the search area, then frame 3 + WINDOW in the band locked when frame 3
    // was answered (the automatic subtitle region); every other frame reuses one of them.
    assertThat(r.get(n - 1).getReusedFromSeq()).isEqualTo(3 + WINDOW);
    assertThat(r.stream().filter(f -> !f.hasReusedFromSeq()).map(FrameResult::getSeq).toList())
        .containsExactly(1L, 3L + WINDOW);
  }

  @Test
  void verify_cancelMidStream_leavesBatchQueuesEmpty() throws Exception {
    List<StreamFramesRequest> msgs = new ArrayList<>();
    msgs.add(config(StreamConfig.newBuilder().setChangeThreshold(-1).build()));
    for (int i = 1; i <= 200; i++) {
      msgs.add(frame(i, i * 40L, raw(phraseFrames.get(i % PHRASES.size()), W, H)));
    }
    TestStream s = new TestStream(msgs, true, false);
    OcrServiceGrpc.newStub(channel).streamFrames(s);
    await().atMost(Duration.ofSeconds(60)).until(() -> s.results().size() >= 2 && pipeline.queuedItems() > 0);
    s.cancel();
    await().atMost(Duration.ofSeconds(30)).until(() -> pipeline.queuedItems() == 0 && service.openStreams() == 0);
    assertThat(s.results().size()).isLessThan(200);
  }

  @Test
  void verify_corruptFrameMidStream_getsItsOwnError_laterFramesRead() throws Exception {
    List<StreamFramesRequest> msgs = new ArrayList<>();
    msgs.add(config(StreamConfig.getDefaultInstance()));
    msgs.add(frame(1, 0, raw(phraseFrames.get(1), W, H)));
    msgs.add(frame(2, 100, Image.newBuilder().setEncoded(EncodedImage.newBuilder()
        .setData(ByteString.copyFrom(new byte[] {(byte) 0x89, 'P', 'N', 'G', 13, 10, 26, 10, 0, 0, 0, 13, 1, 2}))).build()));
    msgs.add(frame(3, 200, raw(phraseFrames.get(2), W, H)));
    TestStream s = open(msgs, true);
    assertThat(s.done.get(60, TimeUnit.SECONDS).getCode()).isEqualTo(Status.Code.OK);
    List<FrameResult> r = s.results();
    assertThat(r).extracting(FrameResult::getSeq).containsExactly(1L, 2L, 3L);
    assertThat(r.get(1).getError().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT.value());
    assertThat(r.get(1).getError().getMessage()).isNotEmpty().doesNotContain("Exception");
    assertThat(cer(PHRASES.get(1), text(r.get(0)))).isLessThanOrEqualTo(0.05);
    assertThat(cer(PHRASES.get(2), text(r.get(2)))).isLessThanOrEqualTo(0.05);
  }

  @Test
  void verify_fineMovingTexture_standingSubtitleReadAgainAtItsBoxes_everyChangeRead(@TempDir Path dir)
      throws Exception {
    // ffmpeg's cellauto: light and dark cells that scroll every frame fill the text mask, so the
    // pixel rule finds every frame changed. Reading the last read lines again at their boxes answers
    // the frames of a standing subtitle without detection; a letter that differs only above the
    // x-height (hat -> nat), a line added above an unchanged one and a letter added at the end of
    // a line are still read.
    List<SubtitleVideo.SrtCue> cues = List.of(
        new SubtitleVideo.SrtCue(1, 300, 2100, "The hat is here"),
        new SubtitleVideo.SrtCue(2, 2100, 3900, "The nat is here"),
        new SubtitleVideo.SrtCue(3, 3900, 5700, "Take your coats"),
        new SubtitleVideo.SrtCue(4, 5700, 7500, "Who is there?\nTake your coats"),
        new SubtitleVideo.SrtCue(5, 7500, 9300, "Open the door"),
        new SubtitleVideo.SrtCue(6, 9300, 11100, "Open the doors"));
    int verifiedBefore = verified.get();
    List<FrameResult> results = streamOverCellauto(dir, cues, 11.4);
    String answers = answers(results);
    int standing = 0;
    for (int i = 0; i < results.size(); i++) {
      FrameResult r = results.get(i);
      String truth = truthAt(cues, i * 200L);
      String read = text(r);
      assertThat(r.hasError()).as("frame %d", i).isFalse();
      if (!truth.equals(truthAt(cues, (i - 1) * 200L))) {
        assertThat(r.hasReusedFromSeq()).as("frame %d, where the subtitle changes; answers:%s", i, answers).isFalse();
      } else if (!truth.isEmpty()) {
        standing++;
      }
      if (truth.contains("nat")) {
        assertThat(read).as("frame %d; answers:%s", i, answers).doesNotContain("hat");
      } else if (truth.contains("Who")) {
        assertThat(read).as("frame %d; answers:%s", i, answers).contains("there");
      } else if (truth.contains("doors")) {
        assertThat(read).as("frame %d; answers:%s", i, answers).contains("doors");
      }
    }
    assertThat(verified.get() - verifiedBefore).as("frames of standing subtitles (%d) answered by a reread", standing)
        .isGreaterThanOrEqualTo(standing / 3);
  }

  @Test
  void verify_fineMovingTexture_framesBetweenSubtitles_reusedWithoutOcr_everyAppearanceRead(@TempDir Path dir)
      throws Exception {
    // Between subtitles over cellauto the pixel rule finds every frame changed and the last read
    // frame has no lines to read again; once the stream's subtitles showed thick strokes, a frame
    // where neither it nor the last read frame shows one repeats that frame's empty answer. A
    // short subtitle appearing after a gap is read at its first frame.
    List<SubtitleVideo.SrtCue> cues = List.of(
        new SubtitleVideo.SrtCue(1, 300, 1500, "Take your coats"),
        new SubtitleVideo.SrtCue(2, 2900, 4100, "Not now."),
        new SubtitleVideo.SrtCue(3, 5500, 6300, "Open the door"));
    List<FrameResult> results = streamOverCellauto(dir, cues, 6.6);
    String answers = answers(results);
    int gapReused = 0;
    for (int i = 0; i < results.size(); i++) {
      FrameResult r = results.get(i);
      String truth = truthAt(cues, i * 200L);
      assertThat(r.hasError()).as("frame %d", i).isFalse();
      if (!truth.equals(truthAt(cues, (i - 1) * 200L))) {
        assertThat(r.hasReusedFromSeq()).as("frame %d, where the subtitle changes; answers:%s", i, answers).isFalse();
      }
      if (truth.isEmpty()) {
        assertThat(text(r)).as("frame %d; answers:%s", i, answers).isEmpty();
        gapReused += r.hasReusedFromSeq() ? 1 : 0;
      } else {
        assertThat(cer(truth, text(r))).as("frame %d; answers:%s", i, answers).isLessThanOrEqualTo(0.1);
      }
      if (r.hasReusedFromSeq()) {
        FrameResult from = results.get((int) r.getReusedFromSeq() - 1);
        assertThat(from.hasReusedFromSeq()).as("frame %d names a frame that was read; answers:%s", i, answers)
            .isFalse();
      }
    }
    // 14 gap frames follow the first subtitle; within reread_lines_ms (1000) of each full read
    // about 4 of every 5 can pass.
    assertThat(gapReused).as("gap frames reused; answers:%s", answers).isGreaterThanOrEqualTo(6);
  }

  /** Every answer of one SUBTITLE stream of {@code cues} burned over cellauto (854x480, 5 fps). */
  private List<FrameResult> streamOverCellauto(Path dir, List<SubtitleVideo.SrtCue> cues, double seconds)
      throws Exception {
    int w = 854;
    int h = 480;
    List<RgbImage> frames = SubtitleVideo.overCellauto(dir, cues, seconds);
    List<StreamFramesRequest> msgs = new ArrayList<>();
    msgs.add(config(StreamConfig.newBuilder().setFrameIntervalMs(200).build()));
    for (int i = 0; i < frames.size(); i++) {
      msgs.add(frame(i + 1, i * 200L, raw(ByteString.copyFrom(frames.get(i).data()), w, h)));
    }
    TestStream s = open(msgs, true);
    assertThat(s.done.get(180, TimeUnit.SECONDS).getCode()).isEqualTo(Status.Code.OK);
    List<FrameResult> results = s.results();
    assertThat(results).hasSize(frames.size());
    return results;
  }

  /** One line per answer (frame index = seq - 1, text, reuse), for assertion messages. */
  private static String answers(List<FrameResult> results) {
    StringBuilder answers = new StringBuilder();
    for (FrameResult r : results) {
      answers.append(String.format("%nframe %d: %s%s", r.getSeq() - 1, text(r).replace('\n', '|'),
          r.hasReusedFromSeq() ? " (reused from frame " + (r.getReusedFromSeq() - 1) + ")" : ""));
    }
    return answers.toString();
  }

  private static String truthAt(List<SubtitleVideo.SrtCue> cues, long ms) {
    return cues.stream().filter(c -> c.startMs() <= ms && ms < c.endMs())
        .map(SubtitleVideo.SrtCue::text).findFirst().orElse("");
  }

  @Test
  void verify_burnedInSubtitleVideo_cuesMatchTheSrt(@TempDir Path dir) throws Exception {
    Path srt = dir.resolve("subs.srt");
    SubtitleVideo.writeSrt(srt, List.of(
        new SubtitleVideo.SrtCue(1, 500, 2500, "Good morning everyone"),
        new SubtitleVideo.SrtCue(2, 3000, 5000, "Please take your seats"),
        new SubtitleVideo.SrtCue(3, 5000, 7000, "The show starts now")));
    List<SubtitleVideo.SrtCue> truth = SubtitleVideo.parseSrt(srt);
    int w = 480;
    int h = 270;
    int fps = 5;
    Path video = SubtitleVideo.render(dir, srt, w, h, 8.0, 25);
    List<SubtitleVideo.DecodedFrame> frames = SubtitleVideo.sample(video, w, h, fps);
    List<StreamFramesRequest> msgs = new ArrayList<>();
    msgs.add(config(StreamConfig.newBuilder().setEmitCues(true).setFrameIntervalMs(1000 / fps).build()));
    for (int i = 0; i < frames.size(); i++) {
      msgs.add(frame(i + 1, frames.get(i).ptsMs(), raw(ByteString.copyFrom(frames.get(i).rgb()), w, h)));
    }
    TestStream s = open(msgs, true);
    assertThat(s.done.get(120, TimeUnit.SECONDS).getCode()).isEqualTo(Status.Code.OK);
    assertThat(s.results()).hasSize(frames.size());
    List<Cue> cues = s.cues();
    assertThat(cues).as("cues %s", cues).hasSize(truth.size());
    long tolerance = 1000 / fps + 200;
    for (int i = 0; i < truth.size(); i++) {
      SubtitleVideo.SrtCue want = truth.get(i);
      Cue got = cues.get(i);
      assertThat(got.getIndex()).isEqualTo(i + 1);
      assertThat(cer(want.text(), got.getText())).as("cue %d '%s'", i + 1, got.getText()).isLessThanOrEqualTo(0.05);
      assertThat(Math.abs(got.getStartMs() - want.startMs())).as("start of cue %d", i + 1).isLessThanOrEqualTo(tolerance);
      assertThat(Math.abs(got.getEndMs() - want.endMs())).as("end of cue %d", i + 1).isLessThanOrEqualTo(tolerance);
    }
    long reused = s.results().stream().filter(FrameResult::hasReusedFromSeq).count();
    assertThat(reused).isGreaterThan(frames.size() / 2);
  }
}
