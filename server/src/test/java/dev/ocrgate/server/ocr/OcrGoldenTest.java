package dev.ocrgate.server.ocr;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ocrgate.api.v1.Point;
import dev.ocrgate.api.v1.TextLine;
import dev.ocrgate.cues.TextSimilarity;
import dev.ocrgate.server.testing.TextImages.Line;
import dev.ocrgate.server.testing.TextImages.Rendered;
import dev.ocrgate.server.testing.TextImages;
import dev.ocrgate.server.vision.PixelRect;
import dev.ocrgate.server.vision.RgbImage;
import java.awt.Color;
import java.awt.Rectangle;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Golden tests of the whole OCR as the server runs it ({@link BatchedOcrPipeline} built by
 * {@link OcrModule}, real PP-OCRv4 models on CPU) on text rendered here with real fonts: the
 * recognised text must equal what was drawn, and each box must cover where it was drawn. One
 * pipeline shared by the test JVM ({@link SharedPipeline}).
 */
class OcrGoldenTest {
  private static OcrResult read(RgbImage image) throws Exception {
    return SharedPipeline.read(OcrRequest.of(image));
  }

  private static List<String> texts(OcrResult r) {
    return r.lines().stream().map(TextLine::getText).toList();
  }

  @Test
  void verify_englishLines_areReadExactlyInReadingOrder() throws Exception {
    Rendered r = TextImages.render(900, 260, Color.WHITE, Color.BLACK, List.of(
        new Line("The quick brown fox jumps", TextImages.latin(32), 20, 10),
        new Line("over the lazy dog 12345", TextImages.latin(32), 20, 70),
        new Line("Invoice No. 2024-0117", TextImages.latin(28), 480, 140),
        new Line("Total: $1,250.00", TextImages.latin(28), 20, 190)));
    OcrResult res = read(r.rgb());
    assertTexts(res, "The quick brown fox jumps", "over the lazy dog 12345", "Invoice No. 2024-0117",
        "Total: $1,250.00");
    assertBoxesCover(res, r.bounds());
    assertThat(res.lines()).allSatisfy(l -> assertThat(l.getConfidence()).isBetween(0.8f, 1f));
    assertThat(res.lines()).extracting(TextLine::getReadingOrder).containsExactly(0, 1, 2, 3);
  }

  @Test
  void verify_chineseLines_areReadExactly() throws Exception {
    Rendered r = TextImages.render(700, 160, Color.WHITE, Color.BLACK, List.of(
        new Line("快速的棕色狐狸跳过了懒狗", TextImages.chinese(36), 20, 15),
        new Line("人工智能正在改变世界", TextImages.chinese(36), 20, 90)));
    OcrResult res = read(r.rgb());
    assertThat(texts(res)).containsExactly("快速的棕色狐狸跳过了懒狗", "人工智能正在改变世界");
    assertBoxesCover(res, r.bounds());
  }

  @Test
  void verify_mixedChineseAndLatin_isReadExactly() throws Exception {
    Rendered r = TextImages.render(760, 90, Color.WHITE, Color.BLACK, List.of(
        new Line("版本 Version 2.5 已发布", TextImages.chinese(34), 20, 20)));
    OcrResult res = read(r.rgb());
    assertTexts(res, "版本 Version 2.5 已发布");
    assertBoxesCover(res, r.bounds());
  }

  @Test
  void verify_lineTurned90Degrees_isReadFromATallBox() throws Exception {
    Rendered r = TextImages.render(600, 80, Color.WHITE, Color.BLACK, List.of(
        new Line("Rotated text line", TextImages.latin(34), 20, 15)));
    RgbImage turned = TextImages.toRgb(TextImages.rotateClockwise(r.image()));
    OcrResult res = read(turned);
    assertThat(res.lines()).hasSize(1);
    // Turned clockwise, the line reads top to bottom; the recogniser sees it turned back
    // counter-clockwise, i.e. upside down, unless... it reads it exactly either way here.
    TextLine line = res.lines().get(0);
    float w = bounds(line).width;
    float h = bounds(line).height;
    assertThat(h).isGreaterThan(3 * w);
    assertThat(cer(line.getText(), "Rotated text line")).isLessThanOrEqualTo(0.1);
  }

  @Test
  void verify_smallFont_isReadExactly() throws Exception {
    Rendered r = TextImages.render(400, 60, Color.WHITE, Color.BLACK, List.of(
        new Line("small print: terms apply", TextImages.latin(13), 10, 10),
        new Line("Version 1.0.3 build 42", TextImages.latin(13), 10, 35)));
    OcrResult res = read(r.rgb());
    assertTexts(res, "small print: terms apply", "Version 1.0.3 build 42");
    assertBoxesCover(res, r.bounds());
  }

