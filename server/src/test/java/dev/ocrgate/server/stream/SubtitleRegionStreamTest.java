package dev.ocrgate.server.stream;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ocrgate.api.v1.Cue;
import dev.ocrgate.api.v1.Frame;
import dev.ocrgate.api.v1.FrameResult;
import dev.ocrgate.api.v1.FrameRows;
import dev.ocrgate.api.v1.Image;
import dev.ocrgate.api.v1.NormalizedRect;
import dev.ocrgate.api.v1.OcrServiceGrpc;
import dev.ocrgate.api.v1.RawImage;
import dev.ocrgate.api.v1.Region;
import dev.ocrgate.api.v1.StreamConfig;
import dev.ocrgate.api.v1.StreamFramesRequest;
import dev.ocrgate.api.v1.StreamFramesResponse;
import dev.ocrgate.api.v1.TextLine;
import dev.ocrgate.server.OcrgateServer;
import dev.ocrgate.server.batch.BatchListener;
import dev.ocrgate.server.config.EngineSection;
import dev.ocrgate.server.config.OcrgateConfig;
import dev.ocrgate.server.config.StreamingSection;
import dev.ocrgate.server.engine.OnnxEngine;
import dev.ocrgate.server.ocr.BatchedOcrPipeline;
import dev.ocrgate.server.ocr.ModelRepository;
import dev.ocrgate.server.ocr.OcrPipeline;
import dev.ocrgate.server.ocr.OcrRequest;
import dev.ocrgate.server.ocr.OcrResult;
import dev.ocrgate.server.testing.RepoPaths;
import dev.ocrgate.server.testing.TestTls;
import dev.ocrgate.server.vision.ImageDecoder;
import dev.ocrgate.server.vision.ImageLimits;
import dev.ocrgate.server.vision.Quad;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.StreamObserver;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The automatic subtitle region end to end: libass subtitles burned by the real ffmpeg into short
 * 640×360 videos, sampled at 5 fps and streamed whole with no region to the real models: a
 * subtitle placed higher than the bottom quarter, a two-line subtitle taller than it, a logo and a
 * counter beside the subtitles, and an explicit region that still wins.
 */
class SubtitleRegionStreamTest {
  private static final int W = 640;
  private static final int H = 360;
  private static final int FPS = 5;
  private static final String FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf";
  private static final NormalizedRect BOTTOM_QUARTER = StreamRegion.SUBTITLE_BAND;

  private static OnnxEngine onnx;
  private static BatchedOcrPipeline pipeline;
  /** What the streams read through: {@link #pipeline}, unless armed. */
  private static MissOnce missOnce;
  private static OcrgateServer server;
  private static ManagedChannel channel;
  /** Line crops the real pipeline's recognition batcher ran. */
  private static final AtomicLong recognisedCrops = new AtomicLong();

  @TempDir Path dir;

  @BeforeAll
  static void start() {
    EngineSection engine = new EngineSection();
    engine.provider = "cpu";
    onnx = OnnxEngine.create(engine);
    ModelRepository.ModelSet models = ModelRepository.load(RepoPaths.modelDir());
    pipeline = BatchedOcrPipeline.create(models, onnx, models.config().batching.cpu,
        BatchListener.NONE, new BatchListener() {
          @Override
          public void onBatch(int size, long inferenceNanos, double paddingRatio) {
            recognisedCrops.addAndGet(size);
          }
        }, false);
    OcrgateConfig config = new OcrgateConfig();
    config.server.port = 0;
    TestTls.certs().applyTo(config.tls);
    ImageLimits limits = new ImageLimits(20_000_000, 40_000_000);
    ExecutorService prepare = StreamFramesService.preparationExecutor();
    missOnce = new MissOnce(pipeline);
    StreamFramesService service = StreamFramesService.create(missOnce, image -> ImageDecoder.decode(image, limits),
        prepare, config.streaming,
        config.streaming.framesInFlight(pipeline.detectionBatcher().policy().queueCapacity()), StreamListener.NONE);
    server = OcrgateServer.builder(config).addService(new OcrServiceGrpc.OcrServiceImplBase() {
      @Override
      public StreamObserver<StreamFramesRequest> streamFrames(StreamObserver<StreamFramesResponse> r) {
        return service.open(r);
      }
    }).onClose(prepare::shutdown).build().start();
    channel = NettyChannelBuilder.forAddress("localhost", server.port(), TestTls.clientCredentials()).build();
  }

