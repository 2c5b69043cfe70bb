package dev.ocrgate.server.stream;

import com.google.protobuf.ByteString;
import dev.ocrgate.api.v1.Frame;
import dev.ocrgate.api.v1.Image;
import dev.ocrgate.api.v1.PixelFormat;
import dev.ocrgate.api.v1.RawImage;
import dev.ocrgate.api.v1.StreamConfig;
import dev.ocrgate.api.v1.StreamFramesRequest;
import dev.ocrgate.server.testing.ExternalTools;
import dev.ocrgate.server.vision.RgbImage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Burned-in subtitle videos made with the real ffmpeg: an SRT written by the test is rendered by
 * ffmpeg's {@code subtitles} filter (libass) onto a noisy background, encoded with libx264, and
 * decoded back into sampled RGB frames, as a client would.
 */
final class SubtitleVideo {
  private SubtitleVideo() {}

  /** One SRT entry. */
  record SrtCue(int index, long startMs, long endMs, String text) {}

  /** A decoded frame: presentation time and packed RGB8 pixels. */
  record DecodedFrame(long ptsMs, byte[] rgb) {}

  private static final Pattern TIMES = Pattern.compile(
      "(\\d+):(\\d+):(\\d+),(\\d+) --> (\\d+):(\\d+):(\\d+),(\\d+)");

  static void writeSrt(Path file, List<SrtCue> cues) throws IOException {
    StringBuilder sb = new StringBuilder();
    for (SrtCue c : cues) {
      sb.append(c.index()).append('\n')
          .append(time(c.startMs())).append(" --> ").append(time(c.endMs())).append('\n')
          .append(c.text()).append("\n\n");
    }
    Files.writeString(file, sb.toString(), StandardCharsets.UTF_8);
  }

  static List<SrtCue> parseSrt(Path file) throws IOException {
    List<SrtCue> cues = new ArrayList<>();
    for (String block : Files.readString(file, StandardCharsets.UTF_8).strip().split("\n\\s*\n")) {
      String[] lines = block.strip().split("\n");
      Matcher m = TIMES.matcher(lines[1]);
      if (!m.matches()) {
        throw new IllegalArgumentException("bad SRT times: " + lines[1]);
      }
      cues.add(new SrtCue(Integer.parseInt(lines[0].strip()), ms(m, 1), ms(m, 5),
          String.join("\n", java.util.Arrays.copyOfRange(lines, 2, lines.length))));
    }
    return cues;
  }

  /** Renders {@code srt} (in {@code dir}) onto a {@code w}×{@code h} video of {@code seconds}. */
  static Path render(Path dir, Path srt, int w, int h, double seconds, int fps) throws Exception {
    return render(dir, srt, w, h, seconds, fps, "FontName=DejaVu Sans,FontSize=22,Outline=2,MarginV=12", "");
  }

  /**
   * Like {@link #render(Path, Path, int, int, double, int)} with libass {@code force_style}
   * {@code style}, then the ffmpeg filters {@code after} (e.g. drawtext; empty for none).
   */
  static Path render(Path dir, Path srt, int w, int h, double seconds, int fps, String style, String after)
      throws Exception {
    String ffmpeg = ExternalTools.require("ffmpeg", "ffmpeg");
    Path out = dir.resolve("burned.mp4");
    String bg = String.format(Locale.ROOT, "color=c=0x203040:s=%dx%d:d=%.3f:r=%d,noise=alls=6:allf=t",
        w, h, seconds, fps);
    String subs = "subtitles=" + srt.getFileName() + ":force_style='" + style + "'"
        + (after.isEmpty() ? "" : "," + after);
    run(dir, ffmpeg, "-hide_banner", "-loglevel", "error", "-y", "-f", "lavfi", "-i", bg,
        "-vf", subs, "-c:v", "libx264", "-preset", "veryfast", "-crf", "20", "-pix_fmt", "yuv420p",
        out.getFileName().toString());
    return out;
  }

  /**
   * {@code seconds} of {@code cues} burned over ffmpeg's cellauto (a fine light-and-dark texture
   * that scrolls every frame) at 854x480, DejaVu Sans 20 with outline 2 and shadow 1, sampled at
   * 5 fps.
   */
  static List<RgbImage> overCellauto(Path dir, List<SrtCue> cues, double seconds) throws Exception {
    return burn(dir, cues, "cellauto=s=854x480:rate=5:rule=110:seed=11", 854, 480, seconds,
        "FontName=DejaVu Sans,FontSize=20,Outline=2,Shadow=1,MarginV=12");
  }

