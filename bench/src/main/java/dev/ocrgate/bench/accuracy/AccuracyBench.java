package dev.ocrgate.bench.accuracy;

import dev.ocrgate.server.testing.ExternalTools;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Runs ocrgate, RapidOcr-Java and Tesseract over the evaluation sets made by
 * bench/accuracy/make-dataset.sh and writes one Markdown table (bench/results/accuracy.md).
 *
 * <p>Each system reads every image once, sequentially, after one untimed warm-up image; its text
 * per image goes to {@code <data>/out/<system>/<set>/<id>.txt} for inspection, its score on each
 * set to {@link ScoreFile} (for {@code --reuse}) as soon as the set is done. Single-threaded
 * driver; the systems themselves use {@code --threads} intra-op threads.
 */
@Command(name = "accuracy-bench", mixinStandardHelpOptions = true,
    description = "CER / word F1 / images per second of ocrgate and its peers on real material")
public final class AccuracyBench implements Callable<Integer> {
  @Option(names = "--data", defaultValue = "bench/work/accuracy")
  Path data;

  @Option(names = "--models", defaultValue = "models/ppocr-v4")
  Path models;

  @Option(names = "--systems", split = ",", defaultValue = "ocrgate,rapidocr,tesseract")
  List<String> systems;

  @Option(names = "--sets", split = ",", defaultValue = "en-pages,en-lines,en-subs,zh-pages,zh-lines")
  List<String> sets;

  @Option(names = "--limit", defaultValue = "0", description = "images per set, 0 = all")
  int limit;

  @Option(names = "--threads", defaultValue = "2", description = "intra-op threads for RapidOcr-Java (ocrgate takes its CPU batching spec from model.yaml)")
  int threads;

  @Option(names = "--warmup-seconds", defaultValue = "5",
      description = "untimed reads of each set's images (at least one) before its timed passes")
  double warmupSeconds;

  @Option(names = "--concurrency", defaultValue = "2",
      description = "read calls in flight in the throughput pass, for systems that take concurrent calls (1 = no throughput pass)")
  int concurrency;

  @Option(names = "--out", defaultValue = "bench/results/accuracy.md")
  Path out;

  @Option(names = "--reuse", split = ",", defaultValue = "",
      description = "systems whose scores are taken from previous runs (<data>/out/<system>/<set>.scores.tsv, "
          + "or <set>.first-<n>.scores.tsv with --limit n); refused unless every set has a stored score "
          + "of exactly the images this run reads")
  List<String> reuse;

  @Option(names = "--command", defaultValue = "", description = "the command line, for the report")
  String command;

  /** Opens a system by its {@code --systems} name; tests put fakes here. */
  interface Opener {
    OcrSystem open(String name) throws Exception;
  }

  Opener opener = this::open;

  @Spec
  CommandSpec spec;