  @AfterAll
  static void stop() throws InterruptedException {
    channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    server.shutdownGracefully();
    pipeline.close();
    onnx.close();
  }

  private List<SubtitleVideo.DecodedFrame> video(List<SubtitleVideo.SrtCue> cues, String style, String after)
      throws Exception {
    Path srt = dir.resolve("subs.srt");
    SubtitleVideo.writeSrt(srt, cues);
    Path video = SubtitleVideo.render(dir, srt, W, H, 4.6, 25, style, after);
    return SubtitleVideo.sample(video, W, H, FPS);
  }

  /** Streams {@code frames} whole, with cues, in SUBTITLE mode and {@code region} (null: none). */
  private static TestStream stream(List<SubtitleVideo.DecodedFrame> frames, NormalizedRect region) throws Exception {
    StreamConfig.Builder c = StreamConfig.newBuilder().setEmitCues(true).setFrameIntervalMs(1000 / FPS);
    if (region != null) {
      c.setRegion(Region.newBuilder().setNormalized(region));
    }
    TestStream s = new TestStream(SubtitleVideo.requests(c, frames, W, H), true, true);
    OcrServiceGrpc.newStub(channel).streamFrames(s);
    assertThat(s.done.get(120, TimeUnit.SECONDS).getCode()).isEqualTo(Status.Code.OK);
    assertThat(s.results()).hasSize(frames.size()).allSatisfy(r -> assertThat(r.hasError()).isFalse());
    return s;
  }

  private static void assertCues(TestStream s, List<SubtitleVideo.SrtCue> truth) {
    List<Cue> cues = s.cues();
    assertThat(cues).as("cues %s", cues).hasSize(truth.size());
    for (int i = 0; i < truth.size(); i++) {
      String got = cues.get(i).getText();
      assertThat(RealModelStreamTest.cer(truth.get(i).text(), got)).as("cue %d: '%s'", i + 1, got)
          .isLessThanOrEqualTo(0.1);
    }
  }

  private static List<String> lines(TestStream s) {
    return s.results().stream().flatMap(r -> r.getLinesList().stream()).map(TextLine::getText).toList();
  }

  @Test
  void verify_aSubtitleAboveTheBottomQuarter_isFoundWithoutARegion() throws Exception {
    // MarginV 80 of libass's 288 script lines: the text sits at about 0.64–0.72 of the height.
    List<SubtitleVideo.SrtCue> truth = List.of(
        new SubtitleVideo.SrtCue(1, 300, 2000, "Good morning everyone"),
        new SubtitleVideo.SrtCue(2, 2400, 4400, "Please take your seats"));
    List<SubtitleVideo.DecodedFrame> frames =
        video(truth, "FontName=DejaVu Sans,FontSize=22,Outline=2,MarginV=80", "");

    TestStream auto = stream(frames, null);

    assertCues(auto, truth);
    FrameResult last = auto.results().get(frames.size() - 1);
    assertThat(last.getRegion().getY()).as("locked band %s", last.getRegion()).isLessThan(H * 3 / 4);
    assertThat(last.getRegion().getHeight()).isLessThan(H / 2);
    // The fixed bottom quarter misses it entirely.
    assertThat(lines(stream(frames, BOTTOM_QUARTER))).isEmpty();
  }

