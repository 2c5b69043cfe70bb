package dev.ocrgate.bench.accuracy;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ocrgate.server.ocr.OcrRequest;
import dev.ocrgate.server.ocr.OcrResult;
import dev.ocrgate.server.testing.ExternalTools;
import dev.ocrgate.server.testing.RepoPaths;
import java.awt.Font;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Keeps ocrgate's accuracy from rotting silently: real text (see resources/accuracy/SOURCES.md)
 * rendered at test time with fonts-noto-cjk, read by the production pipeline on the real PP-OCRv4
 * models, CER compared with committed ceilings. The ceilings sit a little above what the pipeline
 * measured when they were set (the numbers are in the constants' comments); lowering a ceiling
 * after an improvement is welcome, raising one needs a reason in the commit.
 *
 * <p>The full comparison against RapidOcr-Java and Tesseract lives in AccuracyBench
 * (bench/results/accuracy.md); this test needs nothing but the fonts and the models.
 */
class AccuracyRegressionTest {
  /**
   * Ten Chinese lines (225 characters), Noto Sans/Serif CJK SC at 28 and 36 px. Measured
   * 2026-11-27: ocrgate 0.0000 (0 errors), RapidOcr-Java on the same images 0.0000. The ceiling
   * allows 2 errors, for font rasteriser differences between machines.
   */
  static final double ZH_LINES_CER_CEILING = 0.01;
  /**
   * Eight English lines of a manual (572 characters), Noto Serif CJK SC (its Latin glyphs) at
   * 24 px. Measured 2026-11-27: ocrgate 0.0000, RapidOcr-Java 0.0017. The ceiling allows 5 errors.
   */
  static final double EN_BLOCK_CER_CEILING = 0.01;

  private static OcrgatePipelines.Opened opened;

  @BeforeAll
  static void openPipeline() throws Exception {
    for (LineRenderer.CjkFont f : List.of(LineRenderer.CjkFont.NOTO_SANS_SC, LineRenderer.CjkFont.NOTO_SERIF_SC)) {
      requireFont(f);
    }
    opened = OcrgatePipelines.open(RepoPaths.modelDir());
  }

  @AfterAll
  static void closePipeline() throws Exception {
    if (opened != null) {
      opened.close();
    }
  }

  @Test
  void verify_chineseLines_cerWithinCeiling() throws Exception {
    Font sans = LineRenderer.CjkFont.NOTO_SANS_SC.load();
    Font serif = LineRenderer.CjkFont.NOTO_SERIF_SC.load();
    List<String> lines = resourceLines("zh-lines.txt");
    TextMetrics.CharErrors total = new TextMetrics.CharErrors(0, 0);
    List<String> report = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      Font font = i % 2 == 0 ? sans : serif;
      float size = i % 4 < 2 ? 28f : 36f;
      String read = read(LineRenderer.render(lines.get(i), font, size));
      TextMetrics.CharErrors e = TextMetrics.charErrors(lines.get(i), read);
      total = total.plus(e);
      report.add(String.format(Locale.ROOT, "%.3f  %s  →  %s", e.rate(), lines.get(i), read.strip()));
    }
    assertWithin(total, ZH_LINES_CER_CEILING, report);
  }

  @Test
  void verify_englishBlock_cerWithinCeiling() throws Exception {
    List<String> lines = resourceLines("en-block.txt");
    String read = read(LineRenderer.renderBlock(lines, LineRenderer.CjkFont.NOTO_SERIF_SC.load(), 24f));
    TextMetrics.CharErrors e = TextMetrics.charErrors(String.join("\n", lines), read);
    assertWithin(e, EN_BLOCK_CER_CEILING, List.of(read));
  }

  private static String read(java.awt.image.BufferedImage img) throws Exception {
    OcrResult result = opened.pipeline().recognize(OcrRequest.of(LineRenderer.toRgb(img)))
        .get(2, TimeUnit.MINUTES);
    return LineOrder.asReturned(OcrgateSystem.toLines(result.lines()));
  }

  private static void assertWithin(TextMetrics.CharErrors e, double ceiling, List<String> detail) {
    System.out.printf(Locale.ROOT, "AccuracyRegressionTest: CER %.4f (%d/%d), ceiling %.4f%n",
        e.rate(), e.errors(), e.referenceLength(), ceiling);
    assertTrue(e.rate() <= ceiling, String.format(Locale.ROOT,
        "CER %.4f (%d errors / %d chars) above the ceiling %.4f; read:%n%s",
        e.rate(), e.errors(), e.referenceLength(), ceiling, String.join("\n", detail)));
  }

  private static List<String> resourceLines(String name) throws IOException {
    try (InputStream in = AccuracyRegressionTest.class.getResourceAsStream("/accuracy/" + name)) {
      if (in == null) {
        throw new IOException("missing test resource accuracy/" + name);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().filter(l -> !l.isBlank()).toList();
    }
  }

  /** Like {@link ExternalTools#require}: a missing font fails under CI=true and skips elsewhere. */
  private static void requireFont(LineRenderer.CjkFont font) {
    if (font.installed()) {
      return;
    }
    String msg = font.file + " not found (apt-get install " + font.aptPackage + ")";
    if (ExternalTools.inCi()) {
      throw new AssertionError("CI=true and " + msg + ": .ci/run must install it");
    }
    Assumptions.abort(msg);
  }
}
