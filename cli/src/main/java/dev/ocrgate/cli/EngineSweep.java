package dev.ocrgate.cli;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.ocrgate.server.config.EngineSection;
import dev.ocrgate.server.engine.OnnxEngine;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The raw in-process engine, swept: for each (sessions, intra-op threads, batch size) it opens
 * {@code sessions} ONNX Runtime sessions of one model, drives each from its own thread with
 * batches of {@code batch} items for a fixed time, and reports items per second. Inputs are
 * reused direct buffers (no copy into ONNX Runtime), so this is the ceiling the service can reach
 * on the machine: no decoding, no pre/post-processing, no gRPC.
 */
final class EngineSweep {
  /** One measured configuration. */
  public record Point(String model, int sessions, int threads, int batch, double itemsPerSecond,
      double msPerBatch) {}

  private static final int MIN_BATCHES = 3;

  private final OrtEnvironment env = OrtEnvironment.getEnvironment();
  private final Path modelFile;
  private final String model;
  private final long[] itemShape;
  /** Null: the CPU provider; else CUDA registered as the server does ({@link OnnxEngine#addCuda}). */
  private final EngineSection cuda;

  /**
   * @param itemShape one item's [C, H, W]
   */
  public EngineSweep(Path modelFile, String model, long[] itemShape) {
    this(modelFile, model, itemShape, null);
  }

  /**
   * @param itemShape one item's [C, H, W]
   * @param cuda the engine settings whose CUDA device and arena limit to use; null = CPU
   */
  public EngineSweep(Path modelFile, String model, long[] itemShape, EngineSection cuda) {
    this.modelFile = modelFile;
    this.model = model;
    this.itemShape = itemShape;
    this.cuda = cuda;
  }

  /** Measures one configuration for {@code seconds} after one warm-up batch per session. */
  public Point measure(int sessions, int threads, int batch, double seconds) throws Exception {
    List<OrtSession> open = new ArrayList<>();
    try {
      for (int i = 0; i < sessions; i++) {
        open.add(openSession(threads));
      }
      AtomicLong items = new AtomicLong();
      AtomicLong batches = new AtomicLong();
      CountDownLatch start = new CountDownLatch(1);
      List<Thread> drivers = new ArrayList<>();
      long[] deadline = new long[1];
      for (OrtSession s : open) {
        Thread t = new Thread(() -> drive(s, batch, start, deadline, items, batches), "sweep");
        drivers.add(t);
        t.start();
      }
      long t0 = System.nanoTime();
      deadline[0] = t0 + (long) (seconds * 1e9);
      start.countDown();
      for (Thread t : drivers) {
        t.join();
      }
      // Sessions may overrun the budget by their last batches: rate over the real elapsed time.
      double elapsed = (System.nanoTime() - t0) / 1e9;
      double perSecond = items.get() / elapsed;
      double msPerBatch = batches.get() == 0 ? 0 : elapsed * 1000 * sessions / batches.get();
      return new Point(model, sessions, threads, batch, perSecond, msPerBatch);
    } finally {
      for (OrtSession s : open) {
        s.close();
      }
    }
  }

  private OrtSession openSession(int threads) throws OrtException {
    OrtSession.SessionOptions o = new OrtSession.SessionOptions();
    o.setIntraOpNumThreads(threads);
    o.setInterOpNumThreads(1);
    o.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
    if (cuda != null) {
      OnnxEngine.addCuda(o, cuda);
    }
    return env.createSession(modelFile.toString(), o);
  }

  private void drive(OrtSession s, int batch, CountDownLatch start, long[] deadline,
      AtomicLong items, AtomicLong batches) {
    long[] shape = {batch, itemShape[0], itemShape[1], itemShape[2]};
    int floats = (int) (batch * itemShape[0] * itemShape[1] * itemShape[2]);
    FloatBuffer buf = ByteBuffer.allocateDirect(floats * Float.BYTES)
        .order(ByteOrder.nativeOrder()).asFloatBuffer();
    for (int i = 0; i < floats; i++) {
      buf.put(i, (float) Math.sin(i * 0.001));
    }
    String input = s.getInputNames().iterator().next();
    try {
      runOnce(s, input, buf, shape);
      start.await();
      // At least MIN_BATCHES per session even past the time budget, so that slow configurations
      // (large batches on a busy machine) are measured rather than reported as zero.
      for (int done = 0; done < MIN_BATCHES || System.nanoTime() - deadline[0] < 0; done++) {
        runOnce(s, input, buf, shape);
        items.addAndGet(batch);
        batches.incrementAndGet();
      }
    } catch (Exception e) {
      throw new IllegalStateException("sweep run failed", e);
    }
  }

  private void runOnce(OrtSession s, String input, FloatBuffer buf, long[] shape) throws OrtException {
    try (OnnxTensor t = OnnxTensor.createTensor(env, buf, shape);
        OrtSession.Result r = s.run(Map.of(input, t))) {
      r.get(0);
    }
  }
}
