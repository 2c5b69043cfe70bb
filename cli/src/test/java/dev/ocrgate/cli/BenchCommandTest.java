package dev.ocrgate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.ocrgate.server.config.EngineSection;
import dev.ocrgate.server.engine.OnnxEngine;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The policy recommendation is a pure function of the measured points; the provider flag. */
class BenchCommandTest {
  @Test
  void verify_recommend_picksFastest_withNoDelayWhenItDoesNotBatch() {
    List<EngineSweep.Point> points = List.of(
        new EngineSweep.Point("recognition", 1, 2, 1, 94, 10.6),
        new EngineSweep.Point("recognition", 1, 2, 8, 76, 105),
        new EngineSweep.Point("recognition", 2, 1, 1, 108, 18.5));
    assertThat(BenchCommand.recommend("recognition", points)).startsWith(
        "  recognition: {max_batch_size: 1, max_queue_delay_ms: 0, instances: 2, intra_op_threads: 1, width_step: 32}");
  }

  @Test
  void verify_recommend_batchingWinner_getsHalfABatchOfDelay() {
    List<EngineSweep.Point> points = List.of(
        new EngineSweep.Point("recognition", 1, 16, 1, 300, 3.3),
        new EngineSweep.Point("recognition", 1, 16, 8, 630, 12.7));
    assertThat(BenchCommand.recommend("recognition", points)).startsWith(
        "  recognition: {max_batch_size: 8, max_queue_delay_ms: 6, instances: 1, intra_op_threads: 16, width_step: 0}");
  }

  @Test
  void verify_recommend_detection_hasNoWidthStep() {
    List<EngineSweep.Point> points = List.of(new EngineSweep.Point("detection", 2, 1, 1, 119, 16.8));
    assertThat(BenchCommand.recommend("detection", points)).startsWith(
        "  detection: {max_batch_size: 1, max_queue_delay_ms: 0, instances: 2, intra_op_threads: 1}");
  }

  @Test
  void verify_recommend_onGpu_keepsWidthBuckets_evenAtBatchOne() {
    List<EngineSweep.Point> points = List.of(new EngineSweep.Point("recognition", 2, 1, 1, 900, 2.2));
    assertThat(BenchCommand.recommend("recognition", points, true)).startsWith(
        "  recognition: {max_batch_size: 1, max_queue_delay_ms: 0, instances: 2, intra_op_threads: 1, width_step: 0}");
  }

  @Test
  void verify_cudaProvider_whereCudaCannotStart_failsWithTheReason_insteadOfMeasuringTheCpu() {
    EngineSection probe = new EngineSection();
    String why = OnnxEngine.cudaFailure(probe);
    assumeTrue(why != null, "this machine has a usable CUDA device; the sweep would run");
    Run run = bench("--provider", "cuda", "--seconds", "0.1");
    assertThat(run.code()).isEqualTo(1);
    assertThat(run.err()).startsWith("ocrgate bench: --provider cuda: CUDA cannot be used here: ");
    assertThat(run.out()).doesNotContain("| recognition |");
  }

  @Test
  void verify_unknownProvider_isAUsageError() {
    Run run = bench("--provider", "tpu");
    assertThat(run.code()).isEqualTo(2);
    assertThat(run.err()).contains("--provider must be cpu or cuda");
  }

  private record Run(int code, String out, String err) {}

  private static Run bench(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream oldOut = System.out;
    PrintStream oldErr = System.err;
    try {
      System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
      System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
      int code = new CommandLine(new BenchCommand()).execute(args);
      return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(oldOut);
      System.setErr(oldErr);
    }
  }
}
