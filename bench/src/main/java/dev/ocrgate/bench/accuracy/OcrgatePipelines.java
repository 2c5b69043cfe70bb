package dev.ocrgate.bench.accuracy;

import com.google.protobuf.ByteString;
import dev.ocrgate.api.v1.EncodedImage;
import dev.ocrgate.api.v1.Image;
import dev.ocrgate.server.config.OcrgateConfig;
import dev.ocrgate.server.ocr.OcrModule;
import dev.ocrgate.server.ocr.OcrPipeline;
import dev.ocrgate.server.vision.ImageDecoder;
import dev.ocrgate.server.vision.ImageLimits;
import dev.ocrgate.server.vision.RgbImage;
import java.nio.file.Path;
import java.util.List;

/**
 * The one place the accuracy bench and its regression test build ocrgate's production OCR pipeline,
 * so that when the pipeline's construction changes only this class follows.
 */
public final class OcrgatePipelines {
  private OcrgatePipelines() {}

  /** Decodes encoded image bytes (PNG here) to RGB. */
  @FunctionalInterface
  public interface Decoder {
    RgbImage decode(byte[] encoded) throws Exception;
  }

  /** A pipeline, the decoder it is fed with, and what closes them. */
  public record Opened(OcrPipeline pipeline, Decoder decoder, String description, AutoCloseable closer)
      implements AutoCloseable {
    @Override
    public void close() throws Exception {
      closer.close();
    }
  }

  /**
   * Opens the production pipeline exactly as the server builds it ({@link OcrModule}: the batched
   * pipeline, thresholds and CPU batching spec from {@code modelDir}/model.yaml) on the CPU
   * provider, warmed up; images are decoded by the server's {@link ImageDecoder} with the
   * server's default limits.
   */
  public static Opened open(Path modelDir) {
    OcrgateConfig config = new OcrgateConfig();
    config.models = List.of(modelDir.toAbsolutePath().toString());
    config.engine.provider = "cpu";
    OcrModule module = OcrModule.create(config);
    try {
      module.warmUp();
    } catch (RuntimeException e) {
      module.close();
      throw e;
    }
    ImageLimits limits = module.imageLimits();
    String description = module + ": OcrModule + BatchedOcrPipeline with the CPU batching spec and "
        + "thresholds of " + modelDir.getFileName() + "/model.yaml; ImageDecoder";
    return new Opened(module.pipeline(), bytes -> decode(bytes, limits), description, module::close);
  }

  /** The server's own decoder, as the Recognize call uses it. */
  public static RgbImage decode(byte[] encoded, ImageLimits limits) throws Exception {
    Image image = Image.newBuilder()
        .setEncoded(EncodedImage.newBuilder().setData(ByteString.copyFrom(encoded)))
        .build();
    return ImageDecoder.decode(image, limits);
  }
}
