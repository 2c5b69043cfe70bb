package dev.ocrgate.bench.accuracy;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** Formats the accuracy table, the targets of issue 4, the machine and the material's versions. */
final class AccuracyReport {
  private AccuracyReport() {}

  static String markdown(List<SetScore> scores, List<String> systems, String command, Path manifest)
      throws IOException {
    StringBuilder sb = new StringBuilder();
    sb.append("# OCR accuracy: ocrgate vs RapidOcr-Java vs Tesseract\n\n");
    sb.append("Generated ").append(Instant.now().truncatedTo(ChronoUnit.SECONDS))
        .append(" by `dev.ocrgate.bench.accuracy.AccuracyBench`. Numbers were taken on a shared 2-core "
            + "machine; treat images/s as ±20% (see the machine's load in the notes next to this file).\n\n");
    sb.append("Command:\n\n```\n").append(command.isBlank() ? "(not given)" : command).append("\n```\n\n");
    table(sb, scores);
    targets(sb, scores);
    sb.append("\n## How it is measured\n\n"
        + "- **CER** = Levenshtein(reference, hypothesis) / reference length, over Unicode code points, "
        + "micro-averaged over the set (total errors / total reference characters). Both texts are "
        + "normalised first (NFKC; curly quotes, dashes, bullets folded; whitespace collapsed; no space "
        + "next to a CJK character). The page reference is `pdftotext -layout` of the same page, its lines "
        + "in order; the hypothesis is the system's lines joined in **its own order** (primary column). "
        + "The **geometric** column re-orders every system's boxes the same way (rows top to bottom, boxes "
        + "left to right) and so isolates recognition from reading order.\n"
        + "- **Word F1** (English pages): multiset overlap of whitespace-separated normalised words, "
        + "insensitive to line order.\n"
        + "- **images/s, 1 in flight** = images / wall time of the read calls, sequential, after `--warmup-seconds` of untimed "
        + "reads of the set's images (at least one); each call starts from the PNG file (decode included; Tesseract includes process "
        + "start). This is latency-bound: a single caller leaves a server's other model instances idle.\n"
        + "- **throughput** = the same images read again with `--concurrency` calls in flight, for systems "
        + "that take concurrent calls (ocrgate: requests to one pipeline; Tesseract: one process per "
        + "image, shown for information); RapidOcr-Java keeps one native engine per JVM that is not safe "
        + "for concurrent calls, so its throughput is its sequential rate (with its own intra-op "
        + "threads). See the targets section for what is compared with what.\n\n");
    sb.append("## Systems\n\n");
    for (String s : systems) {
      sb.append("- ").append(s).append('\n');
    }
    sb.append("\n## Machine\n\n").append(machine()).append('\n');
    sb.append("## Material (bench/accuracy/make-dataset.sh, manifest)\n\n```\n")
        .append(Files.isRegularFile(manifest) ? Files.readString(manifest, StandardCharsets.UTF_8) : "(no manifest)\n")
        .append("```\n");
    return sb.toString();
  }

  /**
   * The Systems line of a system whose scores were reused: its description and the run each set's
   * score was taken in, once when all sets share the run, else per run (or per set when the
   * settings differ too).
   */
  static String reusedDescription(String system, List<ScoreFile.Stored> stored) {
    String head = "**" + system + "**: ";
    if (stored.isEmpty()) {
      return head + "scores reused (no set asked)";
    }
    List<String> descriptions = stored.stream().map(ScoreFile.Stored::description).distinct().toList();
    if (descriptions.size() > 1) {
      return head + "scores reused — " + String.join("; ", stored.stream()
          .map(s -> s.score().set() + ": " + s.description() + " (run of " + s.takenAt() + ")").toList());
    }
    Map<String, List<String>> setsByRun = new LinkedHashMap<>();
    for (ScoreFile.Stored s : stored) {
      setsByRun.computeIfAbsent(s.takenAt(), t -> new ArrayList<>()).add(s.score().set());
    }
    if (setsByRun.size() == 1) {
      return head + descriptions.get(0) + " — scores reused from the run of " + stored.get(0).takenAt();
    }
    return head + descriptions.get(0) + " — scores reused from the runs of " + String.join(", ",
        setsByRun.entrySet().stream().map(e -> e.getKey() + " (" + String.join(", ", e.getValue()) + ")").toList());
  }