  @Test
  void verify_aTwoLineSubtitle_isReadWhole() throws Exception {
    // FontSize 34 (42 px at 360 px) and MarginV 20: the first of two lines starts at about 0.65 of
    // the height, well above the bottom quarter.
    List<SubtitleVideo.SrtCue> truth = List.of(
        new SubtitleVideo.SrtCue(1, 300, 2000, "Where are you going\nat this hour"),
        new SubtitleVideo.SrtCue(2, 2400, 4400, "The last train\nhas already left"));
    List<SubtitleVideo.DecodedFrame> frames =
        video(truth, "FontName=DejaVu Sans,FontSize=34,Outline=2,MarginV=20", "");

    TestStream auto = stream(frames, null);

    assertCues(auto, truth);
    for (int i = 0; i < truth.size(); i++) {
      String[] want = truth.get(i).text().split("\n");
      String[] got = auto.cues().get(i).getText().split("\n");
      assertThat(got).as("lines of cue %d", i + 1).hasSize(2);
      assertThat(RealModelStreamTest.cer(want[0], got[0])).as("first line of cue %d: '%s'", i + 1, got[0])
          .isLessThanOrEqualTo(0.1);
    }
  }

  /** A logo in the bottom-right corner and a frame counter on the left, both in the search area. */
  private static final String LOGO_AND_COUNTER =
      "drawtext=fontfile=" + FONT + ":text='NEWS 24':fontsize=22:fontcolor=white:x=w-tw-12:y=h-th-12,"
          + "drawtext=fontfile=" + FONT + ":text='%{n}':fontsize=26:fontcolor=yellow:x=16:y=h*0.55";

  private static final List<SubtitleVideo.SrtCue> SHORT = List.of(
      new SubtitleVideo.SrtCue(1, 300, 2000, "See you soon"),
      new SubtitleVideo.SrtCue(2, 2400, 4400, "Not today"));

  @Test
  void verify_aLogoAndACounterBesideTheSubtitles_areNotAnswered() throws Exception {
    List<SubtitleVideo.DecodedFrame> frames =
        video(SHORT, "FontName=DejaVu Sans,FontSize=22,Outline=2,MarginV=12", LOGO_AND_COUNTER);

    TestStream auto = stream(frames, null);

    assertCues(auto, SHORT);
    assertThat(lines(auto)).isNotEmpty().noneMatch(t -> t.contains("NEWS") || t.matches(".*\\d.*"));
  }

  @Test
  void verify_junkBesideTheSubtitles_isNeverRecognised_theSubtitleStillIs() throws Exception {
    List<SubtitleVideo.DecodedFrame> frames =
        video(SHORT, "FontName=DejaVu Sans,FontSize=22,Outline=2,MarginV=12", LOGO_AND_COUNTER);
    long before = recognisedCrops.get();

    TestStream auto = stream(frames, null);

    long crops = recognisedCrops.get() - before;
    assertCues(auto, SHORT);
    // Every crop recognised is a subtitle line answered: the logo and the counter (outside the
    // centre strip, in every frame read) never reach recognition.
    long answered = auto.results().stream().filter(r -> r.getReusedFromSeq() == 0)
        .mapToLong(FrameResult::getLinesCount).sum();
    assertThat(answered).isPositive();
    assertThat(crops).as("crops recognised vs subtitle lines answered on read frames").isEqualTo(answered);
  }

  @Test
  void verify_anExplicitRegion_stillWins_everyLineInItIsAnswered() throws Exception {
    List<SubtitleVideo.DecodedFrame> frames =
        video(SHORT, "FontName=DejaVu Sans,FontSize=22,Outline=2,MarginV=12", LOGO_AND_COUNTER);

    TestStream fixed = stream(frames, BOTTOM_QUARTER);

    assertThat(lines(fixed)).anyMatch(t -> t.replace(" ", "").contains("NEWS24"));
    assertThat(fixed.results()).allSatisfy(r -> assertThat(r.getRegion())
        .isEqualTo(dev.ocrgate.api.v1.PixelRect.newBuilder().setX(0).setY(270).setWidth(W).setHeight(90).build()));
  }

