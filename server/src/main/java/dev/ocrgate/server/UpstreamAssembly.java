package dev.ocrgate.server;

import dev.ocrgate.api.v1.OcrServiceGrpc;
import dev.ocrgate.server.config.OcrgateConfig;
import dev.ocrgate.server.observability.Metrics;
import dev.ocrgate.server.observability.PipelineMetrics;
import dev.ocrgate.server.observability.UpstreamMetrics;
import dev.ocrgate.server.ocr.ModelRepository;
import dev.ocrgate.server.ocr.OcrGrpcService;
import dev.ocrgate.server.ocr.OcrModule;
import dev.ocrgate.server.stream.StreamFramesService;
import dev.ocrgate.server.upstream.UpstreamEngine;
import dev.ocrgate.server.upstream.UpstreamModelConfig;
import dev.ocrgate.server.vision.ImageDecoder;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.ExecutorService;

/**
 * Wires Recognize and StreamFrames to a remote engine when the one configured model set says
 * {@code engine: openai_chat}: the same image decoder, services, drain and metrics as the ONNX
 * path (see {@link ServerAssembly}), an {@link UpstreamEngine} instead of models. The services
 * see only {@link dev.ocrgate.server.ocr.OcrPipeline}.
 *
 * <p>Startup does not wait for the upstream: it probes once (one log line when it does not
 * answer), reports NOT_SERVING while it does not, and SERVING once it does.
 */
final class UpstreamAssembly {
  private UpstreamAssembly() {}

  /** The model folder of a remote engine, or null when the configured set runs on ONNX Runtime. */
  static Path upstreamModelDir(OcrgateConfig config) {
    if (config.models == null || config.models.size() != 1) {
      return null; // OcrModule reports the count
    }
    Path dir = ModelRepository.resolve(config.models.get(0));
    return UpstreamEngine.isUpstream(dir) ? dir : null;
  }

  static void addOcr(OcrgateConfig config, Path modelDir, OcrgateServer.Builder builder, Metrics metrics) {
    UpstreamModelConfig model = UpstreamEngine.load(modelDir);
    ImageDecoder decoder = OcrModule.imageDecoder(config);
    UpstreamEngine engine = UpstreamEngine.create(model, System::getenv,
        UpstreamMetrics.create(metrics, model.name), Clock.systemUTC());
    ExecutorService prepare = StreamFramesService.preparationExecutor();
    // The upstream's queue: requests in flight plus those waiting for a slot (InFlightLimit).
    int queue = model.upstream.max_in_flight + model.upstream.max_queued;
    StreamFramesService streams = StreamFramesService.create(engine.pipeline(), decoder::decode, prepare,
        config.streaming, config.streaming.framesInFlight(queue), PipelineMetrics.streams(metrics));
    metrics.registerStreamAdmission(streams::framesInFlight, streams::streamsWaiting);
    builder
        .addService(OcrGrpcService.create(engine.pipeline(), decoder, engine.modelName(), streams::open).definition())
        .onDrain(streams::drain)
        .warmUp(engine::checkOnce)
        .whenServing(health -> engine.startHealth(health, OcrServiceGrpc.SERVICE_NAME))
        .onClose(prepare::shutdown)
        .onClose(engine)
        .startupFact("engine", "openai_chat " + engine.describe())
        .startupFact("models", engine.modelName());
  }
}
