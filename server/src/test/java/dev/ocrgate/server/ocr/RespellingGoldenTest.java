package dev.ocrgate.server.ocr;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ocrgate.api.v1.TextLine;
import dev.ocrgate.server.testing.ExternalTools;
import dev.ocrgate.server.testing.TextImages;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.zip.GZIPInputStream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A page of a Debian-packaged manual (graphviz-doc's dotguide.pdf, page 12, at 150 dpi as the
 * accuracy bench's en-pages-tune set has it), read by the production pipeline: without
 * {@code recognition.lexicon_respell_ratio} the Chinese PP-OCRv4 recogniser reads the typeset
 * {@code tt} of {@code attribute} and {@code attributes} as one letter; with the shipped setting
 * the word list and the model's own steps put it back, and no other word of the page changes.
 */
class RespellingGoldenTest {
  @TempDir Path dir;

  @Test
  void verify_typesetPage_getsItsLostLettersBack_andNothingElseChanges() throws Exception {
    Path pdf = ExternalTools.requireFile(Path.of("/usr/share/doc/graphviz/pdf/dotguide.pdf.gz"), "graphviz-doc");
    String pdftoppm = ExternalTools.require("pdftoppm", "poppler-utils");
    Path unpacked = dir.resolve("dotguide.pdf");
    try (InputStream in = new GZIPInputStream(Files.newInputStream(pdf))) {
      Files.copy(in, unpacked);
    }
    Process p = new ProcessBuilder(pdftoppm, "-r", "150", "-f", "12", "-l", "12", "-singlefile", "-png",
        unpacked.toString(), dir.resolve("page").toString()).redirectErrorStream(true).start();
    p.getInputStream().transferTo(java.io.OutputStream.nullOutputStream());
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).isZero();
    OcrRequest page = OcrRequest.of(TextImages.toRgb(ImageIO.read(dir.resolve("page.png").toFile())));

    String shipped = text(SharedPipeline.read(page));
    String without;
    try (OcrModule off = SharedPipeline.withModelYaml(dir,
        yaml -> yaml.replaceFirst("(?m)^  lexicon_respell_ratio: .*$", "  lexicon_respell_ratio: 0"))) {
      without = text(off.pipeline().recognize(page).get(SharedPipeline.TIMEOUT_SECONDS, TimeUnit.SECONDS));
    }
    assertThat(words(without)).containsKeys("atribute", "atributes");
    assertThat(minus(words(shipped), words(without))).isEqualTo(Map.of("attribute", 1L, "attributes", 1L));
    assertThat(minus(words(without), words(shipped))).isEqualTo(Map.of("atribute", 1L, "atributes", 1L));
  }

  private static String text(OcrResult r) {
    return r.lines().stream().map(TextLine::getText).collect(Collectors.joining("\n"));
  }

  private static Map<String, Long> words(String text) {
    return Arrays.stream(text.split("\\s+")).collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
  }

  /** The words of {@code a} beyond their count in {@code b}. */
  private static Map<String, Long> minus(Map<String, Long> a, Map<String, Long> b) {
    return a.entrySet().stream()
        .filter(e -> e.getValue() > b.getOrDefault(e.getKey(), 0L))
        .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue() - b.getOrDefault(e.getKey(), 0L)));
  }
}
