package dev.ocrgate.server.ocr;

import dev.ocrgate.server.batch.BatchListener;
import dev.ocrgate.server.config.ConfigException;
import dev.ocrgate.server.config.OcrgateConfig;
import dev.ocrgate.server.engine.EngineException;
import dev.ocrgate.server.engine.OnnxEngine;
import dev.ocrgate.server.vision.DecodeBudget;
import dev.ocrgate.server.vision.ImageDecoder;
import dev.ocrgate.server.vision.ImageLimits;
import java.time.Duration;
import java.util.function.Function;

/**
 * The OCR components of a production server, built from the config: model set, ONNX engine,
 * {@link BatchedOcrPipeline} (dynamic batching per model.yaml; it owns every ONNX session) and
 * {@link OcrGrpcService}. {@code ServerAssembly} registers them; other services (streaming) reuse
 * {@link #pipeline()}.
 *
 * <p>Closing closes the pipeline (draining its queue for up to {@code server.drain_timeout_seconds})
 * and then the sessions. Thread-safe after
 * construction.
 */
public final class OcrModule implements AutoCloseable {
  private final String modelName;
  private final OnnxEngine onnx;
  private final BatchedOcrPipeline pipeline;
  private final ImageDecoder decoder;

  private OcrModule(String modelName, OnnxEngine onnx, BatchedOcrPipeline pipeline, ImageDecoder decoder) {
    this.modelName = modelName;
    this.onnx = onnx;
    this.pipeline = pipeline;
    this.decoder = decoder;
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
    ImageDecoder decoder = imageDecoder(config);
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
          config.ocr.always_classify_direction, Duration.ofSeconds(config.server.drain_timeout_seconds));
      return new OcrModule(models.name(), onnx, pipeline, decoder);
    } catch (EngineException | IllegalArgumentException e) {
      onnx.close();
      throw new ConfigException(e.getMessage(), e);
    } catch (RuntimeException e) {
      onnx.close();
      throw e;
    }
  }

  /**
   * The image decoder of the {@code ocr} section: its limits and one decode budget for all calls
   * (also used by engines that are not ONNX models).
   */
  public static ImageDecoder imageDecoder(OcrgateConfig config) {
    try {
      ImageLimits limits = new ImageLimits(config.ocr.max_image_bytes, config.ocr.max_image_pixels);
      DecodeBudget budget = DecodeBudget.of(config.ocr.decodeMemoryBytes(Runtime.getRuntime().maxMemory()),
          Duration.ofMillis(config.ocr.decode_wait_ms));
      return ImageDecoder.create(limits, budget);
    } catch (IllegalArgumentException e) { // ConfigLoader.validate names the key; this only guards its ranges drifting
      throw new ConfigException("ocr: " + e.getMessage(), e);
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
    return decoder.limits();
  }

  /** The decoder every call uses (Recognize and StreamFrames share its budget). */
  public ImageDecoder imageDecoder() {
    return decoder;
  }

  /** The Recognize service over the pipeline, with StreamFrames delegated to {@code streams}. */
  public OcrGrpcService grpcService(OcrGrpcService.StreamOpener streams) {
    return OcrGrpcService.create(pipeline, decoder, modelName, streams);
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
