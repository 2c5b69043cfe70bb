package dev.ocrgate.bench.streaming;

import dev.ocrgate.server.ocr.BatchingSpec;
import dev.ocrgate.server.ocr.ModelRepository;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code bench streaming}: the StreamFrames load test. Sessions × threads are written SxT, b =
 * max batch size. One run measures, on the same machine and
 * in the same JVM:
 *
 * <ol>
 *   <li>the service over TLS with the model.yaml CPU policy at N = 1, 4, 16, 64 streams, and the
 *       same pipeline called in process at the same concurrency, alternating the two {@code
 *       --reps} times per N (the machine is a shared VM whose speed drifts by tens of percent
 *       over minutes; alternating keeps drift out of the ratio) and reporting medians;
 *   <li>at {@code --sweep-streams} concurrency, the pipeline in process swept over batch size ×
 *       sessions × intra-op threads (the "raw" ceiling: its best configuration), and the service
 *       over TLS with batching off.
 * </ol>
 *
 * <p>Before anything is timed, both paths run {@code --warmup-frames} frames so that the JIT has
 * compiled gRPC, TLS and protobuf as well as the pipeline (measured: without it the compiler
 * threads took 10 % of the CPU during the first TLS runs and 2 % during in-process runs, which
 * showed up as a TLS "overhead" that a long-running server never pays).
 */
@Command(name = "streaming", mixinStandardHelpOptions = true,
    description = "StreamFrames load test over TLS with the real models; Markdown table + PNG plot.")
public final class StreamingBench implements Callable<Integer> {
  @Option(names = "--models", description = "Model folder (default: ${DEFAULT-VALUE}).")
  Path models = Path.of("models/ppocr-v4");

  @Option(names = "--streams", split = ",", description = "Concurrencies (default: 1,4,16,64).")
  int[] streams = {1, 4, 16, 64};

  @Option(names = "--frames", description = "Frames per measurement, split over its streams, at least 4 each (default: ${DEFAULT-VALUE}).")
  int frames = 320;

  @Option(names = "--reps", description = "Alternating TLS / in-process repetitions per concurrency (default: ${DEFAULT-VALUE}).")
  int reps = 3;

  @Option(names = "--warmup-frames", description = "Untimed frames through each path first (default: ${DEFAULT-VALUE}).")
  int warmupFrames = 400;

  @Option(names = "--sweep-streams", description = "Concurrency of the in-process configuration sweep (default: ${DEFAULT-VALUE}).")
  int sweepStreams = 16;

  @Option(names = "--plot", description = "PNG to write (default: ${DEFAULT-VALUE}).")
  Path plot = Path.of("bench/results/streaming.png");

  public static void main(String[] args) {
    System.exit(new CommandLine(new StreamingBench()).execute(args));
  }

  /** A row of the table: the median repetition, the spread of frames/s, every repetition's rate. */
  record Row(StreamLoad.Result median, double min, double max, List<Double> all) {}

  @Override
  public Integer call() throws Exception {
    BatchingSpec defaults = ModelRepository.load(models).config().batching;
    Map<Integer, Row> tls = new LinkedHashMap<>();
    Map<Integer, Row> local = new LinkedHashMap<>();
    List<Row> sweep = new ArrayList<>();
    try (StreamLoad load = new StreamLoad("model.yaml cpu", models, defaults.cpu)) {
      load.overTls(4, Math.max(4, warmupFrames / 4));
      load.inProcess(4, warmupFrames);
      for (int n : streams) {
        int perStream = Math.max(4, frames / n);
        List<StreamLoad.Result> a = new ArrayList<>();
        List<StreamLoad.Result> b = new ArrayList<>();
        for (int r = 0; r < reps; r++) {
          a.add(load.overTls(n, perStream));
          b.add(load.inProcess(n, perStream * n));
        }
        tls.put(n, row(a));
        local.put(n, row(b));
        System.err.printf("N=%d TLS %.1f in-process %.1f frames/s%n", n,
            tls.get(n).median().framesPerSecond(), local.get(n).median().framesPerSecond());
      }
    }
    int perStream = Math.max(4, frames / sweepStreams);
    for (BatchingSpec.Provider variant : sweepVariants()) {
      try (StreamLoad load = new StreamLoad(describe(variant), models, variant)) {
        load.inProcess(4, warmupFrames / 2);
        sweep.add(row(List.of(load.inProcess(sweepStreams, perStream * sweepStreams))));
      }
    }
    Row off;
    try (StreamLoad load = new StreamLoad("batching off: " + describe(off()), models, off())) {
      load.overTls(4, Math.max(4, warmupFrames / 4));
      off = row(List.of(load.overTls(sweepStreams, perStream)));
    }
    print(defaults.cpu, tls, local, sweep, off);
    Files.createDirectories(plot.toAbsolutePath().getParent());
    new LinePlot("StreamFrames throughput vs concurrency (PP-OCRv4, CPU, 2 cores shared)",
        "concurrent streams (log2)", "frames/s")
        .add("TLS streams, median of " + reps, points(tls))
        .add("in process, median of " + reps, points(local)).write(plot);
    System.out.println("\nplot: " + plot);
    return 0;
  }

