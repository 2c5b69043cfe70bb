package dev.ocrgate.server.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** One still frame with a subtitle burned in by libass (real ffmpeg), for OCR tests. */
public final class BurnedFrame {
  private BurnedFrame() {}

  /**
   * The first frame of the lavfi {@code source} (which sets the size, e.g. {@code
   * mandelbrot=s=1280x720}) with {@code text} burned in by ffmpeg's {@code subtitles} filter with
   * force_style {@code style}, written as {@code dir}/frame.png (RGB).
   */
  public static Path burn(Path dir, String source, String text, String style) throws Exception {
    String ffmpeg = ExternalTools.require("ffmpeg", "ffmpeg");
    Files.writeString(dir.resolve("s.srt"), "1\n00:00:00,000 --> 01:00:00,000\n" + text + "\n", StandardCharsets.UTF_8);
    Process p = new ProcessBuilder(ffmpeg, "-hide_banner", "-loglevel", "error", "-y", "-f", "lavfi", "-i", source,
        "-vf", "subtitles=s.srt:force_style='" + style + "'", "-frames:v", "1", "-pix_fmt", "rgb24", "frame.png")
        .directory(dir.toFile()).redirectErrorStream(true).redirectOutput(dir.resolve("ffmpeg.log").toFile()).start();
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("ffmpeg finished").isTrue();
    assertThat(p.exitValue()).as("ffmpeg: %s", Files.readString(dir.resolve("ffmpeg.log"))).isZero();
    return dir.resolve("frame.png");
  }
}
