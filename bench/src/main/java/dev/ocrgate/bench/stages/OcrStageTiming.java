package dev.ocrgate.bench.stages;

import dev.ocrgate.api.v1.TextLine;
import dev.ocrgate.api.v1.Timing;
import dev.ocrgate.server.batch.BatchListener;
import dev.ocrgate.server.config.EngineSection;
import dev.ocrgate.server.engine.OnnxEngine;
import dev.ocrgate.server.ocr.BatchedOcrPipeline;
import dev.ocrgate.server.ocr.BatchingSpec;
import dev.ocrgate.server.ocr.Detector;
import dev.ocrgate.server.ocr.ModelRepository;
import dev.ocrgate.server.ocr.OcrRequest;
import dev.ocrgate.server.ocr.OcrResult;
import dev.ocrgate.server.ocr.Recognizer;
import dev.ocrgate.server.vision.Quad;
import dev.ocrgate.server.vision.RgbImage;
import dev.ocrgate.server.vision.Warp;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import java.util.function.ToLongFunction;

/**
 * Per-stage wall time of ocrgate's production OCR on one machine, on a 900×260 image with 4
 * printed lines and one 48×320 line. The pipeline is the server's {@link BatchedOcrPipeline}
 * with the CPU batching spec of the model folder's model.yaml; each stage is timed alone through
 * the pipeline's own {@link Detector} and {@link Recognizer} (one session each; the recogniser
 * cuts the lines into batches of at most the spec's {@code max_batch_size}), then whole reads go
 * through the pipeline's batchers, with the split the pipeline reports in its {@link Timing}.
 * Prints a Markdown table; medians and 90th percentiles over {@code --iterations} runs after
 * {@code --warmup} runs.
 *
 * <p>{@code --threads n} sets the intra-op threads of every detection and recognition session
 * (model.yaml's {@code batching.cpu.*.intra_op_threads}, used when it is not given).
 *
 * <pre>
 * mvn -B -q -pl bench -am package -DskipTests
 * java -cp "bench/target/classes:$(cat bench/target/classpath.txt)" \
 *   dev.ocrgate.bench.stages.OcrStageTiming [--threads 2] [--iterations 30] [--warmup 5]
 * </pre>
 */
public final class OcrStageTiming {
  private OcrStageTiming() {}

  public static void main(String[] args) throws Exception {
    int threads = intArg(args, "--threads", 0);
    int iterations = intArg(args, "--iterations", 30);
    int warmup = intArg(args, "--warmup", 5);
    if (threads < 0 || iterations < 1 || warmup < 0) {
      throw new IllegalArgumentException("need --threads >= 0, --iterations >= 1, --warmup >= 0");
    }
    Path modelDir = Path.of(System.getProperty("ocrgate.models", "models/ppocr-v4")).toAbsolutePath();
    ModelRepository.ModelSet models = ModelRepository.load(modelDir);
    EngineSection s = new EngineSection();
    s.provider = "cpu";
    s.intra_op_threads = threads;
    try (OnnxEngine onnx = OnnxEngine.create(s)) {
      // This run's own copy of model.yaml: the override goes no further.
      BatchingSpec.Provider spec = models.config().batching.forProvider(onnx.providerLabel());
      if (threads > 0) {
        spec.detection.intra_op_threads = threads;
        spec.recognition.intra_op_threads = threads;
      }
      try (BatchedOcrPipeline pipeline = BatchedOcrPipeline.create(models, onnx, spec,
          BatchListener.NONE, BatchListener.NONE, false)) {
        pipeline.warmUp();
        run(pipeline, spec, onnx.providerLabel(), iterations, warmup);
      }
    }
  }

