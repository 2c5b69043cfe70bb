package dev.ocrgate.server.vision;

import java.nio.ByteBuffer;

/**
 * The BMP checks of {@link EncodedFormat}: the file and info headers are read here (little-endian,
 * fixed offsets) and every size the JDK's reader would act on is checked against the file's
 * length before that reader runs.
 */
final class BmpHeader {
  private static final int FILE_HEADER = 14;
  private static final int BI_RGB = 0;
  private static final int BI_RLE8 = 1;
  private static final int BI_RLE4 = 2;
  private static final int BI_BITFIELDS = 3;
  private static final long LCS_PROFILE_LINKED = 0x4C494E4BL; // 'LINK'
  private static final long LCS_PROFILE_EMBEDDED = 0x4D424544L; // 'MBED'

  private BmpHeader() {}

  /** {@code b}: the whole file, little-endian, position 0. */
  static void check(ByteBuffer b) throws InvalidImageException {
    long length = b.limit();
    if (length < FILE_HEADER + 4) {
      throw new InvalidImageException(EncodedFormat.BAD_CONTAINER);
    }
    long infoSize = u32(b, 14);
    if (infoSize != 12 && infoSize != 40 && infoSize != 52 && infoSize != 56 && infoSize != 108
        && infoSize != 124) {
      throw new InvalidImageException("cannot decode image: unsupported BMP header");
    }
    long pixelOffset = u32(b, 10);
    if (length < FILE_HEADER + infoSize || pixelOffset < FILE_HEADER + infoSize || pixelOffset > length) {
      throw new InvalidImageException(EncodedFormat.BAD_CONTAINER);
    }
    if (infoSize == 12) {
      return; // OS/2 1.x: no compression, palette bounded by the pixel offset
    }
    long compression = u32(b, 30);
    if (compression != BI_RGB && compression != BI_RLE8 && compression != BI_RLE4
        && compression != BI_BITFIELDS) {
      throw new InvalidImageException(EncodedFormat.BMP_COMPRESSION);
    }
    checkSizes(b, length, infoSize, compression, pixelOffset);
    if (infoSize == 124) {
      checkProfile(b, length);
    }
  }

  /** Image size, RLE data size and the BI_BITFIELDS palette must fit in the file. */
  private static void checkSizes(ByteBuffer b, long length, long infoSize, long compression,
      long pixelOffset) throws InvalidImageException {
    long imageSize = u32(b, 34);
    long fileSize = u32(b, 2);
    long colorsUsed = u32(b, 46);
    boolean rle = compression == BI_RLE8 || compression == BI_RLE4;
    if (imageSize > length
        || (rle && imageSize == 0 && (fileSize < pixelOffset || fileSize - pixelOffset > length))
        || (infoSize == 40 && compression == BI_BITFIELDS && colorsUsed * 4 > length)) {
      throw new InvalidImageException(EncodedFormat.BAD_CONTAINER);
    }
  }

  /** V5 header: an embedded profile must lie inside the file; a linked one is a server path. */
  private static void checkProfile(ByteBuffer b, long length) throws InvalidImageException {
    long colorSpace = u32(b, 70);
    if (colorSpace == LCS_PROFILE_LINKED) {
      throw new InvalidImageException("cannot decode image: BMP linked colour profiles are not supported");
    }
    if (colorSpace == LCS_PROFILE_EMBEDDED) {
      long profileData = u32(b, 126);
      long profileSize = u32(b, 130);
      if (FILE_HEADER + profileData + profileSize > length) {
        throw new InvalidImageException(EncodedFormat.BAD_CONTAINER);
      }
    }
  }

  private static long u32(ByteBuffer b, int offset) {
    return b.getInt(offset) & 0xffffffffL;
  }
}
