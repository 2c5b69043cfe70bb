package dev.ocrgate.server.vision;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.management.ThreadMXBean;
import dev.ocrgate.api.v1.Image;
import dev.ocrgate.api.v1.PixelFormat;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.Arrays;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.MemoryCacheImageOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Hostile encoded and raw images: every header-declared size that could make a reader allocate
 * more than the file holds is refused before the reader runs, with the bytes this thread allocated
 * measured (the JDK's BMP reader allocated 2 GiB for the 78-byte BI_PNG file); the formats and
 * variants that are safe still decode.
 */
class ImageBombTest {
  private static final ImageLimits LIMITS = ImageLimits.defaults();
  /** Far above what a refusal costs (parsing a header), far below any declared size here. */
  private static final long ALLOCATION_BOUND = 4L << 20;
  private static final ThreadMXBean THREADS =
      (ThreadMXBean) ManagementFactory.getThreadMXBean();

  @ParameterizedTest(name = "compression {0}")
  @ValueSource(ints = {4, 5}) // BI_JPEG, BI_PNG
  void verify_bmpWithEmbeddedCodec_isRefusedWithoutAllocating(int compression) {
    byte[] bomb = TestImages.bmpEmbeddedBomb(compression);
    assertThat(bomb).hasSize(78);
    assertRefusedCheaply(TestImages.encoded(bomb), EncodedFormat.BMP_COMPRESSION);
  }

  @Test
  void verify_bmpSizesBeyondTheFile_areRefused() {
    // RLE8 data size, palette offset, BI_BITFIELDS palette, RLE size from the file size field
    assertRefusedCheaply(TestImages.encoded(TestImages.bmp(40, 4, 4, 8, 1, 0x7FFFFFF0L, 54, 78, 0, 24)),
        EncodedFormat.BAD_CONTAINER);
    assertRefusedCheaply(TestImages.encoded(TestImages.bmp(40, 4, 4, 8, 0, 0, 0x7FFFFFF0L, 78, 0, 24)),
        EncodedFormat.BAD_CONTAINER);
    assertRefusedCheaply(TestImages.encoded(TestImages.bmp(40, 4, 4, 32, 3, 0, 66, 78, 0x1FFFFFFF, 36)),
        EncodedFormat.BAD_CONTAINER);
    assertRefusedCheaply(TestImages.encoded(TestImages.bmp(40, 4, 4, 8, 2, 0, 54, 0x7FFFFFF0L, 0, 24)),
        EncodedFormat.BAD_CONTAINER);
    // compressions the JDK reader does not know (BI_ALPHABITFIELDS, CMYK) and unknown header sizes
    assertRefusedCheaply(TestImages.encoded(TestImages.bmp(40, 1, 1, 32, 6, 0, 54, 78, 0, 24)),
        EncodedFormat.BMP_COMPRESSION);
    assertRefusedCheaply(TestImages.encoded(TestImages.bmp(64, 1, 1, 24, 0, 0, 78, 78, 0, 0)),
        "cannot decode image: unsupported BMP header");
  }

  @Test
  void verify_bmpV5LinkedProfile_isRefused_andEmbeddedProfileMustFit() {
    byte[] linked = v5(0x4C494E4B, 124, 16);
    assertRefusedCheaply(TestImages.encoded(linked), "cannot decode image: BMP linked colour profiles are not supported");
    byte[] embedded = v5(0x4D424544, 124, 0x7FFFFFF0);
    assertRefusedCheaply(TestImages.encoded(embedded), EncodedFormat.BAD_CONTAINER);
  }

  @Test
  void verify_safeBmpVariants_stillDecode() throws Exception {
    BufferedImage indexed = new BufferedImage(9, 5, BufferedImage.TYPE_BYTE_INDEXED);
    paint(indexed);
    byte[] rle8 = bmpWith(indexed, "BI_RLE8");
    assertThat(rle8[30]).as("compression field").isEqualTo((byte) 1);
    RgbImage rle = ImageDecoder.decode(TestImages.encoded(rle8), LIMITS);
    RgbImage plain = ImageDecoder.decode(TestImages.encoded(TestImages.encode(indexed, "bmp")), LIMITS);
    assertThat(rle.data()).isEqualTo(plain.data());
    BufferedImage rgb = new BufferedImage(9, 5, BufferedImage.TYPE_USHORT_565_RGB);
    paint(rgb);
    byte[] bitfields = bmpWith(rgb, "BI_BITFIELDS");
    assertThat(bitfields[30]).as("compression field").isEqualTo((byte) 3);
    RgbImage fields = ImageDecoder.decode(TestImages.encoded(bitfields), LIMITS);
    assertThat(fields.width()).isEqualTo(9);
    assertThat(fields.height()).isEqualTo(5);
  }

  @Test
  void verify_pngChunkLongerThanTheFile_isRefused() {
    ByteBuffer ihdr = ByteBuffer.allocate(13).putInt(4).putInt(4).put((byte) 8).put((byte) 3)
        .put((byte) 0).put((byte) 0).put((byte) 0);
    byte[] hugeText = ByteBuffer.allocate(8).putInt(0x7FFFFFF0).put("tEXt".getBytes()).array();
    byte[] png = TestImages.png(TestImages.pngChunk("IHDR", ihdr.array()),
        TestImages.pngChunk("PLTE", new byte[768]), hugeText, new byte[64]);
    assertRefusedCheaply(TestImages.encoded(png), EncodedFormat.BAD_CONTAINER);
  }

  @Test
  void verify_jpegWithTooManyScans_isRefused_andProgressiveJpegDecodes() throws Exception {
    BufferedImage img = new BufferedImage(64, 48, BufferedImage.TYPE_3BYTE_BGR);
    paint(img);
    byte[] progressive = progressiveJpeg(img);
    RgbImage decoded = ImageDecoder.decode(TestImages.encoded(progressive), LIMITS);
    assertThat(decoded.width()).isEqualTo(64);
    assertThat(EncodedFormat.check(ByteBuffer.wrap(progressive)).progressive()).isTrue();

    assertRefusedCheaply(TestImages.encoded(repeatLastScan(progressive, EncodedFormat.MAX_SCANS)),
        "cannot decode image: JPEG has more than " + EncodedFormat.MAX_SCANS + " scans");
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"gif", "tiff", "wbmp"})
  void verify_otherFormats_areRefusedBeforeAnyReader(String format) {
    BufferedImage img = new BufferedImage(8, 8, "wbmp".equals(format) ? BufferedImage.TYPE_BYTE_BINARY
        : BufferedImage.TYPE_3BYTE_BGR);
    assertRefusedCheaply(TestImages.encoded(TestImages.encode(img, format)), EncodedFormat.UNSUPPORTED);
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"PIXEL_FORMAT_RGB8", "PIXEL_FORMAT_BGR8"})
  void verify_rawWidthTimesHeightOverflow_isRefusedByThePixelLimit(String format) {
    // 4294571377 × 2863575501 wraps a signed long to a negative number, and × 3 to 1399 (mod 2^64):
    // a 1399-byte message claimed a 12·10^18-pixel image and passed both checks
    long w = 4294571377L;
    long h = 2863575501L;
    assertThat(w * h).isNegative();
    assertThat(w * h * 3).isEqualTo(1399);
    Image raw = TestImages.raw((int) w, (int) h, PixelFormat.valueOf(format), new byte[1399]);
    assertRefusedCheaply(raw, "image has more than the limit of 40000000 pixels");
  }

  @Test
  void verify_decodeHolding_keepsTheImagesShareUntilClosed() throws Exception {
    DecodeBudget budget = DecodeBudget.of(1 << 20, Duration.ZERO);
    ImageDecoder decoder = ImageDecoder.create(LIMITS, budget);
    Image raw = TestImages.raw(100, 100, PixelFormat.PIXEL_FORMAT_GRAY8, new byte[10_000]);
    try (ImageDecoder.Decoded d = decoder.decodeHolding(raw, 0)) {
      assertThat(budget.inUseBytes()).isEqualTo(30 * DecodeBudget.UNIT); // 30,000 B of RGB, in KiB
      assertThat(d.image().data()).hasSize(30_000);
    }
    assertThat(budget.inUseBytes()).isZero();
    decoder.decode(raw);
    assertThat(budget.inUseBytes()).isZero();
  }

  @Test
  void verify_budgetWithoutRoom_isDecodeBudgetException_andRefusedImagesReleaseTheirShare() throws Exception {
    DecodeBudget budget = DecodeBudget.of(64 * 1024, Duration.ZERO);
    ImageDecoder decoder = ImageDecoder.create(LIMITS, budget);
    BufferedImage img = new BufferedImage(40, 40, BufferedImage.TYPE_3BYTE_BGR);
    byte[] png = TestImages.encode(img, "png");
    try (DecodeBudget.Permit other = budget.acquire(60 * 1024, 0)) {
      assertThatThrownBy(() -> decoder.decode(TestImages.encoded(png)))
          .isInstanceOf(DecodeBudgetException.class)
          .hasMessage(DecodeBudgetException.MESSAGE);
    }
    byte[] truncated = Arrays.copyOf(png, png.length - 20);
    assertThatThrownBy(() -> decoder.decode(TestImages.encoded(truncated)))
        .isInstanceOf(InvalidImageException.class)
        .isNotInstanceOf(DecodeBudgetException.class);
    assertThat(budget.inUseBytes()).isZero();
    assertThat(decoder.decode(TestImages.encoded(png)).width()).isEqualTo(40);
  }

  private static void assertRefusedCheaply(Image image, String message) {
    long tid = Thread.currentThread().getId();
    long before = THREADS.getThreadAllocatedBytes(tid);
    assertThatThrownBy(() -> ImageDecoder.decode(image, LIMITS))
        .isInstanceOf(InvalidImageException.class)
        .hasMessage(message);
    long allocated = THREADS.getThreadAllocatedBytes(tid) - before;
    assertThat(allocated).as("bytes allocated refusing it").isLessThan(ALLOCATION_BOUND);
  }

  /** A V5-header BMP, 2 × 2 × 24 bit, with colour space {@code cs} and the given profile range. */
  private static byte[] v5(int cs, int profileData, int profileSize) {
    int pixels = 16;
    int tail = profileSize < 1024 ? profileSize : 0;
    ByteBuffer b = ByteBuffer.allocate(14 + 124 + pixels + tail).order(ByteOrder.LITTLE_ENDIAN);
    b.put((byte) 'B').put((byte) 'M').putInt(b.capacity()).putInt(0).putInt(14 + 124);
    b.putInt(124).putInt(2).putInt(2).putShort((short) 1).putShort((short) 24).putInt(0).putInt(pixels)
        .putInt(2835).putInt(2835).putInt(0).putInt(0);
    b.putInt(0xff0000).putInt(0xff00).putInt(0xff).putInt(0).putInt(cs);
    b.position(14 + 108);
    b.putInt(4).putInt(profileData + pixels).putInt(profileSize).putInt(0);
    return b.array();
  }

  private static void paint(BufferedImage img) {
    Graphics2D g = img.createGraphics();
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, img.getWidth(), img.getHeight());
    g.setColor(Color.BLUE);
    g.fillRect(1, 1, img.getWidth() / 2, img.getHeight() / 2);
    g.dispose();
  }

  private static byte[] bmpWith(BufferedImage img, String compression) throws IOException {
    return write(img, "bmp", p -> {
      p.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
      p.setCompressionType(compression);
    });
  }

  private static byte[] progressiveJpeg(BufferedImage img) throws IOException {
    return write(img, "jpeg", p -> p.setProgressiveMode(ImageWriteParam.MODE_DEFAULT));
  }

  private interface ParamSetter {
    void set(ImageWriteParam param);
  }

  private static byte[] write(BufferedImage img, String format, ParamSetter setter) throws IOException {
    ImageWriter writer = ImageIO.getImageWritersByFormatName(format).next();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (MemoryCacheImageOutputStream stream = new MemoryCacheImageOutputStream(out)) {
      writer.setOutput(stream);
      ImageWriteParam param = writer.getDefaultWriteParam();
      setter.set(param);
      writer.write(null, new IIOImage(img, null, null), param);
    } finally {
      writer.dispose();
    }
    return out.toByteArray();
  }

  /** {@code jpeg} with its last scan (SOS to EOI) repeated {@code extra} more times. */
  private static byte[] repeatLastScan(byte[] jpeg, int extra) {
    int sos = -1;
    for (int i = 0; i + 1 < jpeg.length; i++) {
      if ((jpeg[i] & 0xff) == 0xff && (jpeg[i + 1] & 0xff) == 0xda) {
        sos = i;
      }
    }
    int eoi = jpeg.length - 2;
    byte[] scan = Arrays.copyOfRange(jpeg, sos, eoi);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(jpeg, 0, eoi);
    for (int i = 0; i < extra; i++) {
      out.writeBytes(scan);
    }
    out.write(jpeg, eoi, 2);
    return out.toByteArray();
  }
}