  private static void run(BatchedOcrPipeline pipeline, BatchingSpec.Provider spec, String provider,
      int iterations, int warmup) {
    RgbImage page = page();
    RgbImage line = line();
    Detector det = pipeline.detectors().get(0);
    Recognizer rec = pipeline.recognizers().get(0);
    List<Quad> boxes = det.detect(List.of(page)).boxes().get(0);
    List<RgbImage> crops = new ArrayList<>();
    for (Quad q : boxes) {
      crops.add(Warp.crop(page, q));
    }
    OcrResult sample = read(pipeline, page);
    System.out.println("| stage | median ms | p90 ms |");
    System.out.println("| --- | ---: | ---: |");
    row("900x260, 4 lines: detection alone (resize, normalise, infer, DB post)",
        time(warmup, iterations, () -> det.detect(List.of(page))));
    row("900x260, 4 lines: recognition alone of the " + crops.size() + " lines (batches of at most "
        + spec.recognition.max_batch_size + ")", time(warmup, iterations, () -> rec.recognize(crops)));
    row("one 48x320 line: recognition alone", time(warmup, iterations, () -> rec.recognize(List.of(line))));
    List<Timing> timings = new ArrayList<>();
    row("900x260, 4 lines: whole read through the pipeline (det + crops + rec, batchers)",
        time(warmup, iterations, () -> timings.add(read(pipeline, page).timing())));
    List<Timing> measured = timings.subList(warmup, timings.size());
    row("whole read as the pipeline reports it: queue_us (detection wait + longest line wait)",
        micros(measured, Timing::getQueueUs));
    row("whole read as the pipeline reports it: detection_us (detection, no queue)",
        micros(measured, Timing::getDetectionUs));
    row("whole read as the pipeline reports it: recognition_us (crops + recognition, no queue)",
        micros(measured, Timing::getRecognitionUs));
    row("whole read as the pipeline reports it: inference_us (inside ONNX Runtime, summed over"
        + " sessions running in parallel)",
        micros(measured, Timing::getInferenceUs));
    System.out.println();
    System.out.println("lines read: " + sample.lines().stream().map(TextLine::getText).toList());
    System.out.println("provider " + provider + "; detection " + stage(spec.detection)
        + "; recognition " + stage(spec.recognition) + ", width_step " + spec.recognition.width_step
        + "; iterations " + iterations + " after " + warmup + " warm-up runs");
  }

  private static OcrResult read(BatchedOcrPipeline pipeline, RgbImage image) {
    try {
      return pipeline.recognize(OcrRequest.of(image)).get(60, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("OCR failed", e);
    }
  }

  private static String stage(BatchingSpec.Stage s) {
    return s.instances + " instance(s) x " + s.intra_op_threads + " intra-op thread(s), max batch "
        + s.max_batch_size;
  }

  private static void row(String name, double[] ms) {
    System.out.printf("| %s | %.1f | %.1f |%n", name, ms[0], ms[1]);
  }

  private static double[] time(int warmup, int iterations, Supplier<?> task) {
    for (int i = 0; i < warmup; i++) {
      task.get();
    }
    double[] t = new double[iterations];
    for (int i = 0; i < iterations; i++) {
      long t0 = System.nanoTime();
      task.get();
      t[i] = (System.nanoTime() - t0) / 1e6;
    }
    return medianAndP90(t);
  }

  private static double[] micros(List<Timing> timings, ToLongFunction<Timing> field) {
    return medianAndP90(timings.stream().mapToDouble(t -> field.applyAsLong(t) / 1e3).toArray());
  }

  private static double[] medianAndP90(double[] ms) {
    double[] t = ms.clone();
    Arrays.sort(t);
    int n = t.length;
    return new double[] {t[n / 2], t[(int) Math.min(n - 1, Math.ceil(n * 0.9) - 1)]};
  }

  private static RgbImage page() {
    BufferedImage img = new BufferedImage(900, 260, BufferedImage.TYPE_3BYTE_BGR);
    Graphics2D g = canvas(img);
    g.setFont(new Font("DejaVu Sans", Font.PLAIN, 32));
    g.drawString("The quick brown fox jumps", 20, 45);
    g.drawString("over the lazy dog 12345", 20, 105);
    g.setFont(new Font("Noto Sans CJK SC", Font.PLAIN, 32));
    g.drawString("快速的棕色狐狸跳过了懒狗", 20, 165);
    g.drawString("Mixed 中文 and English", 20, 225);
    g.dispose();
    return rgb(img);
  }

  private static RgbImage line() {
    BufferedImage img = new BufferedImage(320, 48, BufferedImage.TYPE_3BYTE_BGR);
    Graphics2D g = canvas(img);
    g.setFont(new Font("DejaVu Sans", Font.PLAIN, 26));
    g.drawString("Invoice 2024-0117", 8, 34);
    g.dispose();
    return rgb(img);
  }

  private static Graphics2D canvas(BufferedImage img) {
    Graphics2D g = img.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, img.getWidth(), img.getHeight());
    g.setColor(Color.BLACK);
    return g;
  }

  private static RgbImage rgb(BufferedImage img) {
    byte[] bgr = ((java.awt.image.DataBufferByte) img.getRaster().getDataBuffer()).getData();
    byte[] out = new byte[bgr.length];
    for (int i = 0; i < bgr.length; i += 3) {
      out[i] = bgr[i + 2];
      out[i + 1] = bgr[i + 1];
      out[i + 2] = bgr[i];
    }
    return RgbImage.wrap(img.getWidth(), img.getHeight(), out);
  }

  private static int intArg(String[] args, String name, int def) {
    for (int i = 0; i + 1 < args.length; i++) {
      if (args[i].equals(name)) {
        return Integer.parseInt(args[i + 1]);
      }
    }
    return def;
  }
}
