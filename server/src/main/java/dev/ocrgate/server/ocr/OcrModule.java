package dev.ocrgate.server.ocr;

import dev.ocrgate.server.batch.BatchListener;
import dev.ocrgate.server.batch.BatchingSpec;
import dev.ocrgate.server.config.ConfigException;
import dev.ocrgate.server.config.OcrgateConfig;
import dev.ocrgate.server.engine.EngineException;
import dev.ocrgate.server.engine.OnnxEngine;
import dev.ocrgate.server.vision.ImageLimits;
import java.util.function.Function;

/**
 * The OCR components of a production server, built from the config: model set, ONNX engine,
 * {@link BatchedOcrPipeline} (dynamic batching per model.yaml; it owns every ONNX session) and
 * {@link OcrGrpcService}. {@code ServerAssembly} registers them; other services (streaming) reuse
 * {@link #pipeline()}.
 *
 * <p>Closing closes the pipeline (draining its queue) and then the sessions. Thread-safe after
 * construction.
 */
public final class OcrModule implements AutoCloseable {
  private final String modelName;
  private final OnnxEngine onnx;
  private final BatchedOcrPipeline pipeline;
  private final ImageLimits limits;

  private OcrModule(String modelName, OnnxEngine onnx, BatchedOcrPipeline pipeline, ImageLimits limits) {
    this.modelName = modelName;
    this.onnx = onnx;
    this.pipeline = pipeline;
    this.limits = limits;
  }

  /**
   * Loads the configured model set and opens its sessions.
   *
   * @throws ConfigException naming the missing or invalid file or setting, the model that
   *     cannot be loaded, or why the configured provider cannot be used
   */
  public static OcrModule create(OcrgateConfig config) {
    return create(config, provider -> BatchListener.NONE, provider -> BatchListener.NONE);
  }

  /**
   * As {@link #create(OcrgateConfig)}, reporting the detection and recognition batchers' metrics
   * to listeners made for the provider in use ({@code CPU} or {@code CUDA:<device>}, known only
   * once the engine has chosen it: the configuration may say {@code auto}).
   */
  public static OcrModule create(OcrgateConfig config,
      Function<String, BatchListener> detection,
      Function<String, BatchListener> recognition) {
    if (config.models == null || config.models.size() != 1) {
      throw new ConfigException("models must list exactly one model folder (Recognize has no model"
          + " selection yet), got " + (config.models == null ? 0 : config.models.size()));
    }
    ModelRepository.ModelSet models = ModelRepository.load(ModelRepository.resolve(config.models.get(0)));
    ImageLimits limits;
    try {
      limits = new ImageLimits(config.ocr.max_image_bytes, config.ocr.max_image_pixels);
    } catch (IllegalArgumentException e) {
      throw new ConfigException("ocr.max_image_bytes and ocr.max_image_pixels must be positive");
    }
    OnnxEngine onnx;
    try {
      onnx = OnnxEngine.create(config.engine);
    } catch (EngineException e) {
      throw new ConfigException(e.getMessage(), e);
    }
    try {
      BatchingSpec.Provider batching = models.config().batching.forProvider(onnx.providerLabel());
      BatchedOcrPipeline pipeline = BatchedOcrPipeline.create(models, onnx, batching,
          detection.apply(onnx.providerLabel()), recognition.apply(onnx.providerLabel()),
          config.ocr.always_classify_direction);
      return new OcrModule(models.name(), onnx, pipeline, limits);
    } catch (EngineException | IllegalArgumentException e) {
      onnx.close();
      throw new ConfigException(e.getMessage(), e);
    } catch (RuntimeException e) {
      onnx.close();
      throw e;
    }
  }

  /** The model set's name, e.g. {@code ppocr-v4}. */
  public String modelName() {
    return modelName;
  }

  /** The execution provider in use: {@code CPU} or {@code CUDA:<device>}. */
  public String provider() {
    return onnx.providerLabel();
  }

  public OcrPipeline pipeline() {
    return pipeline;
  }

  /** The batched pipeline itself (queue depths, batchers). */
  public BatchedOcrPipeline batchedPipeline() {
    return pipeline;
  }

  public ImageLimits imageLimits() {
    return limits;
  }

  /** The unary Recognize service over the pipeline. */
  public OcrGrpcService grpcService() {
    return OcrGrpcService.create(pipeline, limits, modelName);
  }

  /** One dummy batch per session (and the dictionary check), so the first request is not slow. */
  public void warmUp() {
    pipeline.warmUp();
  }

  @Override
  public void close() {
    pipeline.close();
    onnx.close();
  }

  @Override
  public String toString() {
    return "OcrModule[" + modelName + " on " + provider() + "]";
  }
}
