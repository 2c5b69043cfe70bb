package dev.ocrgate.bench.accuracy;

import dev.ocrgate.server.ocr.OcrPipeline;
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
    return false;
  }

  /**
   * Opens the PP-OCRv4 pipeline from {@code modelDir} on CPU with {@code threads} intra-op threads.
   *
   * @throws UnsupportedOperationException while the pipeline is not on main
   */
  public static Opened open(Path modelDir, int threads) throws Exception {
    throw new UnsupportedOperationException("the ocrgate OCR pipeline is not in this build yet");
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
