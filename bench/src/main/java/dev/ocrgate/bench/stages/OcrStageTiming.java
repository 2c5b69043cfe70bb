package dev.ocrgate.bench.stages;

import dev.ocrgate.server.config.EngineSection;
import dev.ocrgate.server.ocr.Detector;
import dev.ocrgate.server.ocr.OcrEngine;
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
import java.util.function.Supplier;

/**
 * Per-stage wall time of ocrgate's OCR on one machine: a 900×260 image with 4 printed lines
 * (detection, recognition of its 4 lines in one batch, whole read) and one 48×320 line
 * (recognition only). Prints a Markdown table; medians and 90th percentiles over
 * {@code --iterations} runs after {@code --warmup} runs.
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
    int threads = intArg(args, "--threads", 2);
    int iterations = intArg(args, "--iterations", 30);
    int warmup = intArg(args, "--warmup", 5);
    Path models = Path.of(System.getProperty("ocrgate.models", "models/ppocr-v4"));
    EngineSection s = new EngineSection();
    s.provider = "cpu";
    s.intra_op_threads = threads;
    try (OcrEngine engine = OcrEngine.open(models.toAbsolutePath(), s)) {
      engine.warmUp();
      RgbImage page = page();
      RgbImage line = line();
      Detector det = engine.detector();
      Recognizer rec = engine.recognizer();
      List<Quad> boxes = det.detect(List.of(page)).boxes().get(0);
      List<RgbImage> crops = new ArrayList<>();
      for (Quad q : boxes) {
        crops.add(Warp.crop(page, q));
      }
      OcrResult sample = engine.read(OcrRequest.of(page));
      System.out.println("| stage | median ms | p90 ms |");
      System.out.println("| --- | ---: | ---: |");
      row("900x260, 4 lines: detection (resize, normalise, infer, DB post)",
          time(warmup, iterations, () -> det.detect(List.of(page))));
      row("900x260, 4 lines: recognition of the " + crops.size() + " lines (one batch)",
          time(warmup, iterations, () -> rec.recognize(crops)));
      row("900x260, 4 lines: whole read (det + crops + rec)",
          time(warmup, iterations, () -> engine.read(OcrRequest.of(page))));
      row("one 48x320 line: recognition", time(warmup, iterations, () -> rec.recognize(List.of(line))));
      System.out.println();
      System.out.println("lines read: " + sample.lines().stream().map(l -> l.getText()).toList());
      System.out.println("provider " + engine.provider() + ", intra-op threads " + threads
          + ", iterations " + iterations + " after " + warmup + " warm-up runs");
    }
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
    Arrays.sort(t);
    return new double[] {t[iterations / 2], t[(int) Math.min(iterations - 1, Math.ceil(iterations * 0.9) - 1)]};
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
