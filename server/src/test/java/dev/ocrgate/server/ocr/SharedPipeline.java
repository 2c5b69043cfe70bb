package dev.ocrgate.server.ocr;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ocrgate.server.batch.BatchListener;
import dev.ocrgate.server.config.OcrgateConfig;
import dev.ocrgate.server.testing.RepoPaths;
import io.grpc.Status;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.UnaryOperator;

/**
 * The production OCR once per test JVM (loading takes seconds): {@link OcrModule} as the server
 * builds it, i.e. {@link BatchedOcrPipeline} on the real PP-OCRv4 models with the CPU batching
 * spec and thresholds of their model.yaml, warmed up once. Its batchers report to {@link
 * StageCounts} (where the server reports to its metrics), so that tests can see what ran.
 *
 * <p>Thread-safe. Never closed: its sessions and (daemon) batch workers live as long as the
 * forked test JVM, so tests must not close the module or its pipeline. Tests that read the
 * counts take differences and rely on JUnit running test methods one at a time.
 *
 * <p>{@link StageCounts#hold()} stops that stage's workers after they have taken an item and before
 * it runs (in {@code onDequeued}, on the worker thread), so a test can keep items queued for as
 * long as it needs instead of racing the real models; {@link StageCounts#release()} lets them go.
 * A test that holds a stage must release it in a {@code finally}.
 */
public final class SharedPipeline {
  /** How long a test waits for one image. */
  public static final long TIMEOUT_SECONDS = 60;

  private static final StageCounts DETECTION = new StageCounts();
  private static final StageCounts RECOGNITION = new StageCounts();
  private static OcrModule module;

  private SharedPipeline() {}

  public static synchronized OcrModule module() {
    if (module == null) {
      OcrgateConfig config = new OcrgateConfig();
      config.models = List.of(RepoPaths.modelDir().toString());
      config.engine.provider = "cpu";
      module = OcrModule.create(config, provider -> DETECTION, provider -> RECOGNITION);
      module.warmUp();
    }
    return module;
  }

  /**
   * A separate module on the shipped model set with its model.yaml changed by {@code change}
   * (which must change it), written under {@code dir} with links to the other files; warmed up.
   * The caller closes it.
   */
  public static OcrModule withModelYaml(Path dir, UnaryOperator<String> change) throws Exception {
    String yaml = Files.readString(RepoPaths.modelDir().resolve("model.yaml"));
    String changed = change.apply(yaml);
    assertThat(changed).as("the change applies to model.yaml").isNotEqualTo(yaml);
    return withModelYaml(dir.resolve("models"), unchanged -> changed, BatchListener.NONE);
  }

  /**
   * As {@link #withModelYaml(Path, UnaryOperator)} (the change may leave model.yaml as it is), in
   * the model folder {@code folder} (created), its recognition batcher reporting to
   * {@code recognition}.
   */
  public static OcrModule withModelYaml(Path folder, UnaryOperator<String> change, BatchListener recognition)
      throws Exception {
    Path models = Files.createDirectories(folder);
    try (var files = Files.list(RepoPaths.modelDir())) {
      for (Path f : files.toList()) {
        if (!f.getFileName().toString().equals("model.yaml")) {
          Files.createSymbolicLink(models.resolve(f.getFileName()), f.toAbsolutePath());
        }
      }
    }
    Files.writeString(models.resolve("model.yaml"),
        change.apply(Files.readString(RepoPaths.modelDir().resolve("model.yaml"))));
    OcrgateConfig config = new OcrgateConfig();
    config.models = List.of(models.toString());
    config.engine.provider = "cpu";
    OcrModule changedModule = OcrModule.create(config, provider -> BatchListener.NONE, provider -> recognition);
    changedModule.warmUp();
    return changedModule;
  }

  /** Reads {@code request} through the production pipeline, waiting at most {@link #TIMEOUT_SECONDS}. */
  public static OcrResult read(OcrRequest request) throws Exception {
    return module().pipeline().recognize(request).get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
  }

  /** The detection batcher's counts (items = region crops). */
  public static StageCounts detection() {
    module();
    return DETECTION;
  }

  /** The recognition batcher's counts (items = line crops). */
  public static StageCounts recognition() {
    module();
    return RECOGNITION;
  }

  /** Items one batcher ran and dropped since the JVM started, and a gate for its workers. Thread-safe. */
  public static final class StageCounts implements BatchListener {
    private final AtomicLong run = new AtomicLong();
    private final Map<Status.Code, AtomicLong> dropped = new ConcurrentHashMap<>();
    private final Object gate = new Object();
    private boolean held; // guarded by gate
    private int waiting; // guarded by gate: workers stopped at the gate

    @Override
    public void onDequeued(long queueNanos) {
      synchronized (gate) {
        waiting++;
        try {
          while (held) {
            gate.wait();
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        } finally {
          waiting--;
        }
      }
    }

    /** From now on, a worker that takes an item waits before running it, until {@link #release}. */
    public void hold() {
      synchronized (gate) {
        held = true;
      }
    }

    /** Lets held workers (and later ones) run. */
    public void release() {
      synchronized (gate) {
        held = false;
        gate.notifyAll();
      }
    }

    /** Workers waiting at the gate now, each with the item(s) it took. */
    public int workersHeld() {
      synchronized (gate) {
        return waiting;
      }
    }

    @Override
    public void onBatch(int size, long inferenceNanos, double paddingRatio) {
      run.addAndGet(size);
    }

    @Override
    public void onDropped(Status.Code code) {
      dropped.computeIfAbsent(code, c -> new AtomicLong()).incrementAndGet();
    }

    /** Items that went through inference (counted before their futures complete). */
    public long run() {
      return run.get();
    }

    /** Items that completed with {@code code} without running. */
    public long dropped(Status.Code code) {
      AtomicLong n = dropped.get(code);
      return n == null ? 0 : n.get();
    }
  }
}
