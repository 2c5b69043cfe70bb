package dev.ocrgate.cli;

import dev.ocrgate.server.config.ConfigLoader;
import dev.ocrgate.server.config.EngineSection;
import dev.ocrgate.server.engine.OnnxEngine;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ocrgate bench}: measures the raw engine over sessions × intra-op threads × batch size for
 * the recognition (and detection) model on this machine and prints the batching policy it
 * recommends, as a {@code model.yaml} snippet. {@code --provider cuda} sweeps the CUDA provider
 * (sessions 1 and 2, one intra-op thread, batches up to 64) with the server's CUDA options and
 * prints a {@code batching.cuda} snippet; it fails with ONNX Runtime's reason when CUDA cannot be
 * initialised, rather than measuring the CPU in its place.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
    description = "Sweep the raw ONNX Runtime engine and print the recommended batching policy.")
final class BenchCommand implements Callable<Integer> {
  @Option(names = "--models", description = "Model folder (default: ${DEFAULT-VALUE}).")
  Path models = Path.of("models/ppocr-v4");

  @Option(names = "--seconds", description = "Seconds per configuration (default: ${DEFAULT-VALUE}).")
  double seconds = 3;

  @Option(names = "--batches", split = ",",
      description = "Batch sizes (default: 1,2,4,8 on cpu; 1,2,4,8,16,32,64 on cuda).")
  int[] batches;

  @Option(names = "--provider", description = "cpu (default) or cuda.")
  String provider = "cpu";

  @Option(names = "--device-id", description = "CUDA device ordinal (default: ${DEFAULT-VALUE}).")
  int deviceId = 0;

  @Option(names = "--rec-width", description = "Recognition input width (default: ${DEFAULT-VALUE}).")
  int recWidth = 320;

  @Option(names = "--det-size", split = "x",
      description = "Detection input HxW, e.g. the resized subtitle band (default: 160x640).")
  int[] detSize = {160, 640};

  @Option(names = "--skip-detection", description = "Only sweep recognition.")
  boolean skipDetection;

  @Override
  public Integer call() throws Exception {
    boolean gpu;
    switch (provider) {
      case "cpu" -> gpu = false;
      case "cuda" -> gpu = true;
      default -> {
        System.err.println("ocrgate bench: --provider must be cpu or cuda");
        return 2;
      }
    }
    EngineSection cuda = null;
    if (gpu) {
      // The flags as configuration keys, through the one loader (defaults for the rest).
      cuda = ConfigLoader.load(null, Map.of(),
          Map.of("engine.provider", "cuda", "engine.device_id", String.valueOf(deviceId))).engine;
      String why = OnnxEngine.cudaFailure(cuda);
      if (why != null) {
        System.err.println("ocrgate bench: --provider cuda: CUDA cannot be used here: " + why);
        return 1;
      }
    }
    int[] sizes = batches != null ? batches : gpu ? new int[] {1, 2, 4, 8, 16, 32, 64} : new int[] {1, 2, 4, 8};
    // On a GPU, sessions are CUDA streams fed from the CPU: one or two, one intra-op thread each.
    int maxSessions = gpu ? 2 : Runtime.getRuntime().availableProcessors();
    int maxThreads = gpu ? 1 : Runtime.getRuntime().availableProcessors();
    System.out.printf("# engine sweep on %s, %.1f s per configuration%n",
        gpu ? "CUDA:" + deviceId : Runtime.getRuntime().availableProcessors() + " cores", seconds);
    List<EngineSweep.Point> rec = sweep(new EngineSweep(models.resolve("ch_PP-OCRv4_rec_infer.onnx"),
        "recognition", new long[] {3, 48, recWidth}, cuda), sizes, maxSessions, maxThreads);
    List<EngineSweep.Point> det = skipDetection ? List.of() : sweep(new EngineSweep(
        models.resolve("ch_PP-OCRv4_det_infer.onnx"), "detection",
        new long[] {3, detSize[0], detSize[1]}, cuda), sizes, maxSessions, maxThreads);
    System.out.println();
    System.out.printf("# recommended batching (model.yaml, batching.%s):%n", provider);
    System.out.print(recommend("recognition", rec, gpu));
    if (!det.isEmpty()) {
      System.out.print(recommend("detection", det, gpu));
    }
    return 0;
  }

  /** Sessions and threads in powers of two; more than one thread only while threads × sessions ≤ maxThreads. */
  private List<EngineSweep.Point> sweep(EngineSweep sweep, int[] sizes, int maxSessions, int maxThreads)
      throws Exception {
    List<EngineSweep.Point> points = new ArrayList<>();
    System.out.println("| model | sessions | threads | batch | items/s | ms/batch |");
    System.out.println("|---|---:|---:|---:|---:|---:|");
    for (int sessions = 1; sessions <= maxSessions; sessions *= 2) {
      for (int threads = 1; threads == 1 || threads * sessions <= maxThreads; threads *= 2) {
        for (int batch : sizes) {
          EngineSweep.Point p = sweep.measure(sessions, threads, batch, seconds);
          points.add(p);
          System.out.printf("| %s | %d | %d | %d | %.1f | %.1f |%n", p.model(), p.sessions(),
              p.threads(), p.batch(), p.itemsPerSecond(), p.msPerBatch());
        }
      }
    }
    return points;
  }

  /**
   * The fastest configuration; its queue delay is half a batch's run time when it batches (long
   * enough to fill under load, short next to the inference itself), 0 when it does not. For
   * recognition also the padding: a crop that runs alone is padded only to a multiple of 32
   * ({@code width_step: 32}; padding it to its width bucket cost up to 1.5x the inference on
   * CPU), while batches keep the model's width buckets so that crops share shapes.
   */
  static String recommend(String model, List<EngineSweep.Point> points) {
    return recommend(model, points, false);
  }

  /**
   * As {@link #recommend(String, List)}; on a GPU recognition always keeps the width buckets
   * ({@code width_step: 0}): every new input shape costs the CUDA provider a fresh cuDNN
   * algorithm choice and memory plan, so few shapes beat tight padding even at batch 1.
   */
  static String recommend(String model, List<EngineSweep.Point> points, boolean gpu) {
    EngineSweep.Point best = points.stream()
        .max(Comparator.comparingDouble(EngineSweep.Point::itemsPerSecond)).orElseThrow();
    long delayMs = best.batch() == 1 ? 0 : Math.max(1, Math.round(best.msPerBatch() / 2));
    String step = "recognition".equals(model)
        ? ", width_step: " + (best.batch() == 1 && !gpu ? 32 : 0) : "";
    return String.format(
        "  %s: {max_batch_size: %d, max_queue_delay_ms: %d, instances: %d, intra_op_threads: %d%s}"
            + "  # %.1f items/s%n",
        model, best.batch(), delayMs, best.sessions(), best.threads(), step, best.itemsPerSecond());
  }
}
