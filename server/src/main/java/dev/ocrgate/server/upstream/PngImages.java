package dev.ocrgate.server.upstream;

import dev.ocrgate.server.vision.RgbImage;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Iterator;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriter;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/**
 * PNG encoding of a decoded image for the upstream. The upstream only ever sees an image ocrgate
 * decoded, checked and encoded itself (never the caller's container bytes), cropped to the
 * requested region. Lossless, so the model reads exactly the pixels the caller sent. Stateless.
 */
final class PngImages {
  private PngImages() {}

  static byte[] encode(RgbImage image) {
    BufferedImage bi = new BufferedImage(image.width(), image.height(), BufferedImage.TYPE_3BYTE_BGR);
    byte[] bgr = ((DataBufferByte) bi.getRaster().getDataBuffer()).getData();
    byte[] rgb = image.data();
    for (int i = 0; i < rgb.length; i += 3) {
      bgr[i] = rgb[i + 2];
      bgr[i + 1] = rgb[i + 1];
      bgr[i + 2] = rgb[i];
    }
    Iterator<ImageWriter> writers = ImageIO.getImageWritersByFormatName("png");
    ImageWriter writer = writers.next();
    ByteArrayOutputStream out = new ByteArrayOutputStream(rgb.length / 4 + 1024);
    try (MemoryCacheImageOutputStream stream = new MemoryCacheImageOutputStream(out)) {
      writer.setOutput(stream);
      writer.write(bi);
    } catch (IOException e) {
      throw new UncheckedIOException(e); // in memory: does not happen
    } finally {
      writer.dispose();
    }
    return out.toByteArray();
  }
}
