package dev.ocrgate.bench.streaming;

import com.google.protobuf.ByteString;
import dev.ocrgate.server.batch.BatchListener;
import dev.ocrgate.server.config.EngineSection;
import dev.ocrgate.server.engine.OnnxEngine;
import dev.ocrgate.server.ocr.BatchedOcrPipeline;
import dev.ocrgate.server.ocr.BatchingSpec;
import dev.ocrgate.server.ocr.ModelRepository;
import dev.ocrgate.server.ocr.OcrRequest;
import dev.ocrgate.server.testing.TextImages;
import dev.ocrgate.server.vision.PixelRect;
import dev.ocrgate.server.vision.RgbImage;
import java.awt.Color;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * The "raw" side of the load tests: the real-model {@link BatchedOcrPipeline} called in process
 * (no gRPC, TLS, protobuf or decode) with N requests in flight, on the same rendered 320×96
 * subtitle frames the TLS clients send. A stream frame is read as a stream reads it (SUBTITLE
 * mode, the bottom quarter); a unary Recognize as the service reads it (FULL, whole image).
 */
final class PipelineLoad implements AutoCloseable {
  static final int W = 320;
  static final int H = 96;
  private static final String[] PHRASES = {"Hello there", "Where are you going",
      "The train leaves at nine", "Bring the blue umbrella", "We will meet tomorrow",
      "Open the second door", "It is raining again", "Call me after lunch"};

  /** What one in-process request stands for. */
  enum Shape {
    STREAM_FRAME,
    RECOGNIZE
  }

  /** One measured run. Batch sizes are items per ONNX Runtime run (detection, recognition). */
  record Run(String variant, int concurrency, int items, double perSecond, Histogram latencyMicros,
      double detBatch, double recBatch) {}

  final String variant;
  private final OnnxEngine onnx;
  private final BatchedOcrPipeline pipeline;
  private final List<RgbImage> images = new ArrayList<>();
  private final List<ByteString> frames = new ArrayList<>();
  private final AtomicLong[] batchCounts = {new AtomicLong(), new AtomicLong(), new AtomicLong(), new AtomicLong()};

  PipelineLoad(String variant, Path modelDir, BatchingSpec.Provider spec) {
    this.variant = variant;
    EngineSection engine = new EngineSection();
    engine.provider = "cpu";
    onnx = OnnxEngine.create(engine);
    pipeline = BatchedOcrPipeline.create(ModelRepository.load(modelDir), onnx, spec, counter(0), counter(2), false);
    pipeline.warmUp();
    for (String p : PHRASES) {
      RgbImage rgb = TextImages.toRgb(TextImages.render(W, H, new Color(24, 32, 48), Color.WHITE,
          List.of(new TextImages.Line(p, TextImages.latin(17), 12, H - 22))).image());
      images.add(rgb);
      frames.add(ByteString.copyFrom(rgb.data()));
    }
  }

  BatchedOcrPipeline pipeline() {
    return pipeline;
  }

  /** The frames as raw RGB bytes, for clients; frame i is the image i of the in-process runs. */
  List<ByteString> frames() {
    return frames;
  }

  void resetCounts() {
    for (AtomicLong c : batchCounts) {
      c.set(0);
    }
  }

  double detBatch() {
    return ratio(batchCounts[0], batchCounts[1]);
  }

  double recBatch() {
    return ratio(batchCounts[2], batchCounts[3]);
  }

  /** {@code total} requests with {@code concurrency} in flight. */
  Run run(Shape shape, int concurrency, int total) throws Exception {
    Recorder latencies = new Recorder(3);
    resetCounts();
    Semaphore inFlight = new Semaphore(concurrency);
    List<CompletableFuture<?>> all = new ArrayList<>();
    long t0 = System.nanoTime();
    for (int i = 0; i < total; i++) {
      inFlight.acquire();
      long start = System.nanoTime();
      all.add(pipeline.recognize(request(shape, images.get(i % images.size())))
          .whenComplete((r, e) -> {
            latencies.recordValue(Math.max(1, (System.nanoTime() - start) / 1000));
            inFlight.release();
          }));
    }
    CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get(30, TimeUnit.MINUTES);
    double seconds = (System.nanoTime() - t0) / 1e9;
    return new Run(variant, concurrency, total, total / seconds, latencies.getIntervalHistogram(), detBatch(), recBatch());
  }

  private static OcrRequest request(Shape shape, RgbImage img) {
    if (shape == Shape.RECOGNIZE) {
      return OcrRequest.of(img);
    }
    PixelRect band = new PixelRect(0, H * 3 / 4, W, H - H * 3 / 4);
    return new OcrRequest(img, band, OcrRequest.Mode.SUBTITLE, 0f, false, null);
  }

  private BatchListener counter(int base) {
    return new BatchListener() {
      @Override
      public void onBatch(int size, long inferenceNanos, double paddingRatio) {
        batchCounts[base].addAndGet(size);
        batchCounts[base + 1].incrementAndGet();
      }
    };
  }

  private static double ratio(AtomicLong items, AtomicLong batches) {
    return batches.get() == 0 ? 0 : (double) items.get() / batches.get();
  }

  @Override
  public void close() {
    pipeline.close();
    onnx.close();
  }
}