  private void print(BatchingSpec.Provider policy, Map<Integer, Row> tls, Map<Integer, Row> local,
      List<Row> sweep, Row off) {
    Row best = sweep.stream().max(Comparator.comparingDouble((Row r) -> r.median().framesPerSecond()))
        .orElseThrow();
    boolean policyIsBest = best.median().variant().equals(describe(policy));
    System.out.println("## End to end over TLS vs the pipeline in process (model.yaml CPU policy: "
        + describe(policy) + ")\n");
    System.out.println("| mode | streams | frames | frames/s (median) | min–max | p50 ms | p99 ms "
        + "| server p50 ms | server p99 ms | det batch | rec batch | heap MB | CPU % | TLS / best in-process |");
    System.out.println("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    for (int n : tls.keySet()) {
      // The ceiling: the best configuration in process at this concurrency. When the sweep's
      // best is the model.yaml policy, every in-process run of that policy at N is a measurement
      // of it (the alternating ones and the sweep's), and their median is the ceiling.
      List<Double> ceiling = new ArrayList<>(local.get(n).all());
      if (n == sweepStreams) {
        if (policyIsBest) {
          ceiling.addAll(best.all());
        } else {
          ceiling = new ArrayList<>(best.all());
        }
      }
      double c = median(ceiling);
      printRow(tls.get(n), String.format(Locale.ROOT, "%.2f (vs %.1f)", tls.get(n).median().framesPerSecond() / c, c));
      printRow(local.get(n), "");
    }
    System.out.println("\n## In-process configuration sweep at " + sweepStreams
        + " concurrent requests, and the service with batching off\n");
    System.out.println("Best in-process configuration: " + best.median().variant()
        + (policyIsBest ? " = the model.yaml CPU policy." : " — NOT the model.yaml CPU policy ("
            + describe(policy) + "): the ceiling at " + sweepStreams + " streams is this sweep's run.") + "\n");
    System.out.println("| mode | streams | frames | frames/s | min–max | p50 ms | p99 ms "
        + "| server p50 ms | server p99 ms | det batch | rec batch | heap MB | CPU % | policy |");
    System.out.println("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|");
    List<Row> sorted = new ArrayList<>(sweep);
    sorted.sort(Comparator.comparingDouble((Row r) -> r.median().framesPerSecond()).reversed());
    for (Row r : sorted) {
      printRow(r, r.median().variant());
    }
    printRow(off, off.median().variant());
  }

  private static double median(List<Double> values) {
    List<Double> v = new ArrayList<>(values);
    v.sort(null);
    int m = v.size() / 2;
    return v.size() % 2 == 1 ? v.get(m) : (v.get(m - 1) + v.get(m)) / 2;
  }

  private static void printRow(Row row, String last) {
    StreamLoad.Result r = row.median();
    System.out.printf(Locale.ROOT, "| %s | %d | %d | %.1f | %.1f–%.1f | %.0f | %.0f | %.0f | %.0f | %.2f | %.2f | %d | %.0f | %s |%n",
        r.mode(), r.streams(), r.frames(), r.framesPerSecond(), row.min(), row.max(), r.p50Ms(),
        r.p99Ms(), r.serverP50Ms(), r.serverP99Ms(), r.detBatch(), r.recBatch(), r.heapMb(),
        r.cpuPercent(), last);
  }

  private static Row row(List<StreamLoad.Result> reps) {
    List<StreamLoad.Result> sorted = new ArrayList<>(reps);
    sorted.sort(Comparator.comparingDouble(StreamLoad.Result::framesPerSecond));
    return new Row(sorted.get(sorted.size() / 2), sorted.get(0).framesPerSecond(),
        sorted.get(sorted.size() - 1).framesPerSecond(),
        sorted.stream().map(StreamLoad.Result::framesPerSecond).toList());
  }

  private static List<double[]> points(Map<Integer, Row> rows) {
    List<double[]> out = new ArrayList<>();
    rows.forEach((n, r) -> out.add(new double[] {n, r.median().framesPerSecond()}));
    return out;
  }

  static String describe(BatchingSpec.Provider p) {
    BatchingSpec.Stage d = p.detection;
    BatchingSpec.Stage r = p.recognition;
    return String.format(Locale.ROOT, "det %dx%d b%d, rec %dx%d b%d%s %s",
        d.instances, d.intra_op_threads, d.max_batch_size, r.instances, r.intra_op_threads,
        r.max_batch_size, r.max_batch_size > 1 ? " / " + r.max_queue_delay_ms + " ms" : "",
        r.width_step > 0 ? "width step " + r.width_step : "width buckets");
  }

  /** Sessions × threads × batch over both stages, within the machine's cores. */
  static List<BatchingSpec.Provider> sweepVariants() {
    int cores = Runtime.getRuntime().availableProcessors();
    List<BatchingSpec.Provider> out = new ArrayList<>();
    for (int sessions = 1; sessions <= cores; sessions *= 2) {
      for (int threads = 1; threads * sessions <= cores; threads *= 2) {
        for (int batch : new int[] {1, 8}) {
          BatchingSpec.Provider p = new BatchingSpec.Provider();
          for (BatchingSpec.Stage s : List.of(p.detection, p.recognition)) {
            s.instances = sessions;
            s.intra_op_threads = threads;
            s.max_batch_size = batch;
            s.max_queue_delay_ms = batch > 1 ? 5 : 0;
          }
          // one padded width per batch: the model's buckets when batching, else the CPU step
          p.recognition.width_step = batch > 1 ? 0 : 32;
          out.add(p);
        }
      }
    }
    return out;
  }

  /** Batching off: one session using every core, one item per run. */
  private static BatchingSpec.Provider off() {
    BatchingSpec.Provider p = new BatchingSpec.Provider();
    for (BatchingSpec.Stage s : List.of(p.detection, p.recognition)) {
      s.max_batch_size = 1;
      s.instances = 1;
      s.intra_op_threads = Runtime.getRuntime().availableProcessors();
    }
    p.recognition.width_step = 32;
    return p;
  }
}
