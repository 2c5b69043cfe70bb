package dev.ocrgate.server.vision;

import com.google.protobuf.ByteString;
import dev.ocrgate.api.v1.EncodedImage;
import dev.ocrgate.api.v1.Image;
import dev.ocrgate.api.v1.PixelFormat;
import dev.ocrgate.api.v1.RawImage;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;
import javax.imageio.ImageIO;

/** Encoded and raw test images, including hostile ones built byte by byte. */
public final class TestImages {
  private TestImages() {}

  /** {@code img} encoded as {@code format} (png, jpg, bmp). */
  public static byte[] encode(BufferedImage img, String format) {
    try {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      if (!ImageIO.write(img, format, out)) {
        throw new IllegalStateException("no writer for " + format);
      }
      return out.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static Image encoded(byte[] data) {
    return Image.newBuilder()
        .setEncoded(EncodedImage.newBuilder().setData(ByteString.copyFrom(data)))
        .build();
  }

  public static Image raw(int w, int h, PixelFormat format, byte[] data) {
    return Image.newBuilder()
        .setRaw(RawImage.newBuilder().setWidth(w).setHeight(h).setFormat(format)
            .setData(ByteString.copyFrom(data)))
        .build();
  }

  /**
   * A PNG whose header declares {@code w} × {@code h} RGB pixels followed by one tiny IDAT: a
   * decompression bomb's header (decoding it for real would need w·h·3 bytes).
   */
  public static byte[] pngHeaderOnly(int w, int h) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(new byte[] {(byte) 0x89, 'P', 'N', 'G', 13, 10, 26, 10});
    ByteBuffer ihdr = ByteBuffer.allocate(13).putInt(w).putInt(h)
        .put((byte) 8).put((byte) 2).put((byte) 0).put((byte) 0).put((byte) 0);
    chunk(out, "IHDR", ihdr.array());
    chunk(out, "IDAT", new byte[] {0x78, (byte) 0x9c, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01});
    chunk(out, "IEND", new byte[0]);
    return out.toByteArray();
  }

  /**
   * The 78-byte BMP of the image-bomb report: a 1 × 1 BITMAPINFOHEADER whose compression is
   * {@code compression} (4 = BI_JPEG, 5 = BI_PNG) and whose image size field says 0x7FFFFFF0
   * bytes. The JDK's reader allocates that size for the embedded codec before reading it.
   */
  public static byte[] bmpEmbeddedBomb(int compression) {
    return bmp(40, 1, 1, 24, compression, 0x7FFFFFF0L, 54, 78, 0, 24);
  }

  /**
   * A BMP of {@code 14 + infoSize + extra} bytes (little-endian) with the given file and info
   * header fields; everything after them is zero.
   */
  public static byte[] bmp(int infoSize, int w, int h, int bitsPerPixel, int compression, long imageSize,
      long pixelOffset, long fileSize, long colorsUsed, int extra) {
    ByteBuffer b = ByteBuffer.allocate(14 + infoSize + extra).order(ByteOrder.LITTLE_ENDIAN);
    b.put((byte) 'B').put((byte) 'M').putInt((int) fileSize).putInt(0).putInt((int) pixelOffset);
    b.putInt(infoSize).putInt(w).putInt(h).putShort((short) 1).putShort((short) bitsPerPixel)
        .putInt(compression).putInt((int) imageSize).putInt(2835).putInt(2835)
        .putInt((int) colorsUsed).putInt(0);
    return b.array();
  }

  /** A PNG: signature, then the given chunks as they are (build them with {@link #pngChunk}). */
  public static byte[] png(byte[]... chunks) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(new byte[] {(byte) 0x89, 'P', 'N', 'G', 13, 10, 26, 10});
    for (byte[] c : chunks) {
      out.writeBytes(c);
    }
    return out.toByteArray();
  }

  /** One PNG chunk with its CRC. */
  public static byte[] pngChunk(String type, byte[] data) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    chunk(out, type, data);
    return out.toByteArray();
  }

  private static void chunk(ByteArrayOutputStream out, String type, byte[] data) {
    byte[] t = type.getBytes(StandardCharsets.US_ASCII);
    out.writeBytes(ByteBuffer.allocate(4).putInt(data.length).array());
    out.writeBytes(t);
    out.writeBytes(data);
    CRC32 crc = new CRC32();
    crc.update(t);
    crc.update(data);
    out.writeBytes(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
  }
}
