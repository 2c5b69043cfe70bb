package dev.ocrgate.server.ocr;

import dev.ocrgate.api.v1.TextLine;
import dev.ocrgate.api.v1.Timing;
import dev.ocrgate.server.batch.BatchListener;
import dev.ocrgate.server.batch.BatchRunner;
import dev.ocrgate.server.batch.DynamicBatcher;
import dev.ocrgate.server.engine.OnnxEngine;
import dev.ocrgate.server.vision.CtcDecoder;
import dev.ocrgate.server.vision.DetResize;
import dev.ocrgate.server.vision.LatinText;
import dev.ocrgate.server.vision.LexiconSpaces;
import dev.ocrgate.server.vision.PixelRect;
import dev.ocrgate.server.vision.Quad;
import dev.ocrgate.server.vision.ReadingOrder;
import dev.ocrgate.server.vision.RecResize;
import dev.ocrgate.server.vision.RgbImage;
import dev.ocrgate.server.vision.Unclip;
import io.grpc.Status;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link OcrPipeline} with cross-request dynamic batching: a detection batcher (items = region
 * crops with their detector input size — the model's resize, capped by the request's
 * {@code detectionScale} —, batched only with items of the same input size, so no padding: requests
 * at different scales never share a batch) and a recognition batcher
 * (items = line crops, batched by padded width: the model's width bucket, or the provider's
 * {@code width_step} multiple; padding ratio = 1 − width / padded width), each served
 * by {@code instances} sessions with their own worker thread (see {@link BatchingSpec}). The
 * pre/post-processing is {@link Detector}'s and {@link Recognizer}'s; between the stages (reading
 * order, line crops, optional direction classifier, assembling lines) work runs on the
 * completion executor, never on a gRPC thread or a batch worker.
 *
 * <p>Request lifecycle: region clipped (INVALID_ARGUMENT outside the image) → detection item →
 * the request's {@link LineSelector} (if any) on the detected boxes → one recognition item per
 * selected line → result. With {@code recognition.latin_unclip_ratio} set, the line items of set
 * print in still images (light background, the box overlapping another line's) are cut from
 * boxes regrown to that ratio when the image's text is Latin: its widest lines are read first to
 * learn the script, and an image with a character of another script is read from its detection
 * boxes ({@link ScriptProbe}; Chinese pages read as before, Latin pages from the crop that suits
 * them).
 * {@link #reread} enters this lifecycle after detection, with the boxes it is given.
 * Cancelling the result future cancels the request's
 * queued items (removed from the batch queues); its deadline is carried into both batchers as an
 * absolute time (DEADLINE_EXCEEDED before inference). Full queues: RESOURCE_EXHAUSTED.
 *
 * <p>Shutdown ({@link #close}): detection drains, then recognition once every detected request has
 * handed over its lines (queued items still run), then the completion executor stops; all of it
 * within one drain timeout ({@code server.drain_timeout_seconds} in the server), after which
 * what is still queued fails with UNAVAILABLE. The sessions belong to the {@link OnnxEngine},
 * closed by its owner.
 */
public final class BatchedOcrPipeline implements OcrPipeline, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(BatchedOcrPipeline.class);
  /** The drain timeout of {@link #create} without one: the default of {@code server.drain_timeout_seconds}. */
  public static final Duration DEFAULT_DRAIN_TIMEOUT = Duration.ofSeconds(30);
  /**
   * The least time the completion executor gets to deliver what the batchers failed at the end of
   * the drain (short tasks, no inference), even when the drain timeout is used up.
   */
  private static final Duration COMPLETION_GRACE = Duration.ofSeconds(1);
  /** Least median luma of a line crop's edge rows for it to count as print ({@link #latinCrops}). */
  static final int PRINT_MIN_LUMA = 180;
  /**
   * Lines read first (from their Latin crops) to learn an image's script ({@link ScriptProbe}). On
   * all 8 debian-reference-zh-cn pages of the accuracy bench the three widest held Chinese; a
   * Chinese page then costs three more line reads instead of a second pass over all its lines
   * (bench/results/word-spaces.md, Session 17).
   */
  static final int PROBE_LINES = 3;

  /** A detection item's share of one batch run, and when that run started. */
  record DetOut(List<Quad> boxes, long inferenceNanos, long startedNanos) {}

  /** A recognition item's share of one batch run, and when that run started. */
  record RecOut(CtcDecoder.Decoded text, long inferenceNanos, long startedNanos) {}

  /** Detection items batch only with items of the same detector input size. */
  record Size(int width, int height) {}

  private final ModelConfig config;
  private final DetResize detResize;
  private final RecResize recResize;
  private final DirectionClassifier classifier;
  private final boolean alwaysClassify;
  private final ExecutorService completions;
  private final DynamicBatcher<Detector.Input, DetOut> det;
  private final DynamicBatcher<RgbImage, RecOut> rec;
  private final List<Detector> detectors;
  private final List<Recognizer> recognizers;
  private final HandOvers handOvers = new HandOvers();
  private final Duration drainTimeout;
  /** Word spaces from model.yaml's word list ({@code files.lexicon}); null = none. */
  private final LexiconSpaces lexiconSpaces;

  private BatchedOcrPipeline(ModelRepository.ModelSet models, OnnxEngine onnx,
      BatchingSpec.Provider spec, BatchListener detListener, BatchListener recListener,
      boolean alwaysClassify, Duration drainTimeout) {
    if (drainTimeout.isNegative()) {
      throw new IllegalArgumentException("drain timeout must be >= 0, was " + drainTimeout);
    }
    this.drainTimeout = drainTimeout;
    this.config = models.config();
    this.lexiconSpaces = models.lexicon() == null ? null : new LexiconSpaces(models.lexicon());
    this.detResize = config.detection.resize();
    this.recResize = config.recognition.resize().withStep(spec.recognition.width_step);
    this.alwaysClassify = alwaysClassify;
    this.classifier = models.hasClassifier()
        ? new DirectionClassifier(onnx.openSession("classifier", models.classifier()), config.classifier)
        : null;
    this.completions = Executors.newFixedThreadPool(
        Math.max(2, Runtime.getRuntime().availableProcessors()), daemonThreads("ocr-complete-"));
    this.detectors = new ArrayList<>();
    for (int i = 0; i < spec.detection.instances; i++) {
      detectors.add(new Detector(onnx.openSession("detection", models.detection(),
          spec.detection.intra_op_threads), config.detection));
    }
    this.recognizers = new ArrayList<>();
    for (int i = 0; i < spec.recognition.instances; i++) {
      recognizers.add(new Recognizer(onnx.openSession("recognition", models.recognition(),
          spec.recognition.intra_op_threads), config.recognition, recResize, models.dictionary(),
          models.lexicon(), spec.recognition.max_batch_size));
    }
    String name = models.name();
    this.det = DynamicBatcher.<Detector.Input, DetOut>builder(name + "/det", spec.detection.policy())
        .completionExecutor(completions).listener(detListener).drainTimeout(drainTimeout)
        .start(detectors.stream().map(d -> (BatchRunner<Detector.Input, DetOut>)
            (shape, parts) -> detect(d, parts)).toList());
    this.rec = DynamicBatcher.<RgbImage, RecOut>builder(name + "/rec", spec.recognition.policy())
        .completionExecutor(completions).listener(recListener).drainTimeout(drainTimeout)
        .start(recognizers.stream().map(r -> (BatchRunner<RgbImage, RecOut>)
            (shape, crops) -> recognize(r, crops)).toList());
  }

  /**
   * Opens {@code instances} sessions per stage on {@code onnx} as {@code spec} says and starts
   * the batchers; {@link #close} drains for at most {@link #DEFAULT_DRAIN_TIMEOUT}.
   */
  public static BatchedOcrPipeline create(ModelRepository.ModelSet models, OnnxEngine onnx,
      BatchingSpec.Provider spec, BatchListener detListener, BatchListener recListener,
      boolean alwaysClassify) {
    return create(models, onnx, spec, detListener, recListener, alwaysClassify, DEFAULT_DRAIN_TIMEOUT);
  }

  /** As above; {@link #close} drains for at most {@code drainTimeout}, all stages together. */
  public static BatchedOcrPipeline create(ModelRepository.ModelSet models, OnnxEngine onnx,
      BatchingSpec.Provider spec, BatchListener detListener, BatchListener recListener,
      boolean alwaysClassify, Duration drainTimeout) {
    return new BatchedOcrPipeline(models, onnx, spec, detListener, recListener, alwaysClassify, drainTimeout);
  }

  /** How long {@link #close} lets queued work finish, all stages together. */
  public Duration drainTimeout() {
    return drainTimeout;
  }

  /** One dummy run per session, so the first request is not slow. */
  public void warmUp() {
    detectors.forEach(Detector::warmUp);
    recognizers.forEach(Recognizer::warmUp);
    if (classifier != null) {
      classifier.warmUp();
    }
  }

  /** Items waiting in the detection and recognition queues (for tests and gauges). */
  public int queuedItems() {
    return det.queueDepth() + rec.queueDepth();
  }

  public DynamicBatcher<Detector.Input, DetOut> detectionBatcher() {
    return det;
  }

  public DynamicBatcher<RgbImage, RecOut> recognitionBatcher() {
    return rec;
  }

  /**
   * The detection stage of each detection instance, as the batcher runs it (for benchmarks that
   * time a stage alone). Thread-safe to call; running it competes with the batcher's worker.
   */
  public List<Detector> detectors() {
    return List.copyOf(detectors);
  }

  /** The recognition stage of each recognition instance; see {@link #detectors()}. */
  public List<Recognizer> recognizers() {
    return List.copyOf(recognizers);
  }

  @Override
  public CompletableFuture<OcrResult> recognize(OcrRequest request) {
    PixelRect region;
    try {
      region = request.regionInImage();
    } catch (IllegalArgumentException e) {
      return outsideImage(e);
    }
    RgbImage part = request.image().crop(region.x(), region.y(), region.width(), region.height());
    PipelineRequest r = new PipelineRequest(request, region, det.deadlineNanos(request.deadline()));
    handOvers.enter();
    // Only detection sees the (possibly) smaller input; line crops are cut from `part` itself.
    // Subtitle reads are short strips: their aspect ratio is kept (see OcrRequest.Mode).
    Detector.Input input = Detector.inputFor(detResize, part, request.detectionScale(),
        request.mode() == OcrRequest.Mode.SUBTITLE);
    CompletableFuture<DetOut> detected = det.submit(input, new Size(input.width(), input.height()), 1.0, r.deadlineNanos);
    r.track(detected);
    detected.whenComplete((out, error) -> {
      try {
        if (error != null) {
          r.fail(error);
        } else {
          afterDetection(r, part, out);
        }
      } finally {
        handOvers.leave();
      }
    });
    return r.result;
  }

  /** A region outside the image: INVALID_ARGUMENT with {@link OcrRequest#regionInImage}'s client-safe message. */
  private static CompletableFuture<OcrResult> outsideImage(IllegalArgumentException e) {
    return CompletableFuture.failedFuture(Status.INVALID_ARGUMENT.withDescription(e.getMessage()).asException());
  }

  @Override
  public boolean rereads() {
    return true;
  }

  /**
   * Lines of a known place go straight to the stage after detection ({@link #afterDetection}),
   * so a line is cut, read and assembled exactly as when detected there: the same pixels give the
   * same text. On the completion executor, as detection's completions are.
   */
  @Override
  public CompletableFuture<OcrResult> reread(OcrRequest request, List<Quad> lines) {
    PixelRect region;
    try {
      region = request.regionInImage();
    } catch (IllegalArgumentException e) {
      return outsideImage(e);
    }
    OcrRequest all = new OcrRequest(request.image(), request.region(), request.mode(), request.minConfidence(),
        request.classifyDirection(), request.deadline(), 1.0, null);
    RgbImage part = request.image().crop(region.x(), region.y(), region.width(), region.height());
    PipelineRequest r = new PipelineRequest(all, region, det.deadlineNanos(request.deadline()));
    List<Quad> boxes = new ArrayList<>(lines.size());
    lines.forEach(q -> boxes.add(q.translate(-region.x(), -region.y())));
    handOvers.enter();
    try {
      completions.execute(() -> {
        try {
          afterDetection(r, part, new DetOut(boxes, 0, r.startNanos));
        } finally {
          handOvers.leave();
        }
      });
    } catch (RejectedExecutionException e) {
      handOvers.leave();
      return CompletableFuture.failedFuture(Status.UNAVAILABLE.withDescription("server shutting down").asException());
    }
    return r.result;
  }

  private void afterDetection(PipelineRequest r, RgbImage part, DetOut det) {
    if (r.result.isDone()) {
      return;
    }
    try {
      r.detectionDone(det.inferenceNanos(), det.startedNanos());
      Selected chosen = selected(r, ReadingOrder.order(det.boxes()), det.boxes());
      List<Quad> boxes = chosen.boxes();
      int[] order = chosen.order();
      r.chosen = chosen;
      List<RgbImage> crops = crops(part, boxes, order);
      List<RgbImage> first = latinFirst(r.request) ? latinCrops(part, boxes, order, crops) : crops;
      if (classifier != null && (alwaysClassify || r.request.classifyDirection())) {
        boolean[] flags = classifier.upsideDown(crops);
        LineCrops.turnUpsideDown(crops, flags);
        if (first != crops) {
          LineCrops.turnUpsideDown(first, flags);
        }
      }
      r.recognitionSubmittedNanos = System.nanoTime();
      if (first == crops) {
        List<CompletableFuture<RecOut>> lines = submitLines(r, crops);
        CompletableFuture.allOf(lines.toArray(CompletableFuture[]::new)).whenComplete((v, error) -> {
          if (error != null) {
            r.fail(error);
          } else {
            finish(r, boxes, order, lines);
          }
        });
      } else {
        new ScriptProbe(r, boxes, order, crops, first).start();
      }
    } catch (RuntimeException e) {
      log.error("OCR failed between detection and recognition", e);
      r.fail(Status.INTERNAL.withDescription("OCR failed").asException());
    }
  }

  /**
   * The boxes a request reads (detected, or as its selector chose), the detected ones, and their
   * order; {@code boxes} is the {@code detected} list itself when no box of the selector's own was
   * chosen.
   */
  private record Selected(List<Quad> boxes, List<Quad> detected, int[] order) {}

  /**
   * The request's selected boxes of {@code order}, in the same order (the reading order of all
   * detected boxes, so the lines kept are ordered as they would be among all of them), each as
   * the selector chose to read it (see {@link LineSelector#select}).
   */
  private static Selected selected(PipelineRequest r, int[] order, List<Quad> boxes) {
    LineSelector selector = r.request.lines();
    if (selector == null || order.length == 0) {
      return new Selected(boxes, boxes, order);
    }
    List<Quad> inImage = new ArrayList<>(order.length);
    for (int i : order) {
      inImage.add(boxes.get(i).translate(r.region.x(), r.region.y()));
    }
    List<Quad> chosen = selector.select(inImage, r.request.image().width(), r.request.image().height());
    if (chosen.size() != order.length) {
      throw new IllegalStateException("line selector answered " + chosen.size() + " boxes for " + order.length);
    }
    List<Quad> read = boxes; // copied on the first box of the selector's own
    int[] kept = new int[order.length];
    int n = 0;
    for (int k = 0; k < order.length; k++) {
      Quad q = chosen.get(k);
      if (q != null) {
        kept[n++] = order[k];
        if (q != inImage.get(k)) { // a box of its own; the detected one is read as detected
          if (read == boxes) {
            read = new ArrayList<>(boxes);
          }
          read.set(order[k], q.translate(-r.region.x(), -r.region.y()));
        }
      }
    }
    return new Selected(read, boxes, Arrays.copyOf(kept, n));
  }

  /**
   * The answered box of each line read from a box of the selector's own, set in {@code boxes}:
   * the detected box grown sideways to the characters read ({@link
   * LineSelector#CHARACTER_MARGIN}), within the box read; its rows stay the detected ones.
   */
  private static void ownBoxes(List<Quad> boxes, List<Quad> detected, int[] order, List<CtcDecoder.Decoded> texts) {
    for (int k = 0; k < order.length; k++) {
      int i = order[k];
      Quad read = boxes.get(i);
      Quad was = detected.get(i);
      if (read == was) {
        continue;
      }
      CtcDecoder.Decoded d = texts.get(k);
      float x0 = was.minX();
      float x1 = was.maxX();
      if (!Float.isNaN(d.firstX())) {
        float margin = (float) (LineSelector.CHARACTER_MARGIN * (read.maxY() - read.minY()));
        x0 = Math.min(x0, Math.max(read.minX(), read.minX() + d.firstX() - margin));
        x1 = Math.max(x1, Math.min(read.maxX(), read.minX() + d.lastX() + margin));
      }
      boxes.set(i, Quad.of(x0, was.minY(), x1, was.minY(), x1, was.maxY(), x0, was.maxY()));
    }
  }

  /**
   * Lines are read from Latin crops first: {@code recognition.latin_unclip_ratio} set, and a still
   * image (FULL mode; a video frame's lines are never print).
   */
  private boolean latinFirst(OcrRequest request) {
    float latin = config.recognition.latin_unclip_ratio;
    return latin > 0 && latin != config.detection.unclip_ratio && request.mode() == OcrRequest.Mode.FULL;
  }

  /** The upright crop of each box, in reading order, as detected. */
  private List<RgbImage> crops(RgbImage part, List<Quad> boxes, int[] order) {
    List<RgbImage> crops = new ArrayList<>(order.length);
    for (int i : order) {
      crops.add(LineCrops.crop(part, boxes.get(i), config.recognition.tall_ratio));
    }
    return crops;
  }

  /**
   * The Latin crops: each box regrown to {@code recognition.latin_unclip_ratio} where its detected
   * crop shows dark print on a light background (median luma of its edge rows at least
   * {@link #PRINT_MIN_LUMA}) and the box overlaps another box of the image (set print, where the
   * detected crop takes in parts of the lines above and below); other lines (a lone line,
   * subtitles, text over video) keep their detected crop. {@code detected} itself when no box is
   * regrown (one recognition pass then).
   */
  private List<RgbImage> latinCrops(RgbImage part, List<Quad> boxes, int[] order, List<RgbImage> detected) {
    float from = config.detection.unclip_ratio;
    float to = config.recognition.latin_unclip_ratio;
    List<RgbImage> crops = new ArrayList<>(order.length);
    boolean regrown = false;
    for (int k = 0; k < order.length; k++) {
      boolean print = crowded(boxes, order[k]) && LineCrops.lightBackground(detected.get(k), PRINT_MIN_LUMA);
      crops.add(print
          ? LineCrops.crop(part, Unclip.regrow(boxes.get(order[k]), from, to), config.recognition.tall_ratio)
          : detected.get(k));
      regrown |= print;
    }
    return regrown ? crops : detected;
  }

  /** Whether the bounding box of {@code boxes[i]} overlaps (with positive area) another one's. */
  static boolean crowded(List<Quad> boxes, int i) {
    Quad a = boxes.get(i);
    for (int j = 0; j < boxes.size(); j++) {
      Quad b = boxes.get(j);
      if (j != i && a.minX() < b.maxX() && b.minX() < a.maxX() && a.minY() < b.maxY() && b.minY() < a.maxY()) {
        return true;
      }
    }
    return false;
  }

  private List<CompletableFuture<RecOut>> submitLines(PipelineRequest r, List<RgbImage> crops) {
    List<CompletableFuture<RecOut>> lines = new ArrayList<>(crops.size());
    for (RgbImage crop : crops) {
      int width = recResize.scaledWidth(crop);
      int bucket = recResize.bucket(width);
      CompletableFuture<RecOut> f = rec.submit(crop, bucket, Math.min(1.0, (double) width / bucket), r.deadlineNanos);
      r.track(f);
      lines.add(f);
    }
    return lines;
  }

  /**
   * How a still image with set print ({@link #latinCrops} regrew a box) is read: the script
   * decides which crops suit it, and the script is known only from recognition. So the
   * {@link #PROBE_LINES} widest lines are read first, from their Latin crops. When they all hold
   * Latin text, the other lines are read from their Latin crops too; when any line then holds a
   * character of another script, or a probe line already did (a Chinese page), every line is
   * read from its detected crop instead and those texts are the result, exactly as without the
   * setting. A line whose Latin crop is its detected crop is read once for both.
   *
   * <p>Invariant: the result holds either every line's detected-crop text or every line's
   * Latin-crop text, the latter only when all of them are Latin text. A pass that may submit
   * another holds a {@link HandOvers} entry until it has, so {@link #close} waits for it.
   */
  private final class ScriptProbe {
    private final PipelineRequest r;
    private final List<Quad> boxes;
    private final int[] order;
    private final List<RgbImage> detected;
    private final List<RgbImage> latin;
    /** Readings of the Latin and of the detected crops, in reading order (null = not read). */
    private final List<CompletableFuture<RecOut>> fromLatin;
    private final List<CompletableFuture<RecOut>> fromDetected;

    ScriptProbe(PipelineRequest r, List<Quad> boxes, int[] order, List<RgbImage> detected, List<RgbImage> latin) {
      this.r = r;
      this.boxes = boxes;
      this.order = order;
      this.detected = detected;
      this.latin = latin;
      this.fromLatin = new ArrayList<>(Collections.nCopies(latin.size(), null));
      this.fromDetected = new ArrayList<>(Collections.nCopies(detected.size(), null));
    }

    void start() {
      List<CompletableFuture<RecOut>> probe = new ArrayList<>();
      for (int k : widest(latin, PROBE_LINES)) {
        probe.add(read(fromLatin, latin, k));
      }
      then(probe, () -> {
        if (!allLatin(fromLatin)) {
          readAll(fromDetected, detected, null);
          return;
        }
        readAll(fromLatin, latin, () -> {
          if (allLatin(fromLatin)) {
            finish(r, boxes, order, fromLatin);
          } else {
            readAll(fromDetected, detected, null);
          }
        });
      });
    }

    /**
     * Reads every line of {@code crops} not yet read into {@code into}; then runs {@code next},
     * or finishes with those texts when it is null.
     */
    private void readAll(List<CompletableFuture<RecOut>> into, List<RgbImage> crops, Runnable next) {
      for (int k = 0; k < crops.size(); k++) {
        read(into, crops, k);
      }
      if (next != null) {
        then(into, next);
        return;
      }
      CompletableFuture.allOf(into.toArray(CompletableFuture[]::new)).whenComplete((v, error) -> {
        if (error != null) {
          r.fail(error);
        } else {
          finish(r, boxes, order, into);
        }
      });
    }

    private CompletableFuture<RecOut> read(List<CompletableFuture<RecOut>> into, List<RgbImage> crops, int k) {
      CompletableFuture<RecOut> f = into.get(k);
      if (f == null) {
        f = submitLines(r, List.of(crops.get(k))).get(0);
        into.set(k, f);
        if (latin.get(k) == detected.get(k)) {
          fromLatin.set(k, f);
          fromDetected.set(k, f);
        }
      }
      return f;
    }

    /** Runs {@code next} once {@code lines} are read (it may submit more: a hand-over is held). */
    private void then(List<CompletableFuture<RecOut>> lines, Runnable next) {
      handOvers.enter();
      CompletableFuture.allOf(lines.stream().filter(f -> f != null).toArray(CompletableFuture[]::new))
          .whenComplete((v, error) -> {
            try {
              if (error != null) {
                r.fail(error);
              } else if (!r.result.isDone()) {
                next.run();
              }
            } catch (RuntimeException e) {
              log.error("OCR failed between recognition passes", e);
              r.fail(Status.INTERNAL.withDescription("OCR failed").asException());
            } finally {
              handOvers.leave();
            }
          });
    }
  }

  /** Whether every line read so far holds Latin text only (nulls: not read, skipped). */
  private static boolean allLatin(List<CompletableFuture<RecOut>> lines) {
    return lines.stream().allMatch(f -> f == null || LatinText.only(f.join().text().text()));
  }

  /** Indices of the {@code n} crops that are widest at recognition height (most characters), ascending. */
  private int[] widest(List<RgbImage> crops, int n) {
    return IntStream.range(0, crops.size()).boxed()
        .sorted(Comparator.comparingInt((Integer k) -> recResize.scaledWidth(crops.get(k))).reversed()
            .thenComparing(k -> k))
        .limit(n).mapToInt(Integer::intValue).sorted().toArray();
  }

  private void finish(PipelineRequest r, List<Quad> boxes, int[] order, List<CompletableFuture<RecOut>> lines) {
    List<CtcDecoder.Decoded> texts = new ArrayList<>(lines.size());
    long inference = r.detectionInferenceNanos;
    long recQueue = 0;
    boolean frame = r.request.mode() == OcrRequest.Mode.SUBTITLE;
    for (CompletableFuture<RecOut> f : lines) {
      RecOut out = f.join();
      texts.add(frame ? out.text().inFrame() : out.text());
      inference += out.inferenceNanos();
      recQueue = Math.max(recQueue, out.startedNanos() - r.recognitionSubmittedNanos);
    }
    Selected chosen = r.chosen;
    if (chosen != null && chosen.boxes() != chosen.detected()) {
      boxes = new ArrayList<>(boxes);
      ownBoxes(boxes, chosen.detected(), order, texts);
    }
    float minConfidence = r.request.minConfidence() > 0
        ? r.request.minConfidence() : config.recognition.score_threshold;
    List<TextLine> result = TextLines.assemble(boxes, order, texts, minConfidence, r.region, lexiconSpaces);
    long now = System.nanoTime();
    // Queue time: the detection item's wait, plus the longest wait of the request's line items
    // (they wait side by side); detection_us and recognition_us are the rest of each stage.
    long detQueue = Math.max(0, r.detectionStartedNanos - r.startNanos);
    recQueue = Math.max(0, recQueue);
    Timing timing = Timing.newBuilder()
        .setQueueUs((detQueue + recQueue) / 1000)
        .setDetectionUs(Math.max(0, r.detectedNanos - r.startNanos - detQueue) / 1000)
        .setRecognitionUs(Math.max(0, now - r.detectedNanos - recQueue) / 1000)
        .setInferenceUs(inference / 1000)
        .build();
    r.result.complete(new OcrResult(result, timing));
  }

  private static List<DetOut> detect(Detector d, List<Detector.Input> parts) {
    long started = System.nanoTime();
    Detector.Detections out = d.detectInputs(parts);
    long share = out.inferenceNanos() / parts.size();
    return out.boxes().stream().map(b -> new DetOut(b, share, started)).toList();
  }

  private static List<RecOut> recognize(Recognizer r, List<RgbImage> crops) {
    long started = System.nanoTime();
    Recognizer.Recognitions out = r.recognize(crops);
    long share = out.inferenceNanos() / crops.size();
    return out.texts().stream().map(t -> new RecOut(t, share, started)).toList();
  }

  /**
   * Drains the detection batcher (queued work still runs), waits until every detected request
   * has handed its lines to recognition, drains the recognition batcher, then stops the
   * completion threads, all before one deadline {@link #drainTimeout} away; a stage that is not
   * done by then has its queued items failed with UNAVAILABLE. The completion threads get at least
   * {@link #COMPLETION_GRACE} to deliver those statuses. Closing recognition as soon as detection
   * was drained would refuse the lines of requests whose detection had just finished
   * (UNAVAILABLE for a call the server had accepted).
   */
  @Override
  public void close() {
    long deadline = System.nanoTime() + drainTimeout.toNanos();
    drain(det, deadline);
    try {
      if (!handOvers.awaitNone(Duration.ofNanos(left(deadline)))) {
        log.warn("OCR pipeline: requests still between detection and recognition after the drain"
            + " timeout ({}); closing", drainTimeout);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    drain(rec, deadline);
    completions.shutdown();
    try {
      long grace = Math.max(left(deadline), COMPLETION_GRACE.toNanos());
      if (!completions.awaitTermination(grace, TimeUnit.NANOSECONDS)) {
        completions.shutdownNow();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      completions.shutdownNow();
    }
  }

  /**
   * Lets {@code batcher}'s queued items run until {@code deadline}, then fails the rest. A batch
   * already inside the engine cannot be interrupted: it gets up to one more drain timeout to
   * leave, because the sessions are closed after this pipeline.
   */
  private void drain(DynamicBatcher<?, ?> batcher, long deadline) {
    batcher.shutdown();
    try {
      if (!batcher.awaitTermination(Duration.ofNanos(left(deadline)))) {
        log.warn("OCR pipeline: drain timeout ({}) over, failing what is still queued", drainTimeout);
        batcher.shutdownNow();
        batcher.awaitTermination(drainTimeout);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      batcher.shutdownNow();
    }
  }

  private static long left(long deadline) {
    return Math.max(0, deadline - System.nanoTime());
  }

  private static ThreadFactory daemonThreads(String prefix) {
    AtomicInteger n = new AtomicInteger();
    return task -> {
      Thread t = new Thread(task, prefix + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }

  /** Counts requests submitted to detection whose lines are not yet handed to recognition. */
  private static final class HandOvers {
    private int pending;

    synchronized void enter() {
      pending++;
    }

    synchronized void leave() {
      if (--pending == 0) {
        notifyAll();
      }
    }

    synchronized boolean awaitNone(Duration timeout) throws InterruptedException {
      long deadline = System.nanoTime() + timeout.toNanos();
      while (pending > 0) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return false;
        }
        TimeUnit.NANOSECONDS.timedWait(this, left);
      }
      return true;
    }
  }

  /**
   * One request's state across stages. The result future is the only thing callers see;
   * cancelling it cancels every stage item still tracked.
   */
  private static final class PipelineRequest {
    final OcrRequest request;
    final PixelRect region;
    final long deadlineNanos;
    final long startNanos = System.nanoTime();
    final CompletableFuture<OcrResult> result = new CompletableFuture<>();
    private final List<CompletableFuture<?>> stages = new ArrayList<>();
    volatile long detectedNanos;
    /** The boxes chosen after detection (null before it). */
    volatile Selected chosen;
    volatile long detectionInferenceNanos;
    volatile long detectionStartedNanos;
    volatile long recognitionSubmittedNanos;

    PipelineRequest(OcrRequest request, PixelRect region, long deadlineNanos) {
      this.request = request;
      this.region = region;
      this.deadlineNanos = deadlineNanos;
      result.whenComplete((v, e) -> {
        if (result.isCancelled()) {
          cancelStages();
        }
      });
    }

    void track(CompletableFuture<?> stage) {
      synchronized (stages) {
        stages.add(stage);
      }
      if (result.isCancelled()) {
        stage.cancel(false);
      }
    }

    void detectionDone(long inferenceNanos, long startedNanos) {
      detectedNanos = System.nanoTime();
      detectionInferenceNanos = inferenceNanos;
      detectionStartedNanos = startedNanos;
    }

    void fail(Throwable error) {
      Throwable cause = error instanceof CompletionException && error.getCause() != null
          ? error.getCause() : error;
      if (!result.completeExceptionally(cause)) {
        return;
      }
      cancelStages();
    }

    private void cancelStages() {
      List<CompletableFuture<?>> copy;
      synchronized (stages) {
        copy = List.copyOf(stages);
      }
      copy.forEach(f -> f.cancel(false));
    }
  }
}
