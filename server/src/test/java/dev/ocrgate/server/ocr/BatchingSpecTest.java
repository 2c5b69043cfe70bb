package dev.ocrgate.server.ocr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ocrgate.server.batch.BatchPolicy;
import dev.ocrgate.server.testing.RepoPaths;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class BatchingSpecTest {
  /** The shipped model set's batching, read the one way model.yaml is read. */
  private static BatchingSpec committed() {
    return ModelRepository.load(RepoPaths.modelDir()).config().batching;
  }

  @Test
  void verify_committedModelYaml_cpuDefaults_areTheMeasuredWinner() throws Exception {
    BatchingSpec.Stage rec = committed().forProvider("CPU").recognition;
    assertThat(rec.policy()).isEqualTo(new BatchPolicy(1, Duration.ZERO, 2048));
    assertThat(rec.instances).isEqualTo(2);
    assertThat(rec.intra_op_threads).isEqualTo(1);
    // CPU has no per-shape cost: a crop is padded to a multiple of 32, not to its width bucket
    // (bench/results/accuracy-findings.md: zh-pages 0.66 -> 1.14 images/s, same CER).
    assertThat(rec.width_step).isEqualTo(32);
  }

  @Test
  void verify_cuda_keepsTheModelsWidthBuckets() throws Exception {
    assertThat(committed().forProvider("CUDA:0").recognition.width_step).isZero();
  }

  @Test
  void verify_negativeWidthStep_isRefused() {
    BatchingSpec spec = new BatchingSpec();
    spec.cpu.recognition.width_step = -8;
    assertThatThrownBy(spec::validate).hasMessageContaining("batching.cpu.recognition: width_step");
  }

  @Test
  void verify_cudaLabel_selectsLargeBatches() throws Exception {
    assertThat(committed().forProvider("CUDA:0").recognition.max_batch_size).isGreaterThanOrEqualTo(8);
  }

  @Test
  void verify_badStage_isRefused_namingTheKey() {
    BatchingSpec spec = new BatchingSpec();
    spec.cuda.detection.queue_capacity = 0;
    assertThatThrownBy(spec::validate).hasMessageContaining("batching.cuda.detection");
  }
}