  /**
   * {@code cues} burned by libass with force_style {@code style} into {@code seconds} of the lavfi
   * source {@code background} (which sets the size and rate, e.g. {@code
   * mandelbrot=s=640x360:r=5}), encoded with libx264 and decoded back at 5 fps: frame i shows
   * time i × 200 ms.
   */
  static List<RgbImage> burn(Path dir, List<SrtCue> cues, String background, int w, int h, double seconds,
      String style) throws Exception {
    writeSrt(dir.resolve("subs.srt"), cues);
    List<RgbImage> frames = new ArrayList<>();
    for (DecodedFrame f : sample(burnVideo(dir, background, seconds, style), w, h, 5)) {
      frames.add(RgbImage.wrap(w, h, f.rgb()));
    }
    return frames;
  }

  /**
   * {@code dir}/subs.srt burned by libass with force_style {@code style} into {@code seconds} of
   * the lavfi source {@code background} (which sets the size and rate), encoded with libx264:
   * {@code dir}/burned.mp4.
   */
  static Path burnVideo(Path dir, String background, double seconds, String style) throws Exception {
    String ffmpeg = ExternalTools.require("ffmpeg", "ffmpeg");
    run(dir, ffmpeg, "-hide_banner", "-loglevel", "error", "-y", "-f", "lavfi",
        "-i", String.format(Locale.ROOT, "%s,trim=duration=%.3f", background, seconds),
        "-vf", "subtitles=subs.srt:force_style='" + style + "'",
        "-c:v", "libx264", "-preset", "veryfast", "-crf", "20", "-pix_fmt", "yuv420p", "burned.mp4");
    return dir.resolve("burned.mp4");
  }

  /** The stream's messages: {@code config}, then every frame as raw RGB8 {@code w}×{@code h}, seq from 1. */
  static List<StreamFramesRequest> requests(StreamConfig.Builder config, List<DecodedFrame> frames, int w, int h) {
    List<StreamFramesRequest> msgs = new ArrayList<>();
    msgs.add(StreamFramesRequest.newBuilder().setConfig(config).build());
    for (int i = 0; i < frames.size(); i++) {
      Image image = Image.newBuilder().setRaw(RawImage.newBuilder().setWidth(w).setHeight(h)
          .setFormat(PixelFormat.PIXEL_FORMAT_RGB8).setData(ByteString.copyFrom(frames.get(i).rgb()))).build();
      msgs.add(StreamFramesRequest.newBuilder().setFrame(Frame.newBuilder()
          .setSeq(i + 1).setPtsMs(frames.get(i).ptsMs()).setImage(image)).build());
    }
    return msgs;
  }

  /** Decodes {@code video} at {@code sampleFps} into RGB8 frames with their pts. */
  static List<DecodedFrame> sample(Path video, int w, int h, int sampleFps) throws Exception {
    String ffmpeg = ExternalTools.require("ffmpeg", "ffmpeg");
    Process p = new ProcessBuilder(ffmpeg, "-hide_banner", "-loglevel", "error", "-i",
        video.toString(), "-vf", "fps=" + sampleFps, "-f", "rawvideo", "-pix_fmt", "rgb24", "-")
        .redirectError(ProcessBuilder.Redirect.DISCARD).start();
    List<DecodedFrame> frames = new ArrayList<>();
    int size = w * h * 3;
    try (InputStream in = p.getInputStream()) {
      while (true) {
        byte[] buf = in.readNBytes(size);
        if (buf.length < size) {
          break;
        }
        frames.add(new DecodedFrame(frames.size() * 1000L / sampleFps, buf));
      }
    }
    if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IllegalStateException("ffmpeg decode failed");
    }
    return frames;
  }

  private static void run(Path dir, String... cmd) throws Exception {
    Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
    String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IllegalStateException("ffmpeg failed: " + log);
    }
  }

  private static String time(long ms) {
    return String.format(Locale.ROOT, "%02d:%02d:%02d,%03d",
        ms / 3_600_000, ms / 60_000 % 60, ms / 1000 % 60, ms % 1000);
  }

  private static long ms(Matcher m, int g) {
    return Long.parseLong(m.group(g)) * 3_600_000 + Long.parseLong(m.group(g + 1)) * 60_000
        + Long.parseLong(m.group(g + 2)) * 1000 + Long.parseLong(m.group(g + 3));
  }
}