  /** {@code msg}'s frame sent as its rows [top, bottom) only ({@code Frame.rows}), from whole RGB8 frames. */
  private static StreamFramesRequest asRows(StreamFramesRequest msg, int top, int bottom, int frameHeight) {
    Frame f = msg.getFrame();
    RawImage raw = f.getImage().getRaw();
    int rowBytes = raw.getWidth() * 3;
    RawImage rows = raw.toBuilder().setHeight(bottom - top)
        .setData(raw.getData().substring(top * rowBytes, bottom * rowBytes)).build();
    return StreamFramesRequest.newBuilder().setFrame(f.toBuilder()
        .setImage(Image.newBuilder().setRaw(rows))
        .setRows(FrameRows.newBuilder().setTop(top).setFrameHeight(frameHeight))).build();
  }

  private static TestStream send(List<StreamFramesRequest> msgs) throws Exception {
    TestStream s = new TestStream(msgs, true, true);
    OcrServiceGrpc.newStub(channel).streamFrames(s);
    assertThat(s.done.get(120, TimeUnit.SECONDS).getCode()).isEqualTo(Status.Code.OK);
    assertThat(s.results()).hasSize(msgs.size() - 1);
    return s;
  }

  private static FrameResult withoutTiming(FrameResult r) {
    return r.toBuilder().clearTiming().build();
  }

  @Test
  void verify_framesSentAsTheirRows_areAnsweredExactlyAsWholeFrames() throws Exception {
    // A subtitle above the bottom quarter (the band is searched for, then locked), a logo and a
    // counter beside it: frame-relative rules (centre strip, line heights) decide what is answered.
    List<SubtitleVideo.SrtCue> truth = List.of(
        new SubtitleVideo.SrtCue(1, 300, 2000, "Good morning everyone"),
        new SubtitleVideo.SrtCue(2, 2400, 4400, "Please take your seats"));
    List<SubtitleVideo.DecodedFrame> frames =
        video(truth, "FontName=DejaVu Sans,FontSize=22,Outline=2,MarginV=80", LOGO_AND_COUNTER);
    StreamConfig.Builder config = StreamConfig.newBuilder().setEmitCues(true).setFrameIntervalMs(1000 / FPS);
    List<StreamFramesRequest> whole = SubtitleVideo.requests(config, frames, W, H);

    TestStream wholeStream = send(whole);
    List<FrameResult> wholeResults = wholeStream.results();
    // Each frame again, as only the rows around the part the server read of it (a few rows more
    // above and below, so the image's rows and the frame's differ), the way the SDK sends them.
    List<StreamFramesRequest> rows = new ArrayList<>(List.of(whole.get(0)));
    for (int i = 0; i < frames.size(); i++) {
      dev.ocrgate.api.v1.PixelRect read = wholeResults.get(i).getRegion();
      rows.add(asRows(whole.get(i + 1), Math.max(0, read.getY() - 13),
          Math.min(H, read.getY() + read.getHeight() + 7), H));
    }
    TestStream rowStream = send(rows);

    assertCues(wholeStream, truth);
    assertThat(wholeResults.get(frames.size() - 1).getRegion().getHeight()).as("the band locked")
        .isLessThan(H / 2);
    assertThat(rows.subList(1, rows.size())).as("frames sent as fewer rows than the frame")
        .anySatisfy(m -> assertThat(m.getFrame().getImage().getRaw().getHeight()).isLessThan(H / 2));
    assertThat(rowStream.results().stream().map(SubtitleRegionStreamTest::withoutTiming).toList())
        .isEqualTo(wholeResults.stream().map(SubtitleRegionStreamTest::withoutTiming).toList());
    assertThat(rowStream.cues()).isEqualTo(wholeStream.cues());
  }

