package dev.ocrgate.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ocrgate bench}: measures the raw engine over sessions × intra-op threads × batch size for
 * the recognition (and detection) model on this machine and prints the batching policy it
 * recommends, as a {@code model.yaml} snippet.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
    description = "Sweep the raw ONNX Runtime engine and print the recommended batching policy.")
final class BenchCommand implements Callable<Integer> {
  @Option(names = "--models", description = "Model folder (default: ${DEFAULT-VALUE}).")
  Path models = Path.of("models/ppocr-v4");

  @Option(names = "--seconds", description = "Seconds per configuration (default: ${DEFAULT-VALUE}).")
  double seconds = 3;

  @Option(names = "--batches", split = ",", description = "Batch sizes (default: 1,2,4,8).")
  int[] batches = {1, 2, 4, 8};

  @Option(names = "--rec-width", description = "Recognition input width (default: ${DEFAULT-VALUE}).")
  int recWidth = 320;

  @Option(names = "--det-size", split = "x",
      description = "Detection input HxW, e.g. the resized subtitle band (default: 160x640).")
  int[] detSize = {160, 640};

  @Option(names = "--skip-detection", description = "Only sweep recognition.")
  boolean skipDetection;

  @Override
  public Integer call() throws Exception {
    int cores = Runtime.getRuntime().availableProcessors();
    System.out.printf("# engine sweep on %d cores, %.1f s per configuration%n", cores, seconds);
    List<EngineSweep.Point> rec = sweep(new EngineSweep(models.resolve("ch_PP-OCRv4_rec_infer.onnx"),
        "recognition", new long[] {3, 48, recWidth}), cores);
    List<EngineSweep.Point> det = skipDetection ? List.of() : sweep(new EngineSweep(
        models.resolve("ch_PP-OCRv4_det_infer.onnx"), "detection",
        new long[] {3, detSize[0], detSize[1]}), cores);
    System.out.println();
    System.out.println("# recommended batching (model.yaml, batching.cpu):");
    System.out.print(recommend("recognition", rec));
    if (!det.isEmpty()) {
      System.out.print(recommend("detection", det));
    }
    return 0;
  }

  private List<EngineSweep.Point> sweep(EngineSweep sweep, int cores) throws Exception {
    List<EngineSweep.Point> points = new ArrayList<>();
    System.out.println("| model | sessions | threads | batch | items/s | ms/batch |");
    System.out.println("|---|---:|---:|---:|---:|---:|");
    for (int sessions = 1; sessions <= cores; sessions *= 2) {
      for (int threads = 1; threads * sessions <= cores; threads *= 2) {
        for (int batch : batches) {
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
    EngineSweep.Point best = points.stream()
        .max(Comparator.comparingDouble(EngineSweep.Point::itemsPerSecond)).orElseThrow();
    long delayMs = best.batch() == 1 ? 0 : Math.max(1, Math.round(best.msPerBatch() / 2));
    String step = "recognition".equals(model) ? ", width_step: " + (best.batch() == 1 ? 32 : 0) : "";
    return String.format(
        "  %s: {max_batch_size: %d, max_queue_delay_ms: %d, instances: %d, intra_op_threads: %d%s}"
            + "  # %.1f items/s%n",
        model, best.batch(), delayMs, best.sessions(), best.threads(), step, best.itemsPerSecond());
  }
}
