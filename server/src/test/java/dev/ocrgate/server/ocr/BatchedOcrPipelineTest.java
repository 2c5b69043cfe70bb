package dev.ocrgate.server.ocr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import dev.ocrgate.api.v1.Point;
import dev.ocrgate.api.v1.TextLine;
import dev.ocrgate.api.v1.Timing;
import dev.ocrgate.server.config.OcrgateConfig;
import dev.ocrgate.server.testing.RepoPaths;
import dev.ocrgate.server.testing.TextImages.Line;
import dev.ocrgate.server.testing.TextImages.Rendered;
import dev.ocrgate.server.testing.TextImages;
import dev.ocrgate.server.vision.PixelRect;
import dev.ocrgate.server.vision.Quad;
import dev.ocrgate.server.vision.RgbImage;
import io.grpc.Deadline;
import io.grpc.Status;
import io.grpc.StatusException;
import java.awt.Color;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * What {@link BatchedOcrPipeline} adds to its {@link dev.ocrgate.server.batch.DynamicBatcher}s
 * (whose queueing, deadlines, cancellation and shutdown {@code DynamicBatcherTest} covers): the
 * region is clipped before detection, the request's deadline reaches the batcher, and cancelling
 * a request withdraws its queued detection item or its queued line crops. On the production
 * pipeline with the real models ({@link SharedPipeline}); the batchers' counts show what ran.
 */
class BatchedOcrPipelineTest {
  private static final RgbImage BLANK = TextImages.render(64, 32, Color.WHITE, Color.BLACK, List.of()).rgb();

  private static BatchedOcrPipeline pipeline() {
    return SharedPipeline.module().batchedPipeline();
  }

  private static Status statusOf(CompletableFuture<OcrResult> f) {
    Throwable t = f.handle((r, e) -> e).orTimeout(SharedPipeline.TIMEOUT_SECONDS, TimeUnit.SECONDS).join();
    Throwable cause = t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
    assertThat(cause).as("failure of the request").isInstanceOf(StatusException.class);
    return ((StatusException) cause).getStatus();
  }

  private static List<String> texts(OcrResult r) {
    return r.lines().stream().map(l -> l.getText().replace(" ", "")).toList();
  }

  @Test
  void verify_crowded_isABoxOverlappingAnotherOnesBoundingBox() {
    Quad line = Quad.of(new PixelRect(100, 100, 800, 30));
    Quad below = Quad.of(new PixelRect(100, 122, 700, 30)); // set print: overlaps by 8 rows
    Quad touching = Quad.of(new PixelRect(100, 130, 700, 30)); // starts where the line ends
    Quad beside = Quad.of(new PixelRect(950, 100, 100, 30));
    assertThat(BatchedOcrPipeline.crowded(List.of(line, below), 0)).isTrue();
    assertThat(BatchedOcrPipeline.crowded(List.of(line, below), 1)).isTrue();
    assertThat(BatchedOcrPipeline.crowded(List.of(line, touching, beside), 0)).isFalse();
    assertThat(BatchedOcrPipeline.crowded(List.of(line), 0)).isFalse();
  }

  @Test
  void verify_deadlinePassedBeforeInference_isDeadlineExceeded_andNothingRuns() {
    SharedPipeline.StageCounts det = SharedPipeline.detection();
    long ran = det.run();
    long expired = det.dropped(Status.Code.DEADLINE_EXCEEDED);
    Deadline past = Deadline.after(-1, TimeUnit.SECONDS);
    CompletableFuture<OcrResult> f =
        pipeline().recognize(new OcrRequest(BLANK, null, OcrRequest.Mode.FULL, 0f, false, past));
    // Failed by the caller's own call, before any worker could have taken it.
    assertThat(f).isCompletedExceptionally();
    assertThat(statusOf(f).getCode()).isEqualTo(Status.Code.DEADLINE_EXCEEDED);
    assertThat(det.dropped(Status.Code.DEADLINE_EXCEEDED)).isEqualTo(expired + 1);
    assertThat(det.run()).isEqualTo(ran);
    assertThat(pipeline().queuedItems()).isZero();
  }