  @Test
  void verify_badRows_failOnlyTheirFrame_withInvalidArgument_theStreamGoesOn() throws Exception {
    List<SubtitleVideo.DecodedFrame> frames =
        video(SHORT, "FontName=DejaVu Sans,FontSize=22,Outline=2,MarginV=12", "");
    StreamConfig.Builder config = StreamConfig.newBuilder().setEmitCues(true).setFrameIntervalMs(1000 / FPS);
    List<StreamFramesRequest> msgs = new ArrayList<>(SubtitleVideo.requests(config, frames, W, H));
    // Frame seq 3: rows past the frame's end; 5: a frame over the pixel limit (640 × 100,000 rows
    // > 40 MP); 7: rows that miss the part to read (the search area starts at 0.4 of the height).
    msgs.set(3, asRows(msgs.get(3), H - 100, H, H - 50));
    msgs.set(5, asRows(msgs.get(5), 0, H, 100_000));
    msgs.set(7, asRows(msgs.get(7), 0, 60, H));
    // Frame seq 9 is valid rows: the whole search area and more, read as the whole frame would be.
    msgs.set(9, asRows(msgs.get(9), 100, H, H));

    TestStream s = send(msgs);

    List<FrameResult> results = s.results();
    for (int seq : List.of(3, 5, 7)) {
      FrameResult r = results.get(seq - 1);
      assertThat(r.getSeq()).isEqualTo(seq);
      assertThat(r.getError().getCode()).as("frame %d: %s", seq, r.getError()).isEqualTo(Status.Code.INVALID_ARGUMENT.value());
      assertThat(r.getLinesCount()).isZero();
    }
    assertThat(results).filteredOn(r -> !List.of(3L, 5L, 7L).contains(r.getSeq()))
        .hasSize(frames.size() - 3).allSatisfy(r -> assertThat(r.hasError()).isFalse());
    assertThat(results.get(8).getRegion().getY()).as("frame 9 read in the whole frame's pixels")
        .isEqualTo(Math.round(0.4f * H));
    assertCues(s, SHORT);
  }

  @Test
  void verify_aSubtitleTheDetectorMissesInOneFrame_isReadAgainInTheNext_andReusedFromThere() throws Exception {
    List<SubtitleVideo.SrtCue> truth = List.of(new SubtitleVideo.SrtCue(1, 500, 4000, "Please take your seats"));
    List<SubtitleVideo.DecodedFrame> frames = video(truth, "FontName=DejaVu Sans,FontSize=22,Outline=2,MarginV=12", "");
    int first = firstFrameFrom(frames, 600); // the first showing the subtitle: light text appeared, so it is read
    missOnce.arm(frames.get(first).rgb());
    TestStream s;
    try {
      s = stream(frames, BOTTOM_QUARTER);
    } finally {
      assertThat(missOnce.disarm()).as("the armed frame was read").isTrue();
    }

    List<FrameResult> r = s.results();
    assertThat(r.get(first).getLinesList()).as("the missed read").isEmpty();
    FrameResult again = r.get(first + 1);
    assertThat(again.hasReusedFromSeq()).as("read itself, not the empty answer").isFalse();
    assertThat(again.getLinesList()).extracting(TextLine::getText).containsExactly("Please take your seats");
    // Later frames of the subtitle that the rule finds unchanged reuse that read, not the miss.
    int reusing = 0;
    for (int i = first + 2; i < frames.size() && frames.get(i).ptsMs() < 3800; i++) {
      assertThat(r.get(i).getLinesList()).as("frame %d", i + 1).extracting(TextLine::getText)
          .containsExactly("Please take your seats");
      if (r.get(i).hasReusedFromSeq()) {
        assertThat(r.get(i).getReusedFromSeq()).as("frame %d", i + 1).isNotEqualTo(first + 1);
        reusing++;
      }
    }
    assertThat(reusing).as("frames reusing a read").isPositive();
    assertCues(s, truth);
  }

