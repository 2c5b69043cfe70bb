package dev.ocrgate.server.vision;

import com.google.protobuf.ByteString;
import dev.ocrgate.api.v1.EncodedImage;
import dev.ocrgate.api.v1.Image;
import dev.ocrgate.api.v1.RawImage;
import java.awt.image.BufferedImage;
import java.awt.image.DataBuffer;
import java.awt.image.SampleModel;
import java.awt.image.SinglePixelPackedSampleModel;
import java.io.IOException;
import java.util.Iterator;
import javax.imageio.ImageIO;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;

/**
 * Turns a request's {@link Image} into an {@link RgbImage}, refusing what the limits forbid
 * before spending memory on it, in this order:
 *
 * <ol>
 *   <li>the encoded size ({@code ocr.max_image_bytes});
 *   <li>the container ({@link EncodedFormat}): PNG, JPEG (TwelveMonkeys' reader when on the
 *       classpath) or BMP without an embedded codec, sniffed from the bytes, with every size the
 *       file declares inside the file — no reader ever sees anything else;
 *   <li>the pixel count the header declares ({@code ocr.max_image_pixels}): a 100k × 100k PNG of
 *       a few hundred bytes is refused without inflating a single row;
 *   <li>a share of the {@link DecodeBudget} for the decode's peak memory (width × height × the
 *       reader's bytes per pixel plus the RGB copies), waited for at most the budget's wait and
 *       the caller's bound; then the pixels are decoded.
 * </ol>
 *
 * <p>Every refusal is an {@link InvalidImageException} with a short fixed message that contains
 * nothing from the client's data ({@link DecodeBudgetException} when only the budget was
 * missing). Thread-safe; the budget is the only shared state.
 */
public final class ImageDecoder {
  /** Bytes per pixel beyond the reader's raster: a possible redraw to 3-byte BGR and the RGB output. */
  private static final int CONVERSION_BYTES_PER_PIXEL = 6;
  /** A progressive JPEG's decoder keeps every coefficient: 2 bytes × up to 3 components. */
  private static final int PROGRESSIVE_BYTES_PER_PIXEL = 6;
  /** When the reader cannot say: 16-bit RGBA. */
  private static final int UNKNOWN_RASTER_BYTES_PER_PIXEL = 8;

  private final ImageLimits limits;
  private final DecodeBudget budget;

  private ImageDecoder(ImageLimits limits, DecodeBudget budget) {
    this.limits = limits;
    this.budget = budget;
  }

  /** A decoder that refuses what {@code limits} forbid and decodes within {@code budget}. */
  public static ImageDecoder create(ImageLimits limits, DecodeBudget budget) {
    return new ImageDecoder(limits, budget);
  }

  /**
   * Decodes {@code image} within {@code limits} without a shared budget (tools and tests that
   * decode one image at a time).
   */
  public static RgbImage decode(Image image, ImageLimits limits) throws InvalidImageException {
    return create(limits, DecodeBudget.unlimited()).decode(image);
  }

  public ImageLimits limits() {
    return limits;
  }

  /**
   * Decodes {@code image}, waiting at most the budget's wait for its share, and gives the whole
   * share back before returning.
   *
   * @throws InvalidImageException when the image is missing, too large, malformed or of an
   *     unsupported format; {@link DecodeBudgetException} when the budget had no room in time
   */
  public RgbImage decode(Image image) throws InvalidImageException {
    try (Decoded decoded = decodeHolding(image, budget.maxWait().toNanos())) {
      return decoded.image();
    }
  }

  /**
   * Decodes {@code image}, waiting at most {@code waitNanos} (and the budget's wait), and keeps
   * the part of the share the decoded image occupies until the result is closed: close it when
   * the image is no longer needed (the OCR call finished).
   */
  public Decoded decodeHolding(Image image, long waitNanos) throws InvalidImageException {
    switch (image.getSourceCase()) {
      case ENCODED:
        return decodeEncoded(image.getEncoded(), waitNanos);
      case RAW:
        RawImage raw = image.getRaw();
        return withBudget(RawPixels.check(raw, limits), waitNanos, () -> RawPixels.toRgb(raw));
      default:
        throw new InvalidImageException("image is required");
    }
  }