  @Test
  void verify_regionOutsideImage_isInvalidArgument_andNothingIsQueued() {
    long ran = SharedPipeline.detection().run();
    CompletableFuture<OcrResult> f = pipeline().recognize(
        new OcrRequest(BLANK, new PixelRect(100, 0, 10, 10), OcrRequest.Mode.FULL, 0f, false, null));
    assertThat(f).isCompletedExceptionally();
    Status s = statusOf(f);
    assertThat(s.getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(s.getDescription()).isEqualTo("region does not overlap the image");
    assertThat(SharedPipeline.detection().run()).isEqualTo(ran);
  }

  @Test
  void verify_regionPartlyOutsideImage_isClipped_andBoxesAreInWholeImageCoordinates() throws Exception {
    Rendered r = TextImages.render(600, 200, Color.WHITE, Color.BLACK, List.of(
        new Line("Above the region", TextImages.latin(30), 20, 20),
        new Line("Inside the region", TextImages.latin(30), 300, 140)));
    OcrResult res = SharedPipeline.read(new OcrRequest(r.rgb(), new PixelRect(250, 110, 1000, 1000),
        OcrRequest.Mode.FULL, 0f, false, null));
    assertThat(texts(res)).containsExactly("Insidetheregion");
    for (Point p : res.lines().get(0).getBox().getPointsList()) {
      assertThat(p.getX()).isBetween(250f, 600f);
      assertThat(p.getY()).isBetween(110f, 200f);
    }
  }

  @Test
  void verify_detectionScale_shrinksOnlyTheDetectorInput_linesAreCutFromFullResolution() throws Exception {
    Rendered r = TextImages.render(1200, 200, Color.WHITE, Color.BLACK, List.of(
        new Line("Subtitles read at full size", TextImages.latin(48), 60, 30),
        new Line("from the second line too", TextImages.latin(48), 60, 110)));
    OcrResult full = SharedPipeline.read(scaled(r.rgb(), 1.0));
    OcrResult small = SharedPipeline.read(scaled(r.rgb(), 0.3));

    assertThat(texts(full)).containsExactly("Subtitlesreadatfullsize", "fromthesecondlinetoo");
    // 0.3 of the region (input 360 × 60, padded to 384 × 64, instead of 960 × 160): the same
    // lines, their boxes in the image's own pixels within five detector pixels (17 image pixels)
    // of the full-size ones, and read at least as confidently (their boxes have a wider margin),
    // because their crops are cut from the full-resolution image (a crop of the 0.3 input would be
    // ~17 px tall).
    assertThat(texts(small)).isEqualTo(texts(full));
    for (int line = 0; line < 2; line++) {
      List<Point> a = full.lines().get(line).getBox().getPointsList();
      List<Point> b = small.lines().get(line).getBox().getPointsList();
      for (int i = 0; i < a.size(); i++) {
        assertThat(b.get(i).getX()).as("x of corner %d of line %d", i, line).isCloseTo(a.get(i).getX(), within(17f));
        assertThat(b.get(i).getY()).as("y of corner %d of line %d", i, line).isCloseTo(a.get(i).getY(), within(17f));
      }
      assertThat(small.lines().get(line).getConfidence())
          .isGreaterThanOrEqualTo(full.lines().get(line).getConfidence() - 0.02f);
    }
    // The scale reaches the detector: beside a large line, small print is found at full size, but
    // at 0.2 (a 240 × 40 input, padded to 256 × 64) its line is ~3 detector pixels tall and is not
    // found whole (measured: a box over part of it, read `smlrntgo`).
    Rendered mixed = TextImages.render(1200, 200, Color.WHITE, Color.BLACK, List.of(
        new Line("Large words stay", TextImages.latin(48), 60, 30),
        new Line("small print goes", TextImages.latin(16), 60, 140)));
    assertThat(texts(SharedPipeline.read(scaled(mixed.rgb(), 1.0)))).containsExactly("Largewordsstay", "smallprintgoes");
    assertThat(texts(SharedPipeline.read(scaled(mixed.rgb(), 0.2))))
        .contains("Largewordsstay").doesNotContain("smallprintgoes");
  }

  private static OcrRequest scaled(RgbImage image, double detectionScale) {
    return new OcrRequest(image, null, OcrRequest.Mode.SUBTITLE, 0f, false, null, detectionScale, null);
  }

  @Test
  void verify_cancelledRequest_waitingForDetection_isWithdrawn_othersAreRead() throws Exception {
    Rendered page = TextImages.render(640, 120, Color.WHITE, Color.BLACK, List.of(
        new Line("Queued for detection", TextImages.latin(32), 20, 40)));
    SharedPipeline.StageCounts det = SharedPipeline.detection();
    long ran = det.run();
    long cancelled = det.dropped(Status.Code.CANCELLED);
    // More requests than detection instances, with the workers held at the gate once they have
    // taken one each: the rest stay queued until the test lets go (not for as long as the real
    // models happen to take), so the last request is certainly still queued when cancelled.
    int instances = pipeline().detectionBatcher().instances();
    int n = instances + 3;
    List<CompletableFuture<OcrResult>> fs = new ArrayList<>();
    det.hold();
    try {
      for (int i = 0; i < n; i++) {
        fs.add(pipeline().recognize(OcrRequest.of(page.rgb())));
      }
      await().atMost(Duration.ofSeconds(SharedPipeline.TIMEOUT_SECONDS))
          .until(() -> det.workersHeld() == instances);
      assertThat(pipeline().detectionBatcher().queueDepth()).isEqualTo(n - instances);
      CompletableFuture<OcrResult> last = fs.remove(n - 1);
      assertThat(last.cancel(false)).isTrue();
      // Withdrawn by the cancelling thread itself, before it returned.
      assertThat(det.dropped(Status.Code.CANCELLED)).isEqualTo(cancelled + 1);
      assertThat(pipeline().detectionBatcher().queueDepth()).isEqualTo(n - instances - 1);
      assertThat(last).isCancelled();
    } finally {
      det.release();
    }
    for (CompletableFuture<OcrResult> f : fs) {
      assertThat(texts(f.get(SharedPipeline.TIMEOUT_SECONDS, TimeUnit.SECONDS)))
          .containsExactly("Queuedfordetection");
    }
    assertThat(det.run()).isEqualTo(ran + n - 1);
    assertThat(det.dropped(Status.Code.CANCELLED)).isEqualTo(cancelled + 1);
    assertThat(pipeline().queuedItems()).isZero();
  }

  @Test
  void verify_lineSelector_seesWholeImageBoxesInReadingOrder_andOnlyItsLinesAreRecognised() throws Exception {
    RgbImage page = TextImages.render(600, 300, Color.WHITE, Color.BLACK, List.of(
        new Line("Above the region", TextImages.latin(26), 20, 10),
        new Line("First line read", TextImages.latin(26), 20, 80),
        new Line("Second line skipped", TextImages.latin(26), 20, 140),
        new Line("Third line read", TextImages.latin(26), 20, 200))).rgb();
    List<Float> tops = new ArrayList<>();
    LineSelector everyOther = (boxes, width, height) -> {
      boxes.forEach(b -> tops.add(b.minY()));
      assertThat(width).isEqualTo(600);
      assertThat(height).isEqualTo(300);
      List<Quad> keep = new ArrayList<>();
      for (int i = 0; i < boxes.size(); i++) {
        keep.add(i % 2 == 0 ? boxes.get(i) : null);
      }
      return keep;
    };
    SharedPipeline.StageCounts rec = SharedPipeline.recognition();
    long before = rec.run();

    OcrResult res = SharedPipeline.read(new OcrRequest(page, new PixelRect(0, 60, 600, 240),
        OcrRequest.Mode.SUBTITLE, 0f, false, null, 1.0, everyOther));

    assertThat(tops).hasSize(3).isSorted().allSatisfy(y -> assertThat(y).isGreaterThanOrEqualTo(60f));
    assertThat(texts(res)).containsExactly("Firstlineread", "Thirdlineread");
    assertThat(res.lines()).extracting(TextLine::getReadingOrder).containsExactly(0, 1);
    assertThat(rec.run() - before).isEqualTo(2);
  }

  /**
   * A box of the selector's own is read in place of the detected one (here: the first word's box
   * widened over the second word, which is dropped, and made taller), and the line answers the
   * detected box grown sideways to the characters read; widened over blank paper, about the box
   * as detected.
   */
  @Test
  void verify_aBoxTheSelectorChooses_isReadInPlaceOfTheDetectedOne_andAnswersTheCharactersExtent() throws Exception {
    RgbImage page = TextImages.render(600, 200, Color.WHITE, Color.BLACK, List.of(
        new Line("Left", TextImages.latin(26), 20, 100),
        new Line("Right", TextImages.latin(26), 400, 100))).rgb();
    List<Quad> seen = new ArrayList<>();
    LineSelector overBoth = (boxes, width, height) -> {
      assertThat(boxes).as("two words far apart: two boxes").hasSize(2);
      seen.addAll(boxes);
      Quad left = boxes.get(0);
      Quad both = Quad.of(new PixelRect((int) left.minX(), (int) left.minY() - 10,
          (int) (boxes.get(1).maxX() + 100 - left.minX()), (int) (left.maxY() - left.minY()) + 20));
      List<Quad> read = new ArrayList<>();
      read.add(both);
      read.add(null);
      return read;
    };
    PixelRect region = new PixelRect(0, 60, 600, 140);

    OcrResult res = SharedPipeline.read(
        new OcrRequest(page, region, OcrRequest.Mode.SUBTITLE, 0f, false, null, 1.0, overBoth));

    assertThat(texts(res)).containsExactly("LeftRight");
    List<Float> xs = res.lines().get(0).getBox().getPointsList().stream().map(Point::getX).toList();
    float h = seen.get(0).maxY() - seen.get(0).minY();
    assertThat(xs.stream().min(Float::compare).orElseThrow()).as("left end, as detected").isEqualTo(seen.get(0).minX());
    assertThat(xs.stream().max(Float::compare).orElseThrow())
        .as("right end: at the last character read, not at the box read")
        .isBetween(seen.get(1).maxX() - h, seen.get(1).maxX() + h);
    assertThat(res.lines().get(0).getBox().getPointsList()).extracting(Point::getY).as("rows as detected, not as read")
        .containsOnly(seen.get(0).minY(), seen.get(0).maxY());

    seen.clear();
    LineSelector overBlank = (boxes, width, height) -> {
      seen.addAll(boxes);
      Quad left = boxes.get(0);
      List<Quad> read = new ArrayList<>();
      read.add(Quad.of(new PixelRect((int) left.minX(), (int) left.minY(), (int) (left.maxX() + 150 - left.minX()),
          (int) (left.maxY() - left.minY()))));
      read.add(null);
      return read;
    };
    OcrResult blank = SharedPipeline.read(
        new OcrRequest(page, region, OcrRequest.Mode.SUBTITLE, 0f, false, null, 1.0, overBlank));
    assertThat(texts(blank)).containsExactly("Left");
    List<Float> blankXs = blank.lines().get(0).getBox().getPointsList().stream().map(Point::getX).toList();
    assertThat(blankXs.stream().min(Float::compare).orElseThrow()).isEqualTo(seen.get(0).minX());
    assertThat(blankXs.stream().max(Float::compare).orElseThrow()).as("nothing more read: about the box as detected")
        .isBetween(seen.get(0).maxX(), seen.get(0).maxX() + h / 2);
  }

  @Test
  void verify_reread_ofTheLinesFound_readsThemAsRecognizeDid_withoutDetection() throws Exception {
    List<Line> before = List.of(
        new Line("First line read", TextImages.latin(26), 20, 80),
        new Line("Second line read", TextImages.latin(26), 20, 140));
    RgbImage page = TextImages.render(600, 300, Color.WHITE, Color.BLACK, before).rgb();
    PixelRect region = new PixelRect(0, 60, 600, 240);
    OcrRequest request = new OcrRequest(page, region, OcrRequest.Mode.SUBTITLE, 0f, false, null);
    OcrResult first = SharedPipeline.read(request);
    assertThat(texts(first)).containsExactly("Firstlineread", "Secondlineread");
    List<Quad> boxes = first.lines().stream().map(OcrResult::boxOf).toList();
    SharedPipeline.StageCounts det = SharedPipeline.detection();
    SharedPipeline.StageCounts rec = SharedPipeline.recognition();
    long detected = det.run();
    long recognised = rec.run();

    OcrResult again = reread(request, boxes);

    assertThat(again.lines()).extracting(TextLine::getText)
        .containsExactlyElementsOf(first.lines().stream().map(TextLine::getText).toList());
    for (int i = 0; i < boxes.size(); i++) {
      for (int k = 0; k < 4; k++) {
        assertThat(OcrResult.boxOf(again.lines().get(i)).x(k)).isCloseTo(boxes.get(i).x(k), within(0.01f));
        assertThat(OcrResult.boxOf(again.lines().get(i)).y(k)).isCloseTo(boxes.get(i).y(k), within(0.01f));
      }
    }
    assertThat(det.run() - detected).as("detection items run").isZero();
    assertThat(rec.run() - recognised).as("line crops recognised").isEqualTo(2);

    // The same boxes over changed text read the new text.
    RgbImage changed = TextImages.render(600, 300, Color.WHITE, Color.BLACK, List.of(
        before.get(0), new Line("Second line gone", TextImages.latin(26), 20, 140))).rgb();
    OcrRequest changedRequest = new OcrRequest(changed, region, OcrRequest.Mode.SUBTITLE, 0f, false, null);
    assertThat(texts(reread(changedRequest, boxes))).containsExactly("Firstlineread", "Secondlinegone");
    assertThat(det.run() - detected).as("detection items run").isZero();
  }

  private static OcrResult reread(OcrRequest request, List<Quad> boxes) {
    return pipeline().reread(request, boxes).orTimeout(SharedPipeline.TIMEOUT_SECONDS, TimeUnit.SECONDS).join();
  }

  @Test
  void verify_cancelledRequest_waitingForRecognition_withdrawsItsQueuedLines() throws Exception {
    List<Line> lines = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      lines.add(new Line("Line number " + (i + 1) + " of the page", TextImages.latin(22), 20, 10 + 36 * i));
    }
    RgbImage page = TextImages.render(560, 450, Color.WHITE, Color.BLACK, lines).rgb();
    SharedPipeline.StageCounts rec = SharedPipeline.recognition();
    long before = rec.run();
    OcrResult whole = SharedPipeline.read(OcrRequest.of(page));
    long crops = rec.run() - before;
    assertThat(whole.lines()).extracting(TextLine::getText).hasSizeGreaterThanOrEqualTo(10);
    assertThat(crops).isGreaterThanOrEqualTo(whole.lines().size());

    // The recognition workers are held once they have taken one crop each, so the other crops
    // stay queued until the request is cancelled (not for as long as the real models take).
    int instances = pipeline().recognitionBatcher().instances();
    assertThat(crops).isGreaterThan(instances + 3);
    long ran = rec.run();
    long cancelled = rec.dropped(Status.Code.CANCELLED);
    CompletableFuture<OcrResult> f;
    rec.hold();
    try {
      f = pipeline().recognize(OcrRequest.of(page));
      // Every crop is submitted (the queue only grows while the workers are held).
      await().atMost(Duration.ofSeconds(SharedPipeline.TIMEOUT_SECONDS))
          .until(() -> rec.workersHeld() == instances
              && pipeline().recognitionBatcher().queueDepth() == crops - instances);
      assertThat(f.cancel(false)).isTrue();
      // The queued crops are withdrawn by the cancelling thread itself, before it returned.
      assertThat(rec.dropped(Status.Code.CANCELLED) - cancelled).as("crops withdrawn").isEqualTo(crops - instances);
      assertThat(pipeline().recognitionBatcher().queueDepth()).isZero();
    } finally {
      rec.release();
    }
    // The crops the held workers had taken still run (their results are discarded).
    await().atMost(Duration.ofSeconds(SharedPipeline.TIMEOUT_SECONDS))
        .until(() -> rec.run() - ran == instances);
    assertThat(rec.dropped(Status.Code.CANCELLED) - cancelled).as("crops withdrawn").isEqualTo(crops - instances);
    assertThat(f).isCancelled();
    assertThat(pipeline().queuedItems()).isZero();
  }

