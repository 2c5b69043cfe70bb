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
import java.util.Set;
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
 * the machine's cores: the client's own CPU is reported next to the server's, per item and (with
 * {@code --thread-cpu}) by thread group, with the JIT compilers' share apart.
 *
 * <p>Before any measured run, untimed warm-up rounds go through every path until the JIT
 * compilers are quiet ({@code --warmup-jit-ms}): the per-call code of a unary call keeps C2 busy
 * for thousands of calls, which a long-running server has long paid and a short run would charge
 * to the first N measured.
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

  @Option(names = "--warmup-frames", description = "Untimed items through each path per warm-up round (default: ${DEFAULT-VALUE}).")
  int warmupFrames = 400;

  @Option(names = "--warmup-jit-ms", description = "Warm up in rounds until a round's JIT compiler CPU, in the server"
      + " and in this JVM, is at most this many ms per item (default: ${DEFAULT-VALUE}; 0 = one round).")
  double warmupJitMs = 0.5;

  @Option(names = "--warmup-max-rounds", description = "At most this many warm-up rounds (default: ${DEFAULT-VALUE}).")
  int warmupMaxRounds = 12;

  @Option(names = "--sweep-streams", split = ",", description = "Concurrencies of the raw configuration sweep (default: 4,16,64).")
  int[] sweepStreams = {4, 16, 64};

  @Option(names = "--calls", split = ",", description = "Which TLS calls to run: stream, recognize (default: both).")
  Set<String> calls = Set.of("stream", "recognize");

  @Option(names = "--compare-unary-clients", description = "Also run, alternated with the others, Recognize from the"
      + " first client version (request built per call, future stub): what the leaner client saves.")
  boolean compareUnaryClients;

  @Option(names = "--no-sweep", description = "Skip the raw configuration sweep (model.yaml raw runs only).")
  boolean noSweep;

  @Option(names = "--thread-cpu", description = "Also print each run's CPU per item by thread group (server, client, raw).")
  boolean threadCpu;

  @Option(names = "--work-dir", description = "Server config, key and log (default: ${DEFAULT-VALUE}).")
  Path workDir = Path.of("bench/target/remote-load");

  /** Warm-up rounds run, and the JIT ms per item (server, client, raw) of the last one. */
  private int warmupRounds;
  private double[] lastWarmupJit = {0, 0, 0};

  public static void main(String[] args) {
    System.exit(new CommandLine(new RemoteBench()).execute(args));
  }

  /** The runs of one kind at one N. */
  private static final class Cell {
    final List<RemoteLoad.Run> remote = new ArrayList<>();
    final List<PipelineLoad.Run> raw = new ArrayList<>();
    /** CPU milliseconds per item of each raw run (this JVM; the server is idle meanwhile). */
    final List<Double> rawCpuMsPerItem = new ArrayList<>();
    /** JIT compiler CPU milliseconds per item of each raw run. */
    final List<Double> rawJitMsPerItem = new ArrayList<>();
    Map<String, Double> lastRawThreads = Map.of();

    void addRaw(PipelineLoad load, PipelineLoad.Shape shape, int n, int total) throws Exception {
      long cpu0 = RemoteLoad.clientCpuNanos();
      ThreadCpu threads0 = ThreadCpu.of(ProcessHandle.current().pid());
      PipelineLoad.Run run = load.run(shape, n, total);
      lastRawThreads = ThreadCpu.of(ProcessHandle.current().pid()).since(threads0);
      rawJitMsPerItem.add(1000 * jitSeconds(lastRawThreads) / run.items());
      rawCpuMsPerItem.add((RemoteLoad.clientCpuNanos() - cpu0) / 1e6 / run.items());
      raw.add(run);
    }
  }

  @Override
  public Integer call() throws Exception {
    BatchingSpec defaults = ModelRepository.load(models).config().batching;
    Map<Integer, Cell> streamCells = new LinkedHashMap<>();
    Map<Integer, Cell> unaryCells = new LinkedHashMap<>();
    Map<Integer, Cell> legacyCells = new LinkedHashMap<>();
    double idleRssMb;
    try (ServerProcess server = ServerProcess.start(launcher, workDir, models, Duration.ofMinutes(10));
        PipelineLoad raw = new PipelineLoad(StreamingBench.describe(defaults.cpu), models, defaults.cpu);
        RemoteLoad remote = new RemoteLoad(server, raw.frames())) {
      System.err.println("server pid " + server.pid() + " on port " + server.port());
      boolean doStreams = calls.contains("stream");
      boolean doUnary = calls.contains("recognize");
      warmUp(remote, raw, doStreams, doUnary);
      idleRssMb = server.rssBytes() / (1024.0 * 1024);
      for (int n : streams) {
        int perStream = Math.max(4, frames / n);
        for (int r = 0; r < reps; r++) {
          if (doStreams) {
            Cell s = streamCells.computeIfAbsent(n, k -> new Cell());
            s.remote.add(remote.streams(n, perStream));
            s.addRaw(raw, PipelineLoad.Shape.STREAM_FRAME, n, perStream * n);
            progress("stream", n, s);
          }
          if (doUnary) {
            Cell u = unaryCells.computeIfAbsent(n, k -> new Cell());
            u.remote.add(remote.recognize(n, perStream * n));
            u.addRaw(raw, PipelineLoad.Shape.RECOGNIZE, n, perStream * n);
            progress("Recognize", n, u);
            if (compareUnaryClients) {
              Cell l = legacyCells.computeIfAbsent(n, k -> new Cell());
              l.remote.add(remote.recognizeBuildingEachRequest(n, perStream * n));
              l.addRaw(raw, PipelineLoad.Shape.RECOGNIZE, n, perStream * n);
              progress("Recognize (request built per call)", n, l);
            }
          }
        }
      }
    }
    Map<Integer, List<PipelineLoad.Run>> sweep = noSweep ? Map.of() : sweep();
    print(defaults.cpu, idleRssMb, streamCells, unaryCells, legacyCells, sweep);
    return 0;
  }

  /**
   * Untimed rounds through every path until the JIT compilers are quiet. Per-call code (a new
   * HTTP/2 stream, headers, interceptors, the response) runs a few times per item, so at tens of
   * items a second C2 keeps compiling it for minutes: measured, 2-5 ms of compiler CPU per
   * Recognize call in the server after 200-1,000 calls (bench/results/remote-load.md, section 1c).
   * A round counts as quiet when the server's and this JVM's compiler threads used at most
   * {@code --warmup-jit-ms} per item in it.
   */
  private void warmUp(RemoteLoad remote, PipelineLoad raw, boolean doStreams, boolean doUnary) throws Exception {
    boolean rawQuiet = false;
    for (int round = 1; round <= warmupMaxRounds; round++) {
      double server = 0;
      double client = 0;
      int items = 0;
      double unaryTls = 0;
      double unaryRaw = 0;
      double unaryCpu = 0;
      if (doStreams) {
        RemoteLoad.Run r = remote.streams(4, Math.max(4, warmupFrames / 4));
        server += jitSeconds(r.server().cpuSecondsByThread());
        client += jitSeconds(r.clientCpuSecondsByThread());
        items += r.items();
      }
      if (doUnary) {
        RemoteLoad.Run r = remote.recognize(4, warmupFrames / 2);
        unaryTls = r.perSecond();
        unaryCpu = r.serverCpuMsPerItem() + r.clientCpuMsPerItem();
        server += jitSeconds(r.server().cpuSecondsByThread());
        client += jitSeconds(r.clientCpuSecondsByThread());
        items += r.items();
      }
      ThreadCpu rawStart = ThreadCpu.of(ProcessHandle.current().pid());
      int rawItems = 0;
      if (doStreams && !rawQuiet) {
        rawItems += raw.run(PipelineLoad.Shape.STREAM_FRAME, 4, warmupFrames).items();
      }
      if (doUnary) {
        long cpu0 = RemoteLoad.clientCpuNanos();
        PipelineLoad.Run r = raw.run(PipelineLoad.Shape.RECOGNIZE, 4, warmupFrames / 2);
        unaryRaw = r.perSecond();
        System.err.printf(Locale.ROOT, "warm-up round %d: Recognize N=4 TLS %.1f/s raw %.1f/s ratio %.2f;"
            + " CPU ms per item TLS (server + client) %.1f, raw %.1f%n", round, unaryTls, unaryRaw, unaryTls / unaryRaw,
            unaryCpu, (RemoteLoad.clientCpuNanos() - cpu0) / 1e6 / r.items());
        rawItems += r.items();
      }
      double rawJit = jitSeconds(ThreadCpu.of(ProcessHandle.current().pid()).since(rawStart));
      double serverMs = 1000 * server / Math.max(1, items);
      double clientMs = 1000 * client / Math.max(1, items);
      double rawMs = 1000 * rawJit / Math.max(1, rawItems);
      // the in-process pipeline warms in a round or two: then only the TLS paths need more rounds
      rawQuiet = rawQuiet || rawMs <= warmupJitMs;
      System.err.printf(Locale.ROOT, "warm-up round %d: JIT compiler ms per item: server %.2f, client %.2f, raw %.2f%n",
          round, serverMs, clientMs, rawMs);
      warmupRounds = round;
      lastWarmupJit = new double[] {serverMs, clientMs, rawMs};
      if (warmupJitMs <= 0 || Math.max(serverMs, Math.max(clientMs, rawMs)) <= warmupJitMs) {
        return;
      }
    }
  }

  /** CPU seconds of the JIT compiler threads ({@code C1/C2 CompilerThread#}) in a by-thread map. */
  static double jitSeconds(Map<String, Double> byThread) {
    return byThread.entrySet().stream().filter(e -> e.getKey().contains("CompilerThre"))
        .mapToDouble(Map.Entry::getValue).sum();
  }

  /** The last pair of runs of {@code cell}: TLS and raw rate, TLS / raw, and both processes' CPU. */
  private void progress(String call, int n, Cell cell) {
    RemoteLoad.Run tls = cell.remote.get(cell.remote.size() - 1);
    PipelineLoad.Run raw = cell.raw.get(cell.raw.size() - 1);
    System.err.printf(Locale.ROOT, "N=%d %s TLS %.1f/s raw %.1f/s ratio %.2f; server batches det %.2f rec %.2f;"
        + " CPU ms per item: server %.1f + client %.1f, raw %.1f%n", n, call, tls.perSecond(), raw.perSecond(), tls.perSecond() / raw.perSecond(),
        tls.server().detBatch(), tls.server().recBatch(), tls.serverCpuMsPerItem(), tls.clientCpuMsPerItem(), cell.rawCpuMsPerItem.get(cell.rawCpuMsPerItem.size() - 1));
    if (threadCpu) {
      System.err.println("  server ms/item by thread: " + ThreadCpu.perItem(tls.server().cpuSecondsByThread(), tls.items()));
      System.err.println("  client ms/item by thread: " + ThreadCpu.perItem(tls.clientCpuSecondsByThread(), tls.items()));
      System.err.println("  raw ms/item by thread: " + ThreadCpu.perItem(cell.lastRawThreads, raw.items()));
    }
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
      Map<Integer, Cell> unaryCells, Map<Integer, Cell> legacyCells, Map<Integer, List<PipelineLoad.Run>> sweep) {
    System.out.println("## Server in its own process: TLS + JWT vs the best raw configuration (model.yaml CPU policy: "
        + StreamingBench.describe(policy) + ")\n");
    System.out.printf(Locale.ROOT, "Server RSS when idle after warm-up: %.0f MB.%n%n", idleRssMb);
    System.out.printf(Locale.ROOT, "Warm-up: %d round(s) of %d stream frames and %d Recognize calls (TLS and raw);"
        + " JIT compiler CPU in the last round, ms per item: server %.2f, client %.2f, raw %.2f (threshold %.2f).%n%n",
        warmupRounds, warmupFrames, warmupFrames / 2,
        lastWarmupJit[0], lastWarmupJit[1], lastWarmupJit[2], warmupJitMs);
    System.out.println("| call | N | items | items/s (median) | min–max | p50 ms | p99 ms | server p50 ms | server p99 ms "
        + "| rejected | server heap peak MB | server RSS peak MB | RSS above idle per stream MB | server CPU % | client CPU % "
        + "| raw model.yaml items/s | best raw items/s (config) | TLS / best raw "
        + "| CPU ms/item: server + client | raw CPU ms/item | of which JIT: server, client, raw |");
    System.out.println("|---|---:|---:|---:|---:|---:|---:|---:|---:|---|---:|---:|---:|---:|---:|---:|---|---:|---:|---:|---|");
    for (int n : streamCells.keySet()) {
      printRow(streamCells.get(n), n, idleRssMb, sweep.get(n));
    }
    for (int n : unaryCells.keySet()) {
      printRow(unaryCells.get(n), n, idleRssMb, null);
    }
    for (int n : legacyCells.keySet()) {
      printRow(legacyCells.get(n), n, idleRssMb, null);
    }
    if (sweep.isEmpty()) {
      return;
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
        "| %s | %d | %d | %.1f | %.1f–%.1f | %.0f | %.0f | %s | %s | %s | %.0f | %.0f | %.1f | %.0f | %.0f | %.1f | %.1f (%s) | %.2f "
            + "| %.1f + %.1f | %.1f | %.1f, %.1f, %.1f |%n",
        med.mode(), n, med.items(), tls, sorted.get(0).perSecond(), sorted.get(sorted.size() - 1).perSecond(),
        ms(med.latencyMicros(), 50), ms(med.latencyMicros(), 99),
        med.serverMicros() == null ? "–" : String.format(Locale.ROOT, "%.0f", ms(med.serverMicros(), 50)),
        med.serverMicros() == null ? "–" : String.format(Locale.ROOT, "%.0f", ms(med.serverMicros(), 99)),
        rejected.isEmpty() ? "0" : rejected.toString(), heap, rss, Math.max(0, rss - idleRssMb) / n,
        med.server().cpuPercent(), med.clientCpuPercent(), raw, best, bestName, tls / best,
        mean(cell.remote.stream().map(RemoteLoad.Run::serverCpuMsPerItem).toList()),
        mean(cell.remote.stream().map(RemoteLoad.Run::clientCpuMsPerItem).toList()),
        mean(cell.rawCpuMsPerItem),
        mean(cell.remote.stream().map(r -> 1000 * jitSeconds(r.server().cpuSecondsByThread()) / r.items()).toList()),
        mean(cell.remote.stream().map(r -> 1000 * jitSeconds(r.clientCpuSecondsByThread()) / r.items()).toList()),
        mean(cell.rawJitMsPerItem));
  }

  private static double ms(Histogram h, double percentile) {
    return h.getTotalCount() == 0 ? 0 : h.getValueAtPercentile(percentile) / 1000.0;
  }

  private static double mean(List<Double> values) {
    return values.stream().mapToDouble(Double::doubleValue).average().orElse(0);
  }

  private static double median(List<Double> values) {
    List<Double> v = new ArrayList<>(values);
    v.sort(null);
    int m = v.size() / 2;
    return v.size() % 2 == 1 ? v.get(m) : (v.get(m - 1) + v.get(m)) / 2;
  }
}
