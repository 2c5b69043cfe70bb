package dev.ocrgate.bench.subtitles;

import dev.ocrgate.server.config.StreamingSection;
import dev.ocrgate.server.stream.ChangeWalk;
import dev.ocrgate.server.vision.PixelRect;
import dev.ocrgate.server.vision.RgbImage;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Rule-only replay of the SUBTITLE stream's "same subtitle as the last read frame" decisions on a
 * subtitle set, without OCR (load-independent): every video is sampled with ffmpeg ({@code fps},
 * exact decoding), each frame's area (by default the automatic band's search area: from
 * {@code streaming.subtitle_region.search_top} to the bottom, full width, which holds more background
 * than a locked band) goes through the server's own rule ({@link ChangeWalk}), and every reuse is
 * checked against the truth SRT as {@link ChangeAudit} checks it: <b>false</b> when the two frames'
 * truths differ, <b>possible</b> when they may differ only through a cue boundary within 10 ms.
 * A read frame "answers lines" when its truth shows a subtitle (a perfect OCR stands in for the
 * real one). <b>Floor</b>: the frames where the truth changes (the reads no rule can avoid).
 *
 * <p>Usage: {@code ChangeReplay --set DIR --results FILE [--fps 5] [--top 0.4]
 * [--gap-frames read|learn|reuse] [--gap-reread-ms N]}; the other settings are the server defaults.
 */
public final class ChangeReplay {
  record Row(String video, int sampled, int read, int falseReuses, int possible, int floor) {}

  private ChangeReplay() {}

  public static void main(String[] args) throws Exception {
    Path set = null;
    Path results = null;
    double fps = 5;
    StreamingSection settings = new StreamingSection();
    double top = settings.subtitle_region.search_top;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--set" -> set = Path.of(args[++i]);
        case "--results" -> results = Path.of(args[++i]);
        case "--fps" -> fps = Double.parseDouble(args[++i]);
        case "--top" -> top = Double.parseDouble(args[++i]);
        case "--gap-frames" -> settings.gap_frames = args[++i];
        case "--gap-reread-ms" -> settings.gap_reread_ms = Long.parseLong(args[++i]);
        default -> throw new IllegalArgumentException("unknown argument " + args[i]);
      }
    }
    if (set == null || results == null) {
      throw new IllegalArgumentException("usage: ChangeReplay --set DIR --results FILE [--fps N] [--top F]"
          + " [--gap-frames read|learn|reuse] [--gap-reread-ms N]");
    }
    settings.validate();
    List<Path> videos;
    try (Stream<Path> files = Files.list(set)) {
      videos = files.filter(p -> p.toString().endsWith(".mp4")).sorted().toList();
    }
    List<Row> rows = new ArrayList<>();
    for (Path video : videos) {
      Row row = replay(video, fps, top, settings);
      System.err.println(row);
      rows.add(row);
    }
    Files.writeString(results, table(rows, String.join(" ", args)), StandardCharsets.UTF_8);
  }

  static Row replay(Path video, double fps, double top, StreamingSection settings) throws Exception {
    List<Srt.Cue> truth = Srt.read(Path.of(video.toString().replaceAll("\\.mp4$", ".srt")));
    VideoProbe probe = VideoProbe.of(video);
    int w = probe.width();
    int h = probe.height();
    double sourceFps = probe.fps();
    long interval = Math.round(1000 / fps);
    int y0 = Math.max(0, Math.min(h - 1, (int) Math.floor(top * h + 1e-6)));
    PixelRect roi = new PixelRect(0, y0, w, h - y0);
    ChangeWalk walk = ChangeWalk.of(settings);
    Process ffmpeg = new ProcessBuilder("ffmpeg", "-nostdin", "-loglevel", "error", "-i", video.toString(), "-an",
        "-vf", "fps=" + fps, "-f", "rawvideo", "-pix_fmt", "rgb24", "-")
        .redirectError(ProcessBuilder.Redirect.INHERIT).start();
    int n = 0;
    int read = 0;
    int falseReuses = 0;
    int possible = 0;
    int floor = 0;
    Set<String> previous = null;
    List<Set<String>> shown = new ArrayList<>();
    try (DataInputStream in = new DataInputStream(ffmpeg.getInputStream())) {
      byte[] buffer = new byte[w * h * 3];
      for (;; n++) {
        try {
          in.readFully(buffer);
        } catch (EOFException e) {
          break;
        }
        Set<String> now = ChangeAudit.shown(truth, ChangeAudit.sourceTime(n, interval, sourceFps));
        shown.add(now);
        floor += now.equals(previous) ? 0 : 1;
        previous = now;
        int source = walk.next(RgbImage.wrap(w, h, buffer.clone()), roi, n * interval);
        if (source == n) {
          read++;
          walk.answered(now.stream().noneMatch(String::isEmpty));
        } else if (!now.equals(shown.get(source))) {
          Set<String> common = new LinkedHashSet<>(now);
          common.retainAll(shown.get(source));
          if (common.isEmpty()) {
            falseReuses++;
          } else {
            possible++;
          }
        }
      }
    }
    if (ffmpeg.waitFor() != 0) {
      throw new IOException("ffmpeg failed on " + video);
    }
    return new Row(video.getFileName().toString(), n, read, falseReuses, possible, floor);
  }

  static String table(List<Row> rows, String args) {
    StringBuilder sb = new StringBuilder();
    sb.append("| video | frames read / sampled | false reuses | possible | floor |\n");
    sb.append("| --- | ---: | ---: | ---: | ---: |\n");
    int[] sum = new int[5];
    for (Row r : rows) {
      sb.append(line(r.video(), r.sampled(), r.read(), r.falseReuses(), r.possible(), r.floor()));
      int[] v = {r.sampled(), r.read(), r.falseReuses(), r.possible(), r.floor()};
      for (int i = 0; i < v.length; i++) {
        sum[i] += v[i];
      }
    }
    sb.append(line("**all**", sum[0], sum[1], sum[2], sum[3], sum[4]));
    sb.append("\nCommand: `bench/subtitles/change-replay.sh ").append(args).append("`\n");
    return sb.toString();
  }

  private static String line(String video, int sampled, int read, int falseReuses, int possible, int floor) {
    return String.format(Locale.ROOT, "| %s | %d / %d (%.1f %%) | %d | %d | %d (%.1f %%) |%n", video, read, sampled,
        sampled == 0 ? 0.0 : 100.0 * read / sampled, falseReuses, possible, floor,
        sampled == 0 ? 0.0 : 100.0 * floor / sampled);
  }
}
