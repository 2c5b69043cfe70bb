package dev.ocrgate.bench.streaming;

import dev.ocrgate.server.batch.BatchingSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code bench streaming}: the StreamFrames load test at N = 1, 4, 16, 64 streams for the
 * model.yaml CPU policy, plus batching off and a batch-8 policy at one concurrency, each also in
 * process; prints a Markdown table and writes a PNG of throughput vs concurrency.
 */
@Command(name = "streaming", mixinStandardHelpOptions = true,
    description = "StreamFrames load test over TLS with the real models; Markdown table + PNG plot.")
public final class StreamingBench implements Callable<Integer> {
  @Option(names = "--models", description = "Model folder (default: ${DEFAULT-VALUE}).")
  Path models = Path.of("models/ppocr-v4");

  @Option(names = "--streams", split = ",", description = "Concurrencies (default: 1,4,16,64).")
  int[] streams = {1, 4, 16, 64};

  @Option(names = "--frames", description = "Frames per level, split over its streams, at least 4 each (default: ${DEFAULT-VALUE}).")
  int frames = 64;

  @Option(names = "--plot", description = "PNG to write (default: ${DEFAULT-VALUE}).")
  Path plot = Path.of("bench/results/streaming.png");

  public static void main(String[] args) {
    System.exit(new CommandLine(new StreamingBench()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    BatchingSpec defaults = new com.fasterxml.jackson.databind.ObjectMapper(
        new com.fasterxml.jackson.dataformat.yaml.YAMLFactory())
        .treeToValue(new com.fasterxml.jackson.databind.ObjectMapper(
            new com.fasterxml.jackson.dataformat.yaml.YAMLFactory())
            .readTree(models.resolve("model.yaml").toFile()).get("batching"), BatchingSpec.class);
    List<StreamLoad.Result> results = new ArrayList<>();
    List<double[]> tls = new ArrayList<>();
    List<double[]> local = new ArrayList<>();
    System.out.println("| policy | mode | streams | frames | frames/s | p50 ms | p99 ms | det batch | rec batch | heap MB | CPU % |");
    System.out.println("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    try (StreamLoad load = new StreamLoad("model.yaml cpu", models, defaults.cpu)) {
      for (int n : streams) {
        StreamLoad.Result r = load.overTls(n, Math.max(4, frames / n));
        print(r);
        tls.add(new double[] {n, r.framesPerSecond()});
        StreamLoad.Result p = load.inProcess(n, Math.max(4, frames / n) * n);
        print(p);
        local.add(new double[] {n, p.framesPerSecond()});
      }
    }
    int mid = streams[Math.min(2, streams.length - 1)];
    for (BatchingSpec.Provider variant : List.of(off(), batch8())) {
      String name = variant.recognition.max_batch_size == 1 ? "batching off (1 session)" : "batch 8 / 5 ms (1 session x 2 threads)";
      try (StreamLoad load = new StreamLoad(name, models, variant)) {
        print(load.overTls(mid, Math.max(4, frames / mid)));
        print(load.inProcess(mid, Math.max(4, frames / mid) * mid));
      }
    }
    Files.createDirectories(plot.toAbsolutePath().getParent());
    new LinePlot("StreamFrames throughput vs concurrency (PP-OCRv4, CPU, 2 cores shared)",
        "concurrent streams (log2)", "frames/s")
        .add("over TLS (StreamFrames)", tls).add("in process (same pipeline)", local).write(plot);
    System.out.println("plot: " + plot);
    return 0;
  }

  private static void print(StreamLoad.Result r) {
    System.out.printf("| %s | %s | %d | %d | %.1f | %.0f | %.0f | %.2f | %.2f | %d | %.0f |%n",
        r.variant(), r.mode(), r.streams(), r.frames(), r.framesPerSecond(), r.p50Ms(), r.p99Ms(),
        r.detBatch(), r.recBatch(), r.heapMb(), r.cpuPercent());
  }

  private static BatchingSpec.Provider off() {
    BatchingSpec.Provider p = new BatchingSpec.Provider();
    for (BatchingSpec.Stage s : List.of(p.detection, p.recognition)) {
      s.max_batch_size = 1;
      s.instances = 1;
      s.intra_op_threads = 2;
    }
    return p;
  }

  private static BatchingSpec.Provider batch8() {
    BatchingSpec.Provider p = new BatchingSpec.Provider();
    for (BatchingSpec.Stage s : List.of(p.detection, p.recognition)) {
      s.max_batch_size = 8;
      s.max_queue_delay_ms = 5;
      s.instances = 1;
      s.intra_op_threads = 2;
    }
    return p;
  }
}
