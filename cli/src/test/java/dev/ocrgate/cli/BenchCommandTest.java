package dev.ocrgate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The policy recommendation is a pure function of the measured points. */
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
}
