package dev.ocrgate.server.ocr;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ocrgate.api.v1.TextLine;
import dev.ocrgate.server.testing.ExternalTools;
import dev.ocrgate.server.testing.TextImages;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Large English subtitles burned in by libass (ffmpeg), read by the production pipeline with the
 * shipped model.yaml: the Chinese PP-OCRv4 recogniser reads these two without their word spaces
 * ({@code Weshould leavebeforedawn}, {@code Keepthesource codewith the work} with
 * {@code recognition.word_space_probability: 0}); the space class between the letters restores them.
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

  private Path burn(int fontSize, String source, String text) throws Exception {
    String ffmpeg = ExternalTools.require("ffmpeg", "ffmpeg");
    Files.writeString(dir.resolve("s.srt"), "1\n00:00:00,000 --> 00:00:05,000\n" + text + "\n", StandardCharsets.UTF_8);
    Process p = new ProcessBuilder(ffmpeg, "-hide_banner", "-loglevel", "error", "-y", "-f", "lavfi", "-i", source,
        "-vf", "subtitles=s.srt:force_style='FontName=DejaVu Sans,FontSize=" + fontSize + ",Outline=2,Shadow=1'",
        "-frames:v", "1", "-pix_fmt", "rgb24", "frame.png")
        .directory(dir.toFile()).redirectErrorStream(true).redirectOutput(dir.resolve("ffmpeg.log").toFile()).start();
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("ffmpeg finished").isTrue();
    assertThat(p.exitValue()).as("ffmpeg: %s", Files.readString(dir.resolve("ffmpeg.log"))).isZero();
    return dir.resolve("frame.png");
  }
}
