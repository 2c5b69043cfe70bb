package dev.ocrgate.bench.accuracy;

import com.google.protobuf.ByteString;
import dev.ocrgate.api.v1.EncodedImage;
import dev.ocrgate.api.v1.Image;
import dev.ocrgate.server.config.EngineSection;
import dev.ocrgate.server.config.OcrSection;
import dev.ocrgate.server.ocr.OcrEngine;
import dev.ocrgate.server.ocr.OcrPipeline;
import dev.ocrgate.server.ocr.OnnxOcrPipeline;
import dev.ocrgate.server.vision.ImageDecoder;
import dev.ocrgate.server.vision.ImageLimits;
import dev.ocrgate.server.vision.RgbImage;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Path;
import javax.imageio.ImageIO;

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

  /** True when this build contains the ocrgate pipeline implementation. */
  public static boolean available() {
    return true;
  }

  /**
   * Opens the PP-OCRv4 pipeline from {@code modelDir} on CPU with {@code threads} intra-op threads.
   *
   * <p>One worker thread (each inference already uses {@code threads} cores); images are decoded
   * by the server's {@link ImageDecoder} with its default limits.
   */
  public static Opened open(Path modelDir, int threads) throws Exception {
    EngineSection engine = new EngineSection();
    engine.provider = "cpu";
    engine.intra_op_threads = threads;
    OcrEngine ocr = OcrEngine.open(modelDir, engine);
    ocr.warmUp();
    OcrSection section = new OcrSection();
    section.workers = 1;
    section.max_queued_requests = 1024;
    OnnxOcrPipeline pipeline = OnnxOcrPipeline.create(ocr, section);
    Decoder decoder = bytes -> ImageDecoder.decode(
        Image.newBuilder().setEncoded(EncodedImage.newBuilder().setData(ByteString.copyFrom(bytes))).build(),
        ImageLimits.defaults());
    String description = ocr.modelName() + " on " + ocr.provider() + ", " + threads + " intra-op threads";
    return new Opened(pipeline, decoder, description, () -> {
      pipeline.close();
      ocr.close();
    });
  }

  /** ImageIO decoding to RGB, for use until vision.ImageDecoder is wired here. */
  public static RgbImage decodeWithImageIo(byte[] encoded) throws IOException {
    BufferedImage img = ImageIO.read(new ByteArrayInputStream(encoded));
    if (img == null) {
      throw new IOException("cannot decode image");
    }
    if (img.getType() != BufferedImage.TYPE_3BYTE_BGR) {
      BufferedImage bgr = new BufferedImage(img.getWidth(), img.getHeight(), BufferedImage.TYPE_3BYTE_BGR);
      bgr.createGraphics().drawImage(img, 0, 0, null);
      img = bgr;
    }
    return LineRenderer.toRgb(img);
  }
}
