package dev.ocrgate.bench.engine;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import dev.ocrgate.server.engine.InputBuffers;
import java.nio.FloatBuffer;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * What building an ONNX Runtime input tensor costs, per batch: from the per-thread reused direct
 * buffer the pipeline uses ({@link InputBuffers}: ONNX Runtime reads it in place), against the
 * obvious alternative of wrapping a heap {@code float[]} (ONNX Runtime then copies it into a new
 * direct buffer for every tensor). Recognition batches {@code [N, 3, 48, 320]}; the tensor is
 * closed in the same call, as the pipeline does. One thread.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class TensorInputBenchmark {
  @Param({"1", "32"})
  public int batch;

  private OrtEnvironment env;
  private long[] shape;
  private float[] heap;

  @Setup
  public void setUp() {
    env = OrtEnvironment.getEnvironment();
    shape = new long[] {batch, 3, 48, 320};
    heap = new float[batch * 3 * 48 * 320];
    for (int i = 0; i < heap.length; i++) {
      heap[i] = (i % 255) / 255f;
    }
  }

  /** The pipeline's path: reused direct buffer, filled elsewhere, wrapped without a copy. */
  @Benchmark
  public long reusedDirectBuffer() throws OrtException {
    FloatBuffer buf = InputBuffers.acquire(heap.length);
    try (OnnxTensor t = OnnxTensor.createTensor(env, buf, shape)) {
      return t.getInfo().getShape()[0];
    }
  }

  /** A heap array wrapped per batch: ONNX Runtime allocates and copies a direct buffer. */
  @Benchmark
  public long wrappedHeapArray() throws OrtException {
    try (OnnxTensor t = OnnxTensor.createTensor(env, FloatBuffer.wrap(heap), shape)) {
      return t.getInfo().getShape()[0];
    }
  }
}