  @Test
  void verify_whiteTextOnDarkBackground_isReadExactly() throws Exception {
    Rendered r = TextImages.render(720, 120, new Color(20, 24, 40), Color.WHITE, List.of(
        new Line("Subtitles are often white", TextImages.latin(34), 30, 10),
        new Line("字幕通常是白色的", TextImages.chinese(34), 30, 65)));
    OcrResult res = read(r.rgb());
    assertTexts(res, "Subtitles are often white", "字幕通常是白色的");
    assertBoxesCover(res, r.bounds());
  }

  @Test
  void verify_region_isReadAndBoxesAreInWholeImageCoordinates() throws Exception {
    Rendered r = TextImages.render(800, 300, Color.WHITE, Color.BLACK, List.of(
        new Line("Header outside the region", TextImages.latin(30), 20, 20),
        new Line("Only this line is read", TextImages.latin(30), 300, 220)));
    PixelRect region = new PixelRect(250, 180, 550, 120);
    OcrResult res = SharedPipeline.read(
        new OcrRequest(r.rgb(), region, OcrRequest.Mode.FULL, 0f, false, null));
    assertTexts(res, "Only this line is read");
    assertBoxesCover(res, List.of(r.bounds().get(1)));
  }

  @Test
  void verify_blankImage_hasNoLines() throws Exception {
    Rendered r = TextImages.render(320, 120, Color.WHITE, Color.BLACK, List.of());
    assertThat(read(r.rgb()).lines()).isEmpty();
  }

  /**
   * Every character exactly, in order; only spaces may be missing: PP-OCRv4's recogniser (a
   * Chinese model) often drops the space between Latin words, the same in the reference
   * pipelines. Spaces are measured by the accuracy benchmark, not pinned here.
   */
  private static void assertTexts(OcrResult res, String... want) {
    List<String> got = texts(res);
    assertThat(got.stream().map(t -> t.replace(" ", "")).toList())
        .as("recognised %s", got)
        .containsExactly(Arrays.stream(want).map(t -> t.replace(" ", "")).toArray(String[]::new));
    for (int i = 0; i < want.length; i++) {
      assertThat(cer(got.get(i), want[i])).as("CER of %s", got.get(i)).isLessThanOrEqualTo(0.2);
    }
  }

  /**
   * Each box covers the ink of the line drawn there (at least 80 % of the ink's bounds) without
   * running away from it (at most 3x its area). Not IoU: DB post-processing unclips boxes by a
   * margin proportional to the text height by design (PaddleOCR's unclip_ratio), so for small text
   * a correct box has a low IoU with the tight ink bounds.
   */
  private static void assertBoxesCover(OcrResult res, List<Rectangle> ink) {
    assertThat(res.lines()).hasSameSizeAs(ink);
    for (int i = 0; i < ink.size(); i++) {
      Rectangle box = bounds(res.lines().get(i));
      Rectangle want = ink.get(i);
      Rectangle both = box.intersection(want);
      double inter = both.isEmpty() ? 0 : (double) both.width * both.height;
      double inkArea = (double) want.width * want.height;
      assertThat(inter / inkArea).as("ink of %s covered by box %s", want, box).isGreaterThanOrEqualTo(0.8);
      assertThat((double) box.width * box.height / inkArea)
          .as("box %s vs ink %s", box, want).isLessThanOrEqualTo(3.0);
    }
  }

  private static Rectangle bounds(TextLine line) {
    float x0 = Float.MAX_VALUE;
    float y0 = Float.MAX_VALUE;
    float x1 = -Float.MAX_VALUE;
    float y1 = -Float.MAX_VALUE;
    for (Point p : line.getBox().getPointsList()) {
      x0 = Math.min(x0, p.getX());
      y0 = Math.min(y0, p.getY());
      x1 = Math.max(x1, p.getX());
      y1 = Math.max(y1, p.getY());
    }
    return new Rectangle((int) x0, (int) y0, (int) (x1 - x0), (int) (y1 - y0));
  }

  /** Character error rate: edit distance / length of the truth. */
  static double cer(String got, String want) {
    int[] w = want.codePoints().toArray();
    return (double) TextSimilarity.editDistance(got.codePoints().toArray(), w) / w.length;
  }
}
