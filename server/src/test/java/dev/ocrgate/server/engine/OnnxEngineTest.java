package dev.ocrgate.server.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ocrgate.server.config.EngineSection;
import dev.ocrgate.server.testing.RepoPaths;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Provider choice and model loading on the real ONNX Runtime (onnxruntime_gpu jar). This machine
 * has no CUDA libraries, so {@code auto} must fall back to CPU and say why, and {@code cuda} must
 * fail. On a machine where CUDA works the fallback assertions are skipped.
 */
class OnnxEngineTest {
  private static EngineSection settings(String provider) {
    EngineSection s = new EngineSection();
    s.provider = provider;
    return s;
  }

  @Test
  void verify_auto_withoutCuda_picksCpuAndSaysWhy() {
    try (OnnxEngine engine = OnnxEngine.create(settings("auto"))) {
      ProviderChoice choice = engine.providerChoice();
      Assumptions.assumeTrue(choice.provider() == ExecutionProvider.CPU, "CUDA works on this machine");
      assertThat(engine.providerLabel()).isEqualTo("CPU");
      assertThat(choice.reason()).startsWith("auto: CUDA unavailable: ");
      // ONNX Runtime's own explanation follows (e.g. which shared library failed to load).
      assertThat(choice.reason().length()).isGreaterThan("auto: CUDA unavailable: ".length() + 10);
    }
  }

  @Test
  void verify_cuda_withoutCuda_failsStartupWithTheReason() {
    EngineSection s = settings("cuda");
    s.device_id = 0;
    try {
      OnnxEngine.create(s).close();
      Assumptions.abort("CUDA works on this machine");
    } catch (EngineException e) {
      assertThat(e.getMessage()).startsWith("engine.provider is cuda but CUDA cannot be used: ");
    }
  }

  @Test
  void verify_cpu_isUsedWithoutProbing() {
    try (OnnxEngine engine = OnnxEngine.create(settings("CPU"))) {
      assertThat(engine.providerChoice()).isEqualTo(new ProviderChoice(ExecutionProvider.CPU, "configured"));
    }
  }

  @Test
  void verify_unknownProvider_isRejectedByName() {
    assertThatThrownBy(() -> OnnxEngine.create(settings("tpu")))
        .isInstanceOf(EngineException.class)
        .hasMessage("engine.provider must be auto, cuda or cpu, not 'tpu'");
  }

  @Test
  void verify_missingModelFile_errorNamesTheFile(@TempDir Path dir) {
    Path missing = dir.resolve("det.onnx");
    try (OnnxEngine engine = OnnxEngine.create(settings("cpu"))) {
      assertThatThrownBy(() -> engine.openSession("detection", missing))
          .isInstanceOf(EngineException.class)
          .hasMessage("detection model file not found: " + missing);
    }
  }

  @Test
  void verify_corruptModelFile_errorNamesTheFile(@TempDir Path dir) throws Exception {
    Path corrupt = dir.resolve("rec.onnx");
    Files.write(corrupt, new byte[] {1, 2, 3, 4, 5, 6, 7, 8});
    try (OnnxEngine engine = OnnxEngine.create(settings("cpu"))) {
      assertThatThrownBy(() -> engine.openSession("recognition", corrupt))
          .isInstanceOf(EngineException.class)
          .hasMessageStartingWith("cannot load recognition model " + corrupt + ": ");
    }
  }

  @Test
  void verify_session_runsAWholeBatch() {
    try (OnnxEngine engine = OnnxEngine.create(settings("cpu"))) {
      ModelSession cls = engine.openSession("classifier",
          RepoPaths.modelDir().resolve("ch_ppocr_mobile_v2.0_cls_infer.onnx"));
      int n = 3;
      java.nio.FloatBuffer buf = InputBuffers.acquire(n * 3 * 48 * 192);
      for (int i = 0; i < buf.limit(); i++) {
        buf.put(i, 0f);
      }
      Tensor out = cls.run(buf, new long[] {n, 3, 48, 192});
      assertThat(out.shape()).containsExactly(3, 2);
      for (int i = 0; i < n; i++) {
        assertThat(out.data()[2 * i] + out.data()[2 * i + 1]).isCloseTo(1f, org.assertj.core.data.Offset.offset(1e-4f));
      }
    }
  }
}
