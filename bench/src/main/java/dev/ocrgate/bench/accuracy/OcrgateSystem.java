package dev.ocrgate.bench.accuracy;

import dev.ocrgate.api.v1.Point;
import dev.ocrgate.api.v1.TextLine;
import dev.ocrgate.server.ocr.OcrPipeline;
import dev.ocrgate.server.ocr.OcrRequest;
import dev.ocrgate.server.ocr.OcrResult;
import dev.ocrgate.server.vision.RgbImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * ocrgate in-process: file bytes → decode → {@link OcrPipeline#recognize} with FULL mode and the
 * model's default thresholds, one request at a time (the same footing as the peers, which take
 * one image per call).
 */
public final class OcrgateSystem implements OcrSystem {
  private final OcrgatePipelines.Opened opened;

  private OcrgateSystem(OcrgatePipelines.Opened opened) {
    this.opened = opened;
  }

  public static OcrgateSystem create(Path modelDir) {
    return new OcrgateSystem(OcrgatePipelines.open(modelDir));
  }

  @Override
  public String name() {
    return "ocrgate";
  }

  @Override
  public String describe() {
    return opened.description();
  }

  @Override
  public List<OcrLine> read(Path image, EvalSet set) throws Exception {
    RgbImage rgb = opened.decoder().decode(Files.readAllBytes(image));
    OcrResult result = opened.pipeline().recognize(OcrRequest.of(rgb)).get(5, TimeUnit.MINUTES);
    return toLines(result.lines());
  }

  /** The pipeline's lines with axis-aligned bounds of their quads. */
  public static List<OcrLine> toLines(List<TextLine> lines) {
    List<OcrLine> out = new ArrayList<>(lines.size());
    for (TextLine l : lines) {
      float minX = Float.MAX_VALUE, minY = Float.MAX_VALUE, maxX = 0, maxY = 0;
      for (Point p : l.getBox().getPointsList()) {
        minX = Math.min(minX, p.getX());
        minY = Math.min(minY, p.getY());
        maxX = Math.max(maxX, p.getX());
        maxY = Math.max(maxY, p.getY());
      }
      out.add(new OcrLine(l.getText(), minX, minY, maxX, maxY));
    }
    return out;
  }

  /** A server: any number of requests in flight, batched and spread over its model instances. */
  @Override
  public int maxConcurrency() {
    return Integer.MAX_VALUE;
  }

  @Override
  public void close() throws Exception {
    opened.close();
  }
}
