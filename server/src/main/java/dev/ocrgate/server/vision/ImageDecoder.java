package dev.ocrgate.server.vision;

import dev.ocrgate.api.v1.EncodedImage;
import dev.ocrgate.api.v1.Image;
import dev.ocrgate.api.v1.RawImage;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.util.Iterator;
import java.util.Locale;
import java.util.Set;
import javax.imageio.ImageIO;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;

/**
 * Turns a request's {@link Image} into an {@link RgbImage}, refusing what the limits forbid
 * before spending memory on it: the encoded size is checked first, then the pixel count the
 * header declares (a 100k × 100k PNG of a few hundred bytes is refused without inflating a
 * single row). Only PNG, JPEG (TwelveMonkeys' reader when on the classpath) and BMP are accepted;
 * the format is sniffed from the bytes.
 *
 * <p>Every refusal is an {@link InvalidImageException} with a short fixed message that contains
 * nothing from the client's data. Stateless; thread-safe.
 */
public final class ImageDecoder {
  private static final Set<String> FORMATS = Set.of("png", "jpeg", "jpg", "bmp");

  private ImageDecoder() {}

  /**
   * Decodes {@code image} within {@code limits}.
   *
   * @throws InvalidImageException when the image is missing, too large, malformed or of an
   *     unsupported format
   */
  public static RgbImage decode(Image image, ImageLimits limits) throws InvalidImageException {
    switch (image.getSourceCase()) {
      case ENCODED:
        return decodeEncoded(image.getEncoded(), limits);
      case RAW:
        return RawPixels.toRgb(image.getRaw(), limits);
      default:
        throw new InvalidImageException("image is required");
    }
  }

  private static RgbImage decodeEncoded(EncodedImage encoded, ImageLimits limits)
      throws InvalidImageException {
    int size = encoded.getData().size();
    if (size == 0) {
      throw new InvalidImageException("image data is empty");
    }
    if (size > limits.maxEncodedBytes()) {
      throw new InvalidImageException(
          "image is larger than the limit of " + limits.maxEncodedBytes() + " bytes");
    }
    try (ImageInputStream in = new MemoryCacheImageInputStream(encoded.getData().newInput())) {
      ImageReader reader = readerFor(in);
      try {
        reader.setInput(in, true, true);
        checkPixels(reader, limits);
        return read(reader);
      } finally {
        reader.dispose();
      }
    } catch (IOException e) {
      throw new InvalidImageException("cannot decode image: corrupt or truncated data", e);
    }
  }

  private static ImageReader readerFor(ImageInputStream in) throws InvalidImageException {
    Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
    while (readers.hasNext()) {
      ImageReader reader = readers.next();
      String format = formatName(reader);
      if (FORMATS.contains(format)) {
        return reader;
      }
      reader.dispose();
    }
    throw new InvalidImageException("cannot decode image: not a PNG, JPEG or BMP file");
  }

  private static String formatName(ImageReader reader) {
    try {
      return reader.getFormatName().toLowerCase(Locale.ROOT);
    } catch (IOException e) {
      return "";
    }
  }

  private static void checkPixels(ImageReader reader, ImageLimits limits)
      throws InvalidImageException {
    int w;
    int h;
    try {
      w = reader.getWidth(0);
      h = reader.getHeight(0);
    } catch (IOException | RuntimeException e) {
      throw new InvalidImageException("cannot decode image: corrupt header", e);
    }
    if (w <= 0 || h <= 0) {
      throw new InvalidImageException("cannot decode image: empty image");
    }
    if ((long) w * h > limits.maxPixels()) {
      throw new InvalidImageException(
          "image has more than the limit of " + limits.maxPixels() + " pixels");
    }
  }

  private static RgbImage read(ImageReader reader) throws InvalidImageException {
    BufferedImage img;
    try {
      ImageReadParam param = reader.getDefaultReadParam();
      img = reader.read(0, param);
    } catch (IOException | RuntimeException e) {
      // Malformed input makes some readers throw unchecked exceptions (index errors, bad
      // Huffman tables): all of them mean the same to the client.
      throw new InvalidImageException("cannot decode image: corrupt or truncated data", e);
    }
    if (img == null) {
      throw new InvalidImageException("cannot decode image: no image in the file");
    }
    return RasterToRgb.convert(img);
  }
}