  public static void main(String[] args) {
    System.exit(new CommandLine(new AccuracyBench()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    List<EvalSet> chosen = EvalSet.standard(data).stream().filter(s -> sets.contains(s.name())).toList();
    String runStarted = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
    // Reused scores are checked before anything runs: a refusal should not come after minutes of OCR.
    Map<String, List<ScoreFile.Stored>> reused = new LinkedHashMap<>();
    List<String> refusals = new ArrayList<>();
    for (String name : systems) {
      if (reuse.contains(name)) {
        List<ScoreFile.Stored> found = new ArrayList<>();
        reuseRefusal(name, chosen, found).ifPresentOrElse(refusals::add, () -> reused.put(name, found));
      }
    }
    if (!refusals.isEmpty()) {
      spec.commandLine().getErr().println(String.join("\n", refusals));
      spec.commandLine().getErr().flush();
      return 2;
    }
    List<SetScore> scores = new ArrayList<>();
    List<String> descriptions = new ArrayList<>();
    for (String name : systems) {
      if (reused.containsKey(name)) {
        descriptions.add(AccuracyReport.reusedDescription(displayName(name), reused.get(name)));
        reused.get(name).forEach(s -> scores.add(s.score()));
        continue;
      }
      try (OcrSystem system = opener.open(name)) {
        descriptions.add("**" + system.name() + "**: " + system.describe());
        scores.addAll(runSystem(system, chosen, runStarted));
      }
    }
    scores.sort(java.util.Comparator.comparingInt((SetScore s) -> sets.indexOf(s.set())));
    String report = AccuracyReport.markdown(scores, descriptions, command, data.resolve("manifest.txt"));
    Files.createDirectories(out.toAbsolutePath().getParent());
    Files.writeString(out, report, StandardCharsets.UTF_8);
    System.out.println(report);
    return 0;
  }

  /**
   * Finds, for each chosen set, the stored score of {@code name} that covers exactly the images this
   * run reads (adding it to {@code found}); else says which sets lack one and how to make them.
   */
  private Optional<String> reuseRefusal(String name, List<EvalSet> chosen, List<ScoreFile.Stored> found)
      throws Exception {
    String system = displayName(name);
    List<String> problems = new ArrayList<>();
    List<String> lacking = new ArrayList<>();
    for (EvalSet set : chosen) {
      int setImages = set.size();
      int images = set.size(limit);
      List<ScoreFile.Stored> stored = ScoreFile.stored(data, system, set.name());
      Optional<ScoreFile.Stored> match = ScoreFile.matching(stored, images, setImages);
      if (match.isPresent()) {
        found.add(match.get());
        continue;
      }
      lacking.add(set.name());
      problems.add("  - " + set.name() + ": " + (stored.isEmpty()
          ? "no stored score in " + ScoreFile.dir(data, system)
          : "this run reads " + ScoreFile.coverage(images, setImages) + ", the stored scores cover "
              + String.join("; ", stored.stream().map(s -> s.coverage() + " (run of " + s.takenAt() + ", "
                  + s.file().getFileName() + ")").toList())));
    }
    if (problems.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of("--reuse " + name + ": no stored score of " + system + " covers what this run reads on "
        + String.join(", ", lacking) + ":\n" + String.join("\n", problems) + "\n  produce it with: "
        + produceCommand(name, lacking) + "\n  (or leave " + name + " out of --reuse to measure it in this run)");
  }

  /** The command that stores {@code name}'s scores on {@code lacking} as this run would read them. */
  private String produceCommand(String name, List<String> lacking) {
    StringBuilder c = new StringBuilder("bench/accuracy/run-bench.sh --systems ").append(name)
        .append(" --sets ").append(String.join(",", lacking));
    if (limit > 0) {
      c.append(" --limit ").append(limit);
    }
    for (String option : List.of("--data", "--models", "--threads", "--warmup-seconds", "--concurrency")) {
      OptionSpec o = spec == null ? null : spec.findOption(option);
      if (o != null && !o.originalStringValues().isEmpty()) {
        c.append(' ').append(option).append(' ').append(o.originalStringValues().get(o.originalStringValues().size() - 1));
      }
    }
    return c.append(" --out /tmp/accuracy-").append(name).append(".md").toString();
  }

  private static String displayName(String name) {
    return switch (name) {
      case "rapidocr" -> "RapidOcr-Java";
      case "tesseract" -> "Tesseract";
      default -> name;
    };
  }

  private OcrSystem open(String name) throws Exception {
    return switch (name) {
      case "ocrgate" -> OcrgateSystem.create(models);
      case "rapidocr" -> RapidOcrSystem.create(threads);
      case "tesseract" -> TesseractSystem.create(ExternalTools.find("tesseract")
          .orElseThrow(() -> new IllegalStateException("apt-get install tesseract-ocr tesseract-ocr-eng tesseract-ocr-chi-sim")));
      default -> throw new CommandLine.ParameterException(new CommandLine(this), "unknown system " + name);
    };
  }

  private List<SetScore> runSystem(OcrSystem system, List<EvalSet> chosen, String runStarted) throws Exception {
    List<SetScore> out = new ArrayList<>();
    for (EvalSet set : chosen) {
      List<EvalSet.Sample> samples = set.samples(limit);
      // Untimed reads first: a JVM system's first calls on a new kind of image run interpreted
      // code (3 warm-up images left ocrgate's sequential zh-lines rate at 14.6 images/s against
      // 18.4 after 50), which would also favour the throughput pass that follows.
      long warmUntil = System.nanoTime() + (long) (warmupSeconds * 1e9);
      for (int i = 0; !samples.isEmpty() && (i == 0 || System.nanoTime() < warmUntil); i++) {
        system.read(samples.get(i % samples.size()).image(), set);
      }
      SetScore score = SetScore.empty(set.name(), system.name());
      Path dump = data.resolve("out").resolve(system.name()).resolve(set.name());
      Files.createDirectories(dump);
      for (EvalSet.Sample s : samples) {
        long t0 = System.nanoTime();
        List<OcrLine> lines = system.read(s.image(), set);
        double secs = (System.nanoTime() - t0) / 1e9;
        String own = LineOrder.asReturned(lines);
        String geo = LineOrder.geometric(lines);
        Files.writeString(dump.resolve(s.id() + ".txt"), own, StandardCharsets.UTF_8);
        TextMetrics.CharErrors e = TextMetrics.charErrors(s.truth(), own);
        score = score.plus(e, TextMetrics.charErrors(s.truth(), geo),
            TextMetrics.wordCounts(s.truth(), own), secs);
        System.err.printf("%-14s %-9s %-32s CER %.4f  %.2fs%n", system.name(), set.name(), s.id(), e.rate(), secs);
      }
      SetScore done = throughputPass(system, samples, set, score);
      Path stored = ScoreFile.write(data, runStarted, system.describe(), set.size(), done);
      System.err.printf("%-14s %-9s score stored in %s%n", system.name(), set.name(), stored);
      out.add(done);
    }
    return out;
  }

  /**
   * Reads the same images again with up to {@code --concurrency} calls in flight (what a server
   * sees under load) and records the wall time; the texts were scored in the sequential pass.
   */
  private SetScore throughputPass(OcrSystem system, List<EvalSet.Sample> samples, EvalSet set,
      SetScore score) throws Exception {
    int inFlight = Math.min(concurrency, system.maxConcurrency());
    if (inFlight <= 1 || samples.isEmpty()) {
      return score.withThroughput(1, score.seconds());
    }
    ExecutorService pool = Executors.newFixedThreadPool(inFlight);
    try {
      AtomicInteger next = new AtomicInteger();
      List<Future<?>> done = new ArrayList<>();
      long t0 = System.nanoTime();
      for (int t = 0; t < inFlight; t++) {
        done.add(pool.submit(() -> {
          for (int i; (i = next.getAndIncrement()) < samples.size(); ) {
            system.read(samples.get(i).image(), set);
          }
          return null;
        }));
      }
      for (Future<?> f : done) {
        f.get();
      }
      double secs = (System.nanoTime() - t0) / 1e9;
      System.err.printf("%-14s %-9s throughput pass, %d in flight: %.2f images/s%n", system.name(),
          set.name(), inFlight, samples.size() / secs);
      return score.withThroughput(inFlight, secs);
    } finally {
      pool.shutdownNow();
    }
  }
}
