package dev.ocrgate.bench.subtitles;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * Writes bench/results/subtitles.md from the runs of bench/subtitles/run-subtitle-bench.sh: for
 * each run directory (one system on one part) its {@code measurements.tsv} (header lines
 * {@code # label: …}, {@code # command: …}, {@code # started: …}; rows: id, duration s, wall s,
 * ffmpeg decode-and-sample s, frames sampled, frames OCR'd, exit status, and in runs made since CPU
 * time was recorded: ffmpeg's CPU s, the client's CPU s with its children, the server's CPU s or -1
 * when it was not measured) and the produced
 * {@code <id>.srt}, scored with {@link SubtitleScore} against the truth {@code <set>/<id>.srt}.
 *
 * <p>Usage: {@code SubtitleReport --set DIR --results FILE RUN_DIR...}
 */
public final class SubtitleReport {
  private SubtitleReport() {}

  /**
   * One video of one run, as the runner measured it. CPU seconds are NaN when not recorded (older
   * runs: seven columns) and {@code serverCpuS} also when the server's process was not known.
   */
  record Measured(String id, double durationS, double wallS, double ffmpegS, long sampled, long ocred, int exit,
      double ffmpegCpuS, double clientCpuS, double serverCpuS) {
    static Measured parse(String line) {
      String[] f = line.split("\t");
      if (f.length != 7 && f.length != 10) {
        throw new IllegalArgumentException("a measurements row has 7 or 10 columns, not " + f.length + ": " + line);
      }
      boolean cpu = f.length == 10;
      double server = cpu ? Double.parseDouble(f[9]) : Double.NaN;
      return new Measured(f[0], Double.parseDouble(f[1]), Double.parseDouble(f[2]), Double.parseDouble(f[3]),
          Long.parseLong(f[4]), Long.parseLong(f[5]), Integer.parseInt(f[6]),
          cpu ? Double.parseDouble(f[7]) : Double.NaN, cpu ? Double.parseDouble(f[8]) : Double.NaN,
          server < 0 ? Double.NaN : server);
    }

    /** Client and server CPU over ffmpeg's own CPU for the same video (NaN when not recorded). */
    double cpuRatio() {
      return (clientCpuS + serverCpuS) / ffmpegCpuS;
    }
  }

  /** Sums over the videos of a run; a CPU sum is NaN as soon as one video lacks it. */
  private static final class Totals {
    double duration, wall, ffmpeg, ffmpegCpu, clientCpu, serverCpu;
    long sampled, ocred;

    void add(Measured m) {
      duration += m.durationS();
      wall += m.wallS();
      ffmpeg += m.ffmpegS();
      sampled += m.sampled();
      ocred += m.ocred();
      ffmpegCpu += m.ffmpegCpuS();
      clientCpu += m.clientCpuS();
      serverCpu += m.serverCpuS();
    }

    Measured asRow() {
      return new Measured("**all**", duration, wall, ffmpeg, sampled, ocred, 0, ffmpegCpu, clientCpu, serverCpu);
    }
  }

  public static void main(String[] args) throws IOException {
    Path set = null, results = null;
    List<Path> runs = new ArrayList<>();
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--set" -> set = Path.of(args[++i]);
        case "--results" -> results = Path.of(args[++i]);
        default -> runs.add(Path.of(args[i]));
      }
    }
    if (set == null || results == null || runs.isEmpty()) {
      throw new IllegalArgumentException("usage: --set DIR --results FILE RUN_DIR...");
    }
    StringBuilder md = new StringBuilder();
    header(md, set);
    for (Path run : runs) {
      section(md, set, run);
    }
    legend(md);
    Files.writeString(results, md.toString(), StandardCharsets.UTF_8);
  }

  private static void header(StringBuilder md, Path set) throws IOException {
    md.append("# Subtitles from moving footage: cue accuracy and speed\n\n")
        .append("Set: `bench/work/subtitles/").append(set.getFileName()).append("`, made by ")
        .append("`bench/subtitles/make-subtitle-set.sh --part ").append(set.getFileName()).append("` ")
        .append("(see [bench/subtitles/README.md](../subtitles/README.md)). Its manifest:\n\n```\n")
        .append(Files.readString(set.resolve("manifest.txt"), StandardCharsets.UTF_8).strip()).append("\n```\n\n")
        .append("Machine: ").append(Runtime.getRuntime().availableProcessors()).append(" cores, ")
        .append(System.getProperty("os.name")).append(' ').append(System.getProperty("os.arch")).append(", Java ")
        .append(System.getProperty("java.version")).append(".\n\n");
  }

  private static void section(StringBuilder md, Path set, Path run) throws IOException {
    List<String> lines = Files.readAllLines(run.resolve("measurements.tsv"), StandardCharsets.UTF_8);
    String label = meta(lines, "label"), command = meta(lines, "command"), started = meta(lines, "started");
    md.append("## ").append(label).append("\n\n")
        .append("Command: `").append(command).append("` (").append(started).append(")\n\n")
        .append("| video | truth cues | produced | recall | CER (all) | CER (found) | Latin WER | extra | split | start err ms mean / max "
            + "| end err ms mean / max | frames OCR'd / sampled | wall s | ffmpeg decode s | wall / ffmpeg | × real time "
            + "| ffmpeg × real time | CPU s client / server / ffmpeg | CPU / ffmpeg CPU |\n")
        .append("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: "
            + "| ---: | ---: |\n");
    SubtitleScore total = SubtitleScore.empty();
    Totals totals = new Totals();
    List<String> failures = new ArrayList<>();
    for (String line : lines) {
      if (line.startsWith("#") || line.isBlank()) {
        continue;
      }
      Measured m = Measured.parse(line);
      Path produced = run.resolve(m.id() + ".srt");
      List<Srt.Cue> out = Files.exists(produced) ? Srt.read(produced) : List.of();
      if (m.exit() != 0) {
        failures.add(m.id() + " (exit " + m.exit() + ")");
      }
      SubtitleScore s = SubtitleScore.of(Srt.read(set.resolve(m.id() + ".srt")), out);
      row(md, m, s);
      total = total.plus(s);
      totals.add(m);
    }
    row(md, totals.asRow(), total);
    md.append('\n');
    if (!failures.isEmpty()) {
      md.append("Failed runs (scored as produced, possibly empty): ").append(String.join(", ", failures)).append(".\n\n");
    }
  }

  private static void row(StringBuilder md, Measured m, SubtitleScore s) {
    long sampled = m.sampled(), ocred = m.ocred();
    double wall = m.wallS(), ffmpeg = m.ffmpegS(), duration = m.durationS();
    md.append("| ").append(m.id()).append(" | ").append(s.truthCues()).append(" | ").append(s.producedCues())
        .append(" | ").append(f(s.recall(), 3)).append(" | ").append(f(s.charErrorsAll().rate(), 3))
        .append(" | ").append(f(s.charErrorsFound().rate(), 3)).append(" | ").append(f(s.latinWer(), 3))
        .append(" | ").append(s.extra()).append(" | ").append(s.split())
        .append(" | ").append(f(s.meanStartErrorMs(), 0)).append(" / ").append(s.found() == 0 ? "–" : s.startErrorMaxMs())
        .append(" | ").append(f(s.meanEndErrorMs(), 0)).append(" / ").append(s.found() == 0 ? "–" : s.endErrorMaxMs())
        .append(" | ").append(ocred < 0 ? "?" : ocred).append(" / ").append(sampled < 0 ? "?" : sampled)
        .append(ocred < 0 || sampled == 0 ? "" : " (" + f(100.0 * ocred / sampled, 0) + " %)")
        .append(" | ").append(f(wall, 1)).append(" | ").append(f(ffmpeg, 2))
        .append(" | ").append(f(wall / ffmpeg, 1)).append(" | ").append(f(duration / wall, 2))
        .append(" | ").append(f(duration / ffmpeg, 1))
        .append(" | ").append(f(m.clientCpuS(), 2)).append(" / ").append(f(m.serverCpuS(), 2)).append(" / ")
        .append(f(m.ffmpegCpuS(), 2))
        .append(" | ").append(f(m.cpuRatio(), 1)).append(" |\n");
  }

  private static void legend(StringBuilder md) {
    md.append("""
        ## Columns

        Scored by `dev.ocrgate.bench.subtitles.SubtitleScore` on normalised text (`TextNormalizer`: a line break is a space).

        - **recall**: truth cues matched by a produced cue that overlaps it in time with CER ≤ 0.1.
        - **CER (all)**: each truth cue against its best overlapping produced cue (none: CER 1), errors / truth characters;
          **CER (found)**: the same over the found cues. **Latin WER**: word edit distance / truth words on cues without Han
          characters (– when a video has none).
        - **extra**: produced cues that match no truth cue (junk, misreads, half cues); **split**: matching produced cues
          beyond the first per truth cue.
        - **start/end err**: |truth − produced| of the found cues (earliest matching start, latest matching end), in ms; one
          sampled frame at `--fps 5` is 200 ms.
        - **frames OCR'd / sampled**: frames the system ran detection and recognition on / frames sampled (ocrgate: the
          server's `ocrgate_stream_frames_total{result="recognized"}` and the sum over all results, read from /metrics before
          and after each video; frames answered by recognising the last read lines again without detection,
          `result="verified"`, are not counted).
        - **wall s**: the whole command (JVM start, ffmpeg decode, stream, OCR, cue building). **ffmpeg decode s**:
          `ffmpeg -i VIDEO -vf fps=5 -f null -` on the same video, the physical floor. **wall / ffmpeg**: ratio of the two
          (target ≤ 1.5). **× real time**: video duration / wall (target ≥ 10 where decoding allows);
          **ffmpeg × real time**: video duration / ffmpeg decode time.
        - **CPU s client / server / ffmpeg**: user + system CPU seconds of the `ocrgate subtitles` process with its
          children (its ffmpeg and ffprobe), of the server process (when the runner knew its process id), and of the
          reference ffmpeg run above. **CPU / ffmpeg CPU**: (client + server) / ffmpeg. Wall times depend on what else
          the machine runs; CPU seconds barely do, so this column is the speed figure to compare between runs taken
          on a shared machine. On C cores the command's wall time cannot go below its CPU / C, and ffmpeg alone
          spreads its decoding over the cores too, so this ratio is roughly the smallest wall / ffmpeg the
          machine allows. – when not recorded (runs made before the CPU columns existed).
        - **all** row: sums, micro-averaged rates, maxima of the maxima.
        """);
  }

  private static String meta(List<String> lines, String key) {
    try (Stream<String> s = lines.stream()) {
      return s.filter(l -> l.startsWith("# " + key + ": ")).map(l -> l.substring(key.length() + 4)).findFirst().orElse("?");
    }
  }

  private static String f(double v, int decimals) {
    return Double.isNaN(v) || Double.isInfinite(v) ? "–" : String.format(Locale.ROOT, "%." + decimals + "f", v);
  }
}