  private static void table(StringBuilder sb, List<SetScore> scores) {
    sb.append("| set | system | images | CER (own order) | CER (geometric order) | word F1 "
        + "| images/s, 1 in flight | images/s, throughput (in flight) |\n");
    sb.append("|---|---|---:|---:|---:|---:|---:|---:|\n");
    for (SetScore s : scores) {
      boolean english = s.set().startsWith("en");
      sb.append(String.format(Locale.ROOT, "| %s | %s | %d | %.4f | %.4f | %s | %.2f | %.2f (%d) |%n",
          s.set(), s.system(), s.images(), s.ownOrder().rate(), s.geometricOrder().rate(),
          english ? String.format(Locale.ROOT, "%.4f", s.words().f1()) : "–",
          s.imagesPerSecond(), s.throughput(), Math.max(1, s.concurrency())));
    }
  }

  /**
   * The targets, judged with every system as it runs in one process at its best: ocrgate with
   * {@code --concurrency} requests in flight (a server), RapidOcr-Java one image at a time (one
   * engine per JVM, not safe for concurrent calls), Tesseract one image at a time with one thread
   * (the setting). Beside it: one image at a time for all, and Tesseract scaled to
   * several processes (a stricter comparison the issue did not ask for).
   */
  private static void targets(StringBuilder sb, List<SetScore> scores) {
    sb.append("\n## Targets of issue 4\n\n");
    sb.append("Throughput is judged with each system in one process at its best: ocrgate with its "
        + "throughput pass (requests in flight), RapidOcr-Java and Tesseract one image at a time "
        + "(RapidOcr-Java: one engine per JVM, not safe for concurrent calls; Tesseract: "
        + "`OMP_THREAD_LIMIT=1`, as the issue sets it).\n\n");
    for (String set : scores.stream().map(SetScore::set).distinct().toList()) {
      Optional<SetScore> ours = find(scores, set, "ocrgate");
      Optional<SetScore> rapid = find(scores, set, "RapidOcr-Java");
      Optional<SetScore> tess = find(scores, set, "Tesseract");
      if (ours.isEmpty()) {
        sb.append("- ").append(set).append(": ocrgate not run\n");
        continue;
      }
      double cer = ours.get().ownOrder().rate();
      if (rapid.isEmpty() && tess.isEmpty()) {
        sb.append(String.format(Locale.ROOT, "- %s: CER %.4f, no peer run%n", set, cer));
        continue;
      }
      double best = Math.min(rapid.map(s -> s.ownOrder().rate()).orElse(Double.MAX_VALUE),
          tess.map(s -> s.ownOrder().rate()).orElse(Double.MAX_VALUE));
      sb.append(String.format(Locale.ROOT, "- %s: CER %.4f vs best peer %.4f → %s", set, cer, best,
          cer <= best ? "**met**" : "**not met**"));
      SetScore o = ours.get();
      rapid.ifPresent(r -> sb.append(String.format(Locale.ROOT,
          "; throughput %.2f× RapidOcr-Java (target ≥ 2×: %s; one image at a time each: %.2f×)",
          o.throughput() / r.imagesPerSecond(), o.throughput() >= 2 * r.imagesPerSecond() ? "**met**" : "**not met**",
          o.imagesPerSecond() / r.imagesPerSecond())));
      tess.ifPresent(t -> {
        sb.append(String.format(Locale.ROOT,
            "; %.2f× Tesseract (target > 1×: %s; one image at a time each: %.2f×",
            o.throughput() / t.imagesPerSecond(), o.throughput() > t.imagesPerSecond() ? "**met**" : "**not met**",
            o.imagesPerSecond() / t.imagesPerSecond()));
        if (t.concurrency() > 1) {
          sb.append(String.format(Locale.ROOT, "; vs Tesseract in %d processes: %.2f×",
              t.concurrency(), o.throughput() / t.throughput()));
        }
        sb.append(')');
      });
      sb.append('\n');
    }
  }

  private static Optional<SetScore> find(List<SetScore> scores, String set, String system) {
    return scores.stream().filter(s -> s.set().equals(set) && s.system().equals(system)).findFirst();
  }

  private static String machine() {
    String cpu = "?";
    try {
      cpu = Files.readAllLines(Path.of("/proc/cpuinfo")).stream()
          .filter(l -> l.startsWith("model name")).findFirst()
          .map(l -> l.substring(l.indexOf(':') + 1).strip()).orElse("?");
    } catch (IOException ignored) {
      // not Linux: leave it unknown
    }
    return "- CPU: " + cpu + ", " + Runtime.getRuntime().availableProcessors() + " cores visible\n"
        + "- memory: " + (((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
            .getTotalMemorySize() >> 30) + " GiB\n"
        + "- OS: " + System.getProperty("os.name") + " " + System.getProperty("os.version") + "\n"
        + "- Java: " + System.getProperty("java.vm.name") + " " + System.getProperty("java.version") + "\n";
  }
}