  @Test
  void verify_anAnswerOfOneLetter_isReadAgainInTheNextFrame_enlarged() throws Exception {
    List<SubtitleVideo.SrtCue> truth = List.of(new SubtitleVideo.SrtCue(1, 500, 4000, "Please take your seats"));
    List<SubtitleVideo.DecodedFrame> frames = video(truth, "FontName=DejaVu Sans,FontSize=22,Outline=2,MarginV=12", "");
    int first = firstFrameFrom(frames, 600);
    missOnce.arm(frames.get(first).rgb(), true, frames.get(first + 1).rgb());
    TestStream s;
    List<Double> scales;
    try {
      s = stream(frames, BOTTOM_QUARTER);
      scales = missOnce.watchedScales();
    } finally {
      assertThat(missOnce.disarm()).as("the armed frame was read").isTrue();
    }

    List<FrameResult> r = s.results();
    assertThat(r.get(first).getLinesList()).extracting(TextLine::getText).as("the read of one letter")
        .containsExactly("P");
    FrameResult again = r.get(first + 1);
    assertThat(again.hasReusedFromSeq()).as("read itself, not the one letter").isFalse();
    assertThat(again.getLinesList()).extracting(TextLine::getText).containsExactly("Please take your seats");
    assertThat(scales).as("the second read's detection scale")
        .containsExactly(new StreamingSection().empty_retry_scale);
    assertCues(s, truth);
  }

  /** The index of the first of {@code frames} at or after {@code ptsMs}. */
  private static int firstFrameFrom(List<SubtitleVideo.DecodedFrame> frames, long ptsMs) {
    int i = 0;
    while (frames.get(i).ptsMs() < ptsMs) {
      i++;
    }
    return i;
  }

  /**
   * The real pipeline, except that once {@link #arm armed} with a frame's pixels, the first read of
   * that frame answers no lines, or only the first letter of its first line: the detector missing
   * a subtitle in one frame and finding it in the next, which the real models do (held-out bench
   * video short-test sub-07) but not on demand, or boxing one letter of a short word (short-fresh7
   * sub-130: the `n` of `in`). It also keeps the detection scale of every read of a watched frame.
   */
  private static final class MissOnce implements OcrPipeline {
    private final OcrPipeline real;
    private final AtomicReference<byte[]> target = new AtomicReference<>();
    private final AtomicBoolean missed = new AtomicBoolean();
    private volatile boolean oneLetter;
    private final AtomicReference<byte[]> watched = new AtomicReference<>();
    private final List<Double> watchedScales = new java.util.concurrent.CopyOnWriteArrayList<>();

    MissOnce(OcrPipeline real) {
      this.real = real;
    }

    void arm(byte[] frame) {
      arm(frame, false, null);
    }

    /** Arms a miss of {@code frame} (one letter kept if {@code oneLetter}); watches {@code watch}. */
    void arm(byte[] frame, boolean oneLetter, byte[] watch) {
      missed.set(false);
      this.oneLetter = oneLetter;
      watchedScales.clear();
      watched.set(watch);
      target.set(frame);
    }

    /** Disarms; whether a read was missed since {@link #arm}. */
    boolean disarm() {
      target.set(null);
      watched.set(null);
      return missed.get();
    }

    /** The detection scales the watched frame was read with since {@link #arm}. */
    List<Double> watchedScales() {
      return List.copyOf(watchedScales);
    }

    @Override
    public CompletableFuture<OcrResult> recognize(OcrRequest request) {
      byte[] w = watched.get();
      if (w != null && Arrays.equals(w, request.image().data())) {
        watchedScales.add(request.detectionScale());
      }
      byte[] t = target.get();
      if (t != null && Arrays.equals(t, request.image().data()) && target.compareAndSet(t, null)) {
        missed.set(true);
        boolean letter = oneLetter;
        return real.recognize(request).thenApply(r -> new OcrResult(letter && !r.lines().isEmpty()
            ? List.of(r.lines().get(0).toBuilder().setText(r.lines().get(0).getText().substring(0, 1)).build())
            : List.of(), r.timing()));
      }
      return real.recognize(request);
    }

    @Override
    public boolean rereads() {
      return real.rereads();
    }

    @Override
    public CompletableFuture<OcrResult> reread(OcrRequest request, List<Quad> lines) {
      return real.reread(request, lines);
    }
  }
}