  /** A decoded image and the share of the budget it still holds; closing releases the share. */
  public record Decoded(RgbImage image, DecodeBudget.Permit permit) implements AutoCloseable {
    @Override
    public void close() {
      permit.close();
    }
  }

  @FunctionalInterface
  private interface Step {
    RgbImage run() throws InvalidImageException;
  }

  /** Runs {@code step} holding {@code cost} bytes, then keeps only what the image occupies. */
  private Decoded withBudget(long cost, long waitNanos, Step step) throws InvalidImageException {
    DecodeBudget.Permit permit = budget.acquire(cost, waitNanos);
    boolean done = false;
    try {
      RgbImage image = step.run();
      permit.shrinkTo(image.data().length);
      done = true;
      return new Decoded(image, permit);
    } finally {
      if (!done) {
        permit.close();
      }
    }
  }

  private Decoded decodeEncoded(EncodedImage encoded, long waitNanos) throws InvalidImageException {
    ByteString data = encoded.getData();
    if (data.isEmpty()) {
      throw new InvalidImageException("image data is empty");
    }
    if (data.size() > limits.maxEncodedBytes()) {
      throw new InvalidImageException(
          "image is larger than the limit of " + limits.maxEncodedBytes() + " bytes");
    }
    EncodedFormat.Checked checked = EncodedFormat.check(data.asReadOnlyByteBuffer());
    try (ImageInputStream in = new MemoryCacheImageInputStream(data.newInput())) {
      ImageReader reader = readerFor(checked.format());
      try {
        reader.setInput(in, true, true);
        long pixels = checkPixels(reader, limits);
        return withBudget(cost(reader, pixels, checked.progressive()), waitNanos, () -> read(reader));
      } finally {
        reader.dispose();
      }
    } catch (IOException e) {
      throw new InvalidImageException(EncodedFormat.BAD_CONTAINER, e);
    }
  }

  private static ImageReader readerFor(EncodedFormat format) throws InvalidImageException {
    Iterator<ImageReader> readers = ImageIO.getImageReadersByFormatName(format.readerFormat());
    if (!readers.hasNext()) {
      throw new InvalidImageException(EncodedFormat.UNSUPPORTED);
    }
    return readers.next();
  }

  private static long checkPixels(ImageReader reader, ImageLimits limits)
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
    return (long) w * h;
  }

  /** The decode's peak memory: the reader's raster, the conversion copies, JPEG coefficients. */
  private static long cost(ImageReader reader, long pixels, boolean progressive) {
    long perPixel = rasterBytesPerPixel(reader) + CONVERSION_BYTES_PER_PIXEL
        + (progressive ? PROGRESSIVE_BYTES_PER_PIXEL : 0);
    return pixels * perPixel;
  }

  private static int rasterBytesPerPixel(ImageReader reader) {
    ImageTypeSpecifier type;
    try {
      type = reader.getRawImageType(0);
    } catch (IOException | RuntimeException e) {
      type = null;
    }
    if (type == null) {
      return UNKNOWN_RASTER_BYTES_PER_PIXEL;
    }
    SampleModel sm = type.getSampleModel();
    if (sm instanceof SinglePixelPackedSampleModel) {
      return Math.max(1, DataBuffer.getDataTypeSize(sm.getDataType()) / 8);
    }
    int bits = 0;
    for (int size : sm.getSampleSize()) {
      bits += size;
    }
    return Math.max(1, (bits + 7) / 8);
  }

  private static RgbImage read(ImageReader reader) throws InvalidImageException {
    BufferedImage img;
    try {
      ImageReadParam param = reader.getDefaultReadParam();
      img = reader.read(0, param);
    } catch (IOException | RuntimeException e) {
      // Malformed input makes some readers throw unchecked exceptions (index errors, bad
      // Huffman tables): all of them mean the same to the client.
      throw new InvalidImageException(EncodedFormat.BAD_CONTAINER, e);
    }
    if (img == null) {
      throw new InvalidImageException("cannot decode image: no image in the file");
    }
    return RasterToRgb.convert(img);
  }
}
