package dev.ocrgate.server.ocr;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ocrgate.api.v1.TextLine;
import dev.ocrgate.server.testing.BurnedFrame;
import dev.ocrgate.server.testing.TextImages;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Large English subtitles burned in by libass (ffmpeg), read by the production pipeline with the
 * shipped model.yaml: the Chinese PP-OCRv4 recogniser reads these two without their word spaces
 * ({@code Weshould leavebeforedawn}, {@code Keepthesource codewith the work} with
 * {@code recognition.word_space_probability: 0}); the space class between the letters restores them.
 * A printed line with monospaced words in it, as in a manual, is read {@code fixedsize=t rue} with
 * {@code recognition.word_gaps} off (the shipped setting); with it on, the line's ink gaps join the
 * word again. The shipped word list ({@code files.lexicon}) joins a monospaced word the model reads
 * split ({@code mi ddle}). A Chinese line reads as it is.
 */
class WordSpacesGoldenTest {
  @TempDir Path dir;

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "26|mandelbrot=s=1280x720|We should leave before dawn",
      "30|gradients=s=1280x720|Keep the source code with the work"})
  void verify_largeEnglishSubtitle_keepsItsWordSpaces(int fontSize, String source, String text) throws Exception {
    Path frame = burn(fontSize, source, text);
    OcrResult r = SharedPipeline.read(OcrRequest.of(TextImages.toRgb(ImageIO.read(frame.toFile()))));
    String read = r.lines().stream().map(TextLine::getText).collect(Collectors.joining(" "));
    assertThat(read).isEqualTo(text);
  }

  @Test
  void verify_withWordGapsOn_monospacedWordsInPrintedProse_areNotSplit() throws Exception {
    String[] parts = {"Set ", "fixedsize=true", " and ", "regular=true", " to draw the ", "distortion",
        " of a ", "plaintext", " node."};
    BufferedImage page = page(parts, 15, "DejaVu Serif", "DejaVu Sans Mono");
    try (OcrModule module = withWordGaps(
        "{insert: 0.9, remove_from: 0.4, remove_to: 0.75, min_separation: 0.8, max_overruled: 0.2}")) {
      OcrResult r = module.pipeline().recognize(OcrRequest.of(TextImages.toRgb(page)))
          .get(SharedPipeline.TIMEOUT_SECONDS, TimeUnit.SECONDS);
      assertThat(r.lines().stream().map(TextLine::getText).collect(Collectors.joining(" ")))
          .isEqualTo(String.join("", parts));
    }
  }

  /** The shipped model set with {@code recognition.word_gaps} set to {@code gaps} (a copy of model.yaml). */
  private OcrModule withWordGaps(String gaps) throws Exception {
    return withModelYaml(yaml -> yaml.replaceFirst("(?m)^  word_gaps: .*$", "  word_gaps: " + gaps));
  }

  private OcrModule withModelYaml(java.util.function.UnaryOperator<String> change) throws Exception {
    return SharedPipeline.withModelYaml(dir, change);
  }

  @Test
  void verify_shippedWordList_joinsAMonospacedWordSplitInPrint() throws Exception {
    String[] parts = {"Set ", "fixedsize", " and ", "regular", " to draw the ", "distortion", " of a ",
        "middle", " node."};
    BufferedImage page = page(parts, 13, "DejaVu Serif", "DejaVu Sans Mono");
    try (OcrModule withoutList = withModelYaml(yaml -> yaml.replaceFirst("(?m)^  lexicon: .*\\n", "")
        .replaceFirst("(?m)^  lexicon_space_probability: .*$", "  lexicon_space_probability: 0")
        .replaceFirst("(?m)^  lexicon_respell_ratio: .*$", "  lexicon_respell_ratio: 0"))) {
      OcrResult r = withoutList.pipeline().recognize(OcrRequest.of(TextImages.toRgb(page)))
          .get(SharedPipeline.TIMEOUT_SECONDS, TimeUnit.SECONDS);
      assertThat(r.lines().stream().map(TextLine::getText).collect(Collectors.joining(" ")))
          .as("without files.lexicon the monospaced word is read split")
          .contains("mi ddle");
    }
    assertThat(read(page)).isEqualTo(String.join("", parts));
  }

  @Test
  void verify_chineseLine_readsAsItIs() throws Exception {
    String text = "软件包管理系统的配置文件位于目录中";
    BufferedImage page = page(new String[] {text}, 32, "Noto Sans CJK SC", "Noto Sans CJK SC");
    assertThat(read(page)).isEqualTo(text);
  }

  private static String read(BufferedImage image) throws Exception {
    OcrResult r = SharedPipeline.read(OcrRequest.of(TextImages.toRgb(image)));
    return r.lines().stream().map(TextLine::getText).collect(Collectors.joining(" "));
  }

  /** One line of black text on a white page, its parts alternately in {@code even} and {@code odd}. */
  private static BufferedImage page(String[] parts, int size, String even, String odd) {
    Font[] fonts = {
      TextImages.requireFont(even, Font.PLAIN, size, "fonts-dejavu-core fonts-noto-cjk"),
      TextImages.requireFont(odd, Font.PLAIN, size, "fonts-dejavu-core fonts-noto-cjk")};
    BufferedImage img = new BufferedImage(900, 160, BufferedImage.TYPE_3BYTE_BGR);
    Graphics2D g = img.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, img.getWidth(), img.getHeight());
    g.setColor(Color.BLACK);
    int x = 10;
    for (int i = 0; i < parts.length; i++) {
      g.setFont(fonts[i % 2]);
      g.drawString(parts[i], x, 80);
      x += g.getFontMetrics().stringWidth(parts[i]);
    }
    g.dispose();
    return img;
  }

  private Path burn(int fontSize, String source, String text) throws Exception {
    return BurnedFrame.burn(dir, source, text, "FontName=DejaVu Sans,FontSize=" + fontSize + ",Outline=2,Shadow=1");
  }
}
