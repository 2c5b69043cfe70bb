package dev.ocrgate.bench.streaming;

import dev.ocrgate.server.ocr.BatchingSpec;
import dev.ocrgate.server.ocr.ModelRepository;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.HdrHistogram.Histogram;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The out-of-process load test: {@code bin/ocrgate serve} runs as its own process (TLS, JWT auth
 * on, model.yaml batching), this JVM is only the client. At each concurrency N it runs, {@code
 * --reps} times and alternating so that the shared machine's drift stays out of the ratios:
 *
 * <ol>
 *   <li>N StreamFrames calls over TLS (every frame OCR'd) and N unary Recognize calls in flight;
 *   <li>the raw engine: the same {@link PipelineLoad} pipeline in this JVM, with the model.yaml
 *       policy, at N requests in flight, for stream frames and for Recognize images (the server
 *       process is idle meanwhile).
 * </ol>
 *
 * Then, at each of {@code --sweep-streams}, the pipeline in process over every sessions × threads
 * × batch configuration that fits the cores: the best raw configuration at that N. The ratio
 * reported is TLS / the best raw figure measured at that N in this run. Client and server share
 * the machine's cores: the client's own CPU is reported next to the server's.
 */
@Command(name = "remote", mixinStandardHelpOptions = true,
    description = "Load test against `ocrgate serve` in its own process; Markdown tables.")
public final class RemoteBench implements Callable<Integer> {
  @Option(names = "--launcher", description = "The server launcher (default: ${DEFAULT-VALUE}).")
  Path launcher = Path.of("bin/ocrgate");

  @Option(names = "--models", description = "Model folder (default: ${DEFAULT-VALUE}).")
  Path models = Path.of("models/ppocr-v4");

  @Option(names = "--streams", split = ",", description = "Concurrencies (default: 1,4,16,64).")
  int[] streams = {1, 4, 16, 64};

  @Option(names = "--frames", description = "Items per run, split over its streams, at least 4 each (default: ${DEFAULT-VALUE}).")
  int frames = 320;

  @Option(names = "--reps", description = "Repetitions per concurrency (default: ${DEFAULT-VALUE}).")
  int reps = 2;

  @Option(names = "--warmup-frames", description = "Untimed items through each path first (default: ${DEFAULT-VALUE}).")
  int warmupFrames = 400;

  @Option(names = "--sweep-streams", split = ",", description = "Concurrencies of the raw configuration sweep (default: 4,16,64).")
  int[] sweepStreams = {4, 16, 64};

  @Option(names = "--work-dir", description = "Server config, key and log (default: ${DEFAULT-VALUE}).")
  Path workDir = Path.of("bench/target/remote-load");

  public static void main(String[] args) {
    System.exit(new CommandLine(new RemoteBench()).execute(args));
  }

  /** The runs of one kind at one N. */
  private static final class Cell {
    final List<RemoteLoad.Run> remote = new ArrayList<>();
    final List<PipelineLoad.Run> raw = new ArrayList<>();
  }

  @Override
  public Integer call() throws Exception {
    BatchingSpec defaults = ModelRepository.load(models).config().batching;
    Map<Integer, Cell> streamCells = new LinkedHashMap<>();
    Map<Integer, Cell> unaryCells = new LinkedHashMap<>();
    double idleRssMb;
    try (ServerProcess server = ServerProcess.start(launcher, workDir, models, Duration.ofMinutes(10));
        PipelineLoad raw = new PipelineLoad(StreamingBench.describe(defaults.cpu), models, defaults.cpu);
        RemoteLoad remote = new RemoteLoad(server, raw.frames())) {
      System.err.println("server pid " + server.pid() + " on port " + server.port());
      remote.streams(4, Math.max(4, warmupFrames / 4));
      remote.recognize(4, warmupFrames / 2);
      raw.run(PipelineLoad.Shape.STREAM_FRAME, 4, warmupFrames);
      raw.run(PipelineLoad.Shape.RECOGNIZE, 4, warmupFrames / 2);
      idleRssMb = server.rssBytes() / (1024.0 * 1024);
      for (int n : streams) {
        int perStream = Math.max(4, frames / n);
        Cell s = streamCells.computeIfAbsent(n, k -> new Cell());
        Cell u = unaryCells.computeIfAbsent(n, k -> new Cell());
        for (int r = 0; r < reps; r++) {
          s.remote.add(remote.streams(n, perStream));
          s.raw.add(raw.run(PipelineLoad.Shape.STREAM_FRAME, n, perStream * n));
          u.remote.add(remote.recognize(n, perStream * n));
          u.raw.add(raw.run(PipelineLoad.Shape.RECOGNIZE, n, perStream * n));
        }
        System.err.printf(Locale.ROOT, "N=%d stream TLS %.1f raw %.1f; Recognize TLS %.1f raw %.1f /s%n", n,
            median(s.remote.stream().map(RemoteLoad.Run::perSecond).toList()),
            median(s.raw.stream().map(PipelineLoad.Run::perSecond).toList()),
            median(u.remote.stream().map(RemoteLoad.Run::perSecond).toList()),
            median(u.raw.stream().map(PipelineLoad.Run::perSecond).toList()));
      }
    }
    Map<Integer, List<PipelineLoad.Run>> sweep = sweep();
    print(defaults.cpu, idleRssMb, streamCells, unaryCells, sweep);
    return 0;
  }

  /** Every configuration in process at each sweep concurrency (stream frames). */
  private Map<Integer, List<PipelineLoad.Run>> sweep() throws Exception {
    Map<Integer, List<PipelineLoad.Run>> out = new LinkedHashMap<>();
    for (BatchingSpec.Provider variant : StreamingBench.sweepVariants()) {
      try (PipelineLoad load = new PipelineLoad(StreamingBench.describe(variant), models, variant)) {
        load.run(PipelineLoad.Shape.STREAM_FRAME, 4, warmupFrames / 2);
        for (int n : sweepStreams) {
          int perStream = Math.max(4, frames / n);
          out.computeIfAbsent(n, k -> new ArrayList<>()).add(load.run(PipelineLoad.Shape.STREAM_FRAME, n, perStream * n));
        }
        System.err.println("sweep " + load.variant + " done");
      }
    }
    return out;
  }

  private void print(BatchingSpec.Provider policy, double idleRssMb, Map<Integer, Cell> streamCells,
      Map<Integer, Cell> unaryCells, Map<Integer, List<PipelineLoad.Run>> sweep) {
    System.out.println("## Server in its own process: TLS + JWT vs the best raw configuration (model.yaml CPU policy: "
        + StreamingBench.describe(policy) + ")\n");
    System.out.printf(Locale.ROOT, "Server RSS when idle after warm-up: %.0f MB.%n%n", idleRssMb);
    System.out.println("| call | N | items | items/s (median) | min–max | p50 ms | p99 ms | server p50 ms | server p99 ms "
        + "| rejected | server heap peak MB | server RSS peak MB | RSS above idle per stream MB | server CPU % | client CPU % "
        + "| raw model.yaml items/s | best raw items/s (config) | TLS / best raw |");
    System.out.println("|---|---:|---:|---:|---:|---:|---:|---:|---:|---|---:|---:|---:|---:|---:|---:|---|---:|");
    for (int n : streamCells.keySet()) {
      printRow(streamCells.get(n), n, idleRssMb, sweep.get(n));
    }
    for (int n : unaryCells.keySet()) {
      printRow(unaryCells.get(n), n, idleRssMb, null);
    }
    System.out.println("\n## Raw configuration sweep (stream frames in process)\n");
    System.out.println("| N | configuration | items/s | p50 ms | p99 ms | det batch | rec batch |");
    System.out.println("|---:|---|---:|---:|---:|---:|---:|");
    sweep.forEach((n, runs) -> runs.stream()
        .sorted((x, y) -> Double.compare(y.perSecond(), x.perSecond()))
        .forEach(r -> System.out.printf(Locale.ROOT, "| %d | %s | %.1f | %.0f | %.0f | %.2f | %.2f |%n", n,
            r.variant(), r.perSecond(), ms(r.latencyMicros(), 50), ms(r.latencyMicros(), 99), r.detBatch(), r.recBatch())));
  }

  private static void printRow(Cell cell, int n, double idleRssMb, List<PipelineLoad.Run> sweepRuns) {
    List<RemoteLoad.Run> sorted = new ArrayList<>(cell.remote);
    sorted.sort((x, y) -> Double.compare(x.perSecond(), y.perSecond()));
    RemoteLoad.Run med = sorted.get(sorted.size() / 2);
    double raw = median(cell.raw.stream().map(PipelineLoad.Run::perSecond).toList());
    String bestName = "model.yaml";
    double best = raw;
    if (sweepRuns != null) {
      for (PipelineLoad.Run r : sweepRuns) {
        if (r.perSecond() > best) {
          best = r.perSecond();
          bestName = r.variant();
        }
      }
    }
    double tls = median(cell.remote.stream().map(RemoteLoad.Run::perSecond).toList());
    Map<String, Long> rejected = new java.util.TreeMap<>();
    cell.remote.forEach(r -> r.rejected().forEach((k, v) -> rejected.merge(k, v, Long::sum)));
    double heap = cell.remote.stream().mapToDouble(r -> r.server().heapMb()).max().orElse(0);
    double rss = cell.remote.stream().mapToDouble(r -> r.server().rssMb()).max().orElse(0);
    System.out.printf(Locale.ROOT,
        "| %s | %d | %d | %.1f | %.1f–%.1f | %.0f | %.0f | %s | %s | %s | %.0f | %.0f | %.1f | %.0f | %.0f | %.1f | %.1f (%s) | %.2f |%n",
        med.mode(), n, med.items(), tls, sorted.get(0).perSecond(), sorted.get(sorted.size() - 1).perSecond(),
        ms(med.latencyMicros(), 50), ms(med.latencyMicros(), 99),
        med.serverMicros() == null ? "–" : String.format(Locale.ROOT, "%.0f", ms(med.serverMicros(), 50)),
        med.serverMicros() == null ? "–" : String.format(Locale.ROOT, "%.0f", ms(med.serverMicros(), 99)),
        rejected.isEmpty() ? "0" : rejected.toString(), heap, rss, Math.max(0, rss - idleRssMb) / n,
        med.server().cpuPercent(), med.clientCpuPercent(), raw, best, bestName, tls / best);
  }

  private static double ms(Histogram h, double percentile) {
    return h.getTotalCount() == 0 ? 0 : h.getValueAtPercentile(percentile) / 1000.0;
  }

  private static double median(List<Double> values) {
    List<Double> v = new ArrayList<>(values);
    v.sort(null);
    int m = v.size() / 2;
    return v.size() % 2 == 1 ? v.get(m) : (v.get(m - 1) + v.get(m)) / 2;
  }
}
