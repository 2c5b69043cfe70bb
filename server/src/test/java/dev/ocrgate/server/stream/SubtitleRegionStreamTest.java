package dev.ocrgate.server.stream;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ocrgate.api.v1.Cue;
import dev.ocrgate.api.v1.FrameResult;
import dev.ocrgate.api.v1.NormalizedRect;
import dev.ocrgate.api.v1.OcrServiceGrpc;
import dev.ocrgate.api.v1.Region;
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
import dev.ocrgate.server.vision.ImageDecoder;
import dev.ocrgate.server.vision.ImageLimits;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.StreamObserver;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
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
    StreamFramesService service = StreamFramesService.create(pipeline, image -> ImageDecoder.decode(image, limits),
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
}
