package dev.ocrgate.server.engine;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtLoggingLevel;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.providers.OrtCUDAProviderOptions;
import dev.ocrgate.server.config.EngineSection;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The process's ONNX Runtime: one {@link OrtEnvironment} and the sessions opened on it, all on the
 * execution provider chosen once at creation.
 *
 * <p>Provider choice: {@code cpu} uses CPU; {@code cuda} registers CUDA or fails; {@code auto}
 * tries to register CUDA and, when that throws (no driver, missing cuDNN/cuBLAS, no device), uses
 * CPU and keeps ONNX Runtime's message as the reason. CUDA uses
 * {@code cudnn_conv_algo_search=HEURISTIC}: OCR inputs change shape with every image and the
 * exhaustive search would re-run for every new shape.
 *
 * <p>Thread safety: {@link #openSession} is synchronized; sessions are safe for concurrent runs.
 * {@link #close} closes every session opened here; the environment itself is a process singleton
 * owned by ONNX Runtime and is not closed.
 */
public final class OnnxEngine implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(OnnxEngine.class);

  private final OrtEnvironment env;
  private final EngineSection settings;
  private final ProviderChoice choice;
  private final List<ModelSession> sessions = new ArrayList<>();

  private OnnxEngine(OrtEnvironment env, EngineSection settings, ProviderChoice choice) {
    this.env = env;
    this.settings = settings;
    this.choice = choice;
  }

  /**
   * Creates the engine and decides the provider.
   *
   * @throws EngineException when {@code cuda} is requested and cannot be initialised, or the
   *     provider name is unknown
   */
  public static OnnxEngine create(EngineSection settings) {
    ExecutionProvider requested = ExecutionProvider.parse(settings.provider);
    OrtEnvironment env = OrtEnvironment.getEnvironment(OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR, "ocrgate");
    ProviderChoice choice = choose(requested, settings);
    if (requested == ExecutionProvider.AUTO && choice.provider() == ExecutionProvider.CPU) {
      log.warn("ONNX Runtime {}: provider CPU ({})", env.getVersion(), choice.reason());
    } else {
      log.info("ONNX Runtime {}: provider {} ({})", env.getVersion(), choice.label(settings.device_id),
          choice.reason());
    }
    return new OnnxEngine(env, settings, choice);
  }

  private static ProviderChoice choose(ExecutionProvider requested, EngineSection settings) {
    if (requested == ExecutionProvider.CPU) {
      return new ProviderChoice(ExecutionProvider.CPU, "configured");
    }
    String failure = cudaFailure(settings);
    if (failure == null) {
      return new ProviderChoice(ExecutionProvider.CUDA,
          requested == ExecutionProvider.AUTO ? "auto: CUDA initialised" : "configured");
    }
    if (requested == ExecutionProvider.CUDA) {
      throw new EngineException("engine.provider is cuda but CUDA cannot be used: " + failure);
    }
    return new ProviderChoice(ExecutionProvider.CPU, "auto: CUDA unavailable: " + failure);
  }

  /**
   * Null when CUDA registers on a session's options, else why it did not (ONNX Runtime's message
   * without its source-file prefix). Also used by {@code ocrgate bench --provider cuda}.
   */
  public static String cudaFailure(EngineSection settings) {
    try (OrtSession.SessionOptions probe = new OrtSession.SessionOptions()) {
      addCuda(probe, settings);
      return null;
    } catch (OrtException | RuntimeException | UnsatisfiedLinkError e) {
      String msg = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
      // Keep ONNX Runtime's explanation, drop its source-file prefix.
      int at = msg.indexOf(" : FAIL : ");
      return (at >= 0 ? msg.substring(at + " : FAIL : ".length()) : msg).replaceAll("\\s+", " ").trim();
    }
  }

  /**
   * Registers the CUDA provider on {@code options} with the server's CUDA settings (device,
   * heuristic cuDNN algorithm search, arena limit): the one place these are set, shared with
   * {@code ocrgate bench --provider cuda} so that it measures what the server runs.
   */
  public static void addCuda(OrtSession.SessionOptions options, EngineSection settings)
      throws OrtException {
    try (OrtCUDAProviderOptions cuda = new OrtCUDAProviderOptions(settings.device_id)) {
      cuda.add("cudnn_conv_algo_search", "HEURISTIC");
      if (settings.gpu_mem_limit_mb > 0) {
        cuda.add("gpu_mem_limit", Long.toString(settings.gpu_mem_limit_mb * 1024 * 1024));
        cuda.add("arena_extend_strategy", "kSameAsRequested");
      }
      options.addCUDA(cuda);
    }
  }

  /** The provider in use and why it was chosen. */
  public ProviderChoice providerChoice() {
    return choice;
  }

  /** {@code CPU} or {@code CUDA:<device>}. */
  public String providerLabel() {
    return choice.label(settings.device_id);
  }

  /**
   * Opens {@code modelFile} as a session named {@code name} (for logs and errors).
   *
   * @throws EngineException naming the file when it is missing or not a valid model
   */
  public synchronized ModelSession openSession(String name, Path modelFile) {
    return openSession(name, modelFile, 0);
  }

  /**
   * Opens {@code modelFile} with {@code intraOpThreads} intra-op threads (0 = the engine's
   * setting), e.g. one of several single-threaded instances behind a batcher.
   *
   * @throws EngineException naming the file when it is missing or not a valid model
   */
  public synchronized ModelSession openSession(String name, Path modelFile, int intraOpThreads) {
    if (!Files.isRegularFile(modelFile)) {
      throw new EngineException(name + " model file not found: " + modelFile);
    }
    try (OrtSession.SessionOptions options = sessionOptions(intraOpThreads)) {
      OrtSession session = env.createSession(modelFile.toString(), options);
      ModelSession model = ModelSession.wrap(env, name, session);
      sessions.add(model);
      return model;
    } catch (OrtException e) {
      throw new EngineException(
          "cannot load " + name + " model " + modelFile + ": " + e.getMessage(), e);
    }
  }

  private OrtSession.SessionOptions sessionOptions(int intraOpThreads) throws OrtException {
    OrtSession.SessionOptions options = new OrtSession.SessionOptions();
    options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
    int threads = intraOpThreads > 0 ? intraOpThreads : settings.intra_op_threads;
    if (threads > 0) {
      options.setIntraOpNumThreads(threads);
    }
    if (settings.inter_op_threads > 0) {
      options.setInterOpNumThreads(settings.inter_op_threads);
    }
    if (choice.provider() == ExecutionProvider.CUDA) {
      addCuda(options, settings);
    }
    return options;
  }

  @Override
  public synchronized void close() {
    for (ModelSession s : sessions) {
      s.close();
    }
    sessions.clear();
  }
}
