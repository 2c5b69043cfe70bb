package dev.ocrgate.server.ocr;

import dev.ocrgate.api.v1.Point;
import dev.ocrgate.api.v1.TextLine;
import dev.ocrgate.api.v1.Timing;
import dev.ocrgate.server.config.EngineSection;
import dev.ocrgate.server.engine.OnnxEngine;
import dev.ocrgate.server.vision.CtcDecoder;
import dev.ocrgate.server.vision.PixelRect;
import dev.ocrgate.server.vision.Quad;
import dev.ocrgate.server.vision.ReadingOrder;
import dev.ocrgate.server.vision.RgbImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Synchronous OCR of one image on the caller's thread: region crop, detection, reading order,
 * line crops (tall ones turned 90°), optional direction classification, recognition, score
 * filter. The stages are exposed ({@link #detector()}, {@link #recognizer()}) so batchers can
 * drive them with batches of several requests. Also the in-process API for benchmarks:
 * {@code OcrEngine.open(modelDir, engineSettings).read(OcrRequest.of(image))}.
 *
 * <p>Thread-safe: every stage is. {@link #close} closes the sessions (and the ONNX engine when
 * this instance created it); do not call {@link #read} after.
 */
public final class OcrEngine implements AutoCloseable {
  /** Line crops per recognition inference when this engine batches by itself. */
  static final int REC_BATCH = 8;

  private final ModelRepository.ModelSet models;
  private final OnnxEngine onnx;
  private final boolean ownsOnnx;
  private final Detector detector;
  private final Recognizer recognizer;
  private final DirectionClassifier classifier;

  private OcrEngine(ModelRepository.ModelSet models, OnnxEngine onnx, boolean ownsOnnx) {
    this.models = models;
    this.onnx = onnx;
    this.ownsOnnx = ownsOnnx;
    ModelConfig c = models.config();
    this.detector = new Detector(onnx.openSession("detection", models.detection()), c.detection);
    this.recognizer = new Recognizer(
        onnx.openSession("recognition", models.recognition()), c.recognition, models.dictionary(), REC_BATCH);
    this.classifier = models.hasClassifier()
        ? new DirectionClassifier(onnx.openSession("classifier", models.classifier()), c.classifier)
        : null;
  }

  /**
   * Loads the model folder {@code modelDir} on a new ONNX engine configured by {@code settings};
   * closing the returned engine closes that too.
   *
   * @throws dev.ocrgate.server.config.ConfigException naming a missing or invalid file
   * @throws dev.ocrgate.server.engine.EngineException when a model cannot be loaded or the
   *     requested provider cannot be used
   */
  public static OcrEngine open(Path modelDir, EngineSection settings) {
    ModelRepository.ModelSet models = ModelRepository.load(modelDir);
    OnnxEngine onnx = OnnxEngine.create(settings);
    try {
      return new OcrEngine(models, onnx, true);
    } catch (RuntimeException e) {
      onnx.close();
      throw e;
    }
  }

  /** Loads {@code models} on a shared {@code onnx} engine (not closed by {@link #close}). */
  public static OcrEngine open(ModelRepository.ModelSet models, OnnxEngine onnx) {
    return new OcrEngine(models, onnx, false);
  }

  public String modelName() {
    return models.name();
  }

  /** {@code CPU} or {@code CUDA:<device>}. */
  public String provider() {
    return onnx.providerLabel();
  }

  public OnnxEngine onnx() {
    return onnx;
  }

  public Detector detector() {
    return detector;
  }

  public Recognizer recognizer() {
    return recognizer;
  }

  /** True when the model folder has a direction classifier. */
  public boolean hasClassifier() {
    return classifier != null;
  }

  /** One dummy batch per model, so the first request is not slow; checks the dictionary. */
  public void warmUp() {
    detector.warmUp();
    recognizer.warmUp();
    if (classifier != null) {
      classifier.warmUp();
    }
  }

  /**
   * Reads {@code request.image()} within {@code request.region()} (which must lie inside the
   * image; see {@link Regions#clip}). Deadlines are not checked here.
   */
  public OcrResult read(OcrRequest request) {
    RgbImage image = request.image();
    PixelRect region = request.region() == null ? PixelRect.of(image) : request.region();
    RgbImage part = image.crop(region.x(), region.y(), region.width(), region.height());
    long t0 = System.nanoTime();
    Detector.Detections det = detector.detect(List.of(part));
    List<Quad> boxes = det.boxes().get(0);
    int[] order = ReadingOrder.order(boxes);
    long t1 = System.nanoTime();
    List<RgbImage> crops = new ArrayList<>(order.length);
    for (int i : order) {
      crops.add(LineCrops.crop(part, boxes.get(i), models.config().recognition.tall_ratio));
    }
    long clsNanos = 0;
    if (classifier != null && request.classifyDirection()) {
      long c0 = System.nanoTime();
      LineCrops.turnUpsideDown(crops, classifier.upsideDown(crops));
      clsNanos = System.nanoTime() - c0;
    }
    Recognizer.Recognitions rec = recognizer.recognize(crops);
    long t2 = System.nanoTime();
    float minConfidence = request.minConfidence() > 0
        ? request.minConfidence()
        : models.config().recognition.score_threshold;
    List<TextLine> lines = lines(boxes, order, rec.texts(), minConfidence, region);
    Timing timing = Timing.newBuilder()
        .setDetectionUs((t1 - t0) / 1000)
        .setRecognitionUs((t2 - t1) / 1000)
        .setInferenceUs((det.inferenceNanos() + rec.inferenceNanos() + clsNanos) / 1000)
        .build();
    return new OcrResult(lines, timing);
  }

  static List<TextLine> lines(List<Quad> boxes, int[] order, List<CtcDecoder.Decoded> texts,
      float minConfidence, PixelRect region) {
    List<TextLine> lines = new ArrayList<>();
    for (int k = 0; k < order.length; k++) {
      CtcDecoder.Decoded d = texts.get(k);
      String text = d.text().strip();
      if (text.isEmpty() || d.confidence() < minConfidence) {
        continue;
      }
      Quad q = boxes.get(order[k]).translate(region.x(), region.y());
      lines.add(TextLine.newBuilder()
          .setText(java.text.Normalizer.normalize(text, java.text.Normalizer.Form.NFC))
          .setConfidence(d.confidence())
          .setBox(toProto(q))
          .setReadingOrder(lines.size())
          .build());
    }
    return lines;
  }

  static dev.ocrgate.api.v1.Quad toProto(Quad q) {
    dev.ocrgate.api.v1.Quad.Builder b = dev.ocrgate.api.v1.Quad.newBuilder();
    for (int i = 0; i < 4; i++) {
      b.addPoints(Point.newBuilder().setX(q.x(i)).setY(q.y(i)));
    }
    return b.build();
  }

  @Override
  public void close() {
    if (ownsOnnx) {
      onnx.close();
    }
  }
}