  @Test
  void verify_timing_splitsQueueWaitFromStageWork_andThePartsFitTheWallTime() throws Exception {
    RgbImage page = TextImages.render(480, 120, Color.WHITE, Color.BLACK, List.of(
        new Line("Waiting in line", TextImages.latin(30), 20, 20),
        new Line("for a free session", TextImages.latin(30), 20, 70))).rgb();
    // Six requests at once on two detection and two recognition sessions: some must wait.
    long t0 = System.nanoTime();
    List<CompletableFuture<OcrResult>> all = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      all.add(pipeline().recognize(OcrRequest.of(page)));
    }
    long maxQueue = 0;
    for (CompletableFuture<OcrResult> f : all) {
      OcrResult r = f.get(SharedPipeline.TIMEOUT_SECONDS, TimeUnit.SECONDS);
      long wallUs = (System.nanoTime() - t0) / 1000;
      Timing t = r.timing();
      assertThat(texts(r)).containsExactly("Waitinginline", "forafreesession");
      assertThat(t.getDetectionUs()).isPositive();
      assertThat(t.getRecognitionUs()).isPositive();
      assertThat(t.getQueueUs() + t.getDetectionUs() + t.getRecognitionUs()).isLessThanOrEqualTo(wallUs);
      maxQueue = Math.max(maxQueue, t.getQueueUs());
    }
    assertThat(maxQueue).as("queue_us of the requests that waited for a session").isPositive();
  }

  @Test
  void verify_close_answersEveryAcceptedRequest_evenThoseBetweenDetectionAndRecognition() throws Exception {
    RgbImage page = TextImages.render(480, 120, Color.WHITE, Color.BLACK, List.of(
        new Line("Drain me gently", TextImages.latin(30), 20, 20),
        new Line("before you go", TextImages.latin(30), 20, 70))).rgb();
    OcrgateConfig config = new OcrgateConfig();
    config.models = List.of(RepoPaths.modelDir().toString());
    config.engine.provider = "cpu";
    for (int round = 0; round < 3; round++) {
      OcrModule own = OcrModule.create(config);
      own.warmUp();
      List<CompletableFuture<OcrResult>> all = new ArrayList<>();
      for (int i = 0; i < 6; i++) {
        all.add(own.pipeline().recognize(OcrRequest.of(page)));
      }
      // Closing right away: detection drains, and every request it finishes must still reach a
      // recognition batcher that accepts its lines (not UNAVAILABLE "server shutting down").
      own.close();
      for (CompletableFuture<OcrResult> f : all) {
        assertThat(f).isDone();
        assertThat(texts(f.join())).containsExactly("Drainmegently", "beforeyougo");
      }
    }
  }
}
