package dev.ocrgate.server.vision;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Identifies an encoded image by its signature and checks its container before any ImageIO reader
 * sees it, so that no size the file declares can make a reader allocate more than the file holds
 * (the pixel count is checked separately, from the reader's header):
 *
 * <ul>
 *   <li>BMP: only BI_RGB, BI_RLE8, BI_RLE4 and BI_BITFIELDS. BI_JPEG and BI_PNG are refused: the
 *       JDK's reader allocates the header's image size (up to 2 GiB) for the embedded codec before
 *       reading a byte of it, and the embedded image's own size is never checked. Pixel offset,
 *       image size, palette and colour-profile ranges must lie inside the file; linked colour
 *       profiles (a path on the server's disk) are refused.
 *   <li>PNG: every chunk's declared length must fit in the file.
 *   <li>JPEG: every segment's declared length must fit in the file, and at most {@link #MAX_SCANS}
 *       scans (a progressive file of many tiny scans makes the decoder walk the whole image once
 *       per scan: seconds of CPU from a small file). Progressive files are reported, because their
 *       decoder keeps every coefficient of the image in (native) memory.
 * </ul>
 *
 * <p>Everything else (GIF, TIFF, WebP, WBMP, ...) is refused: those readers are never reached.
 * Stateless; thread-safe; reads the bytes once, allocates nothing per byte.
 */
enum EncodedFormat {
  PNG("png"),
  JPEG("jpeg"),
  BMP("bmp");

  /** More scans than any encoder's progressive script uses (libjpeg's has 10). */
  static final int MAX_SCANS = 100;

  static final String UNSUPPORTED = "cannot decode image: not a PNG, JPEG or BMP file";
  static final String BAD_CONTAINER = "cannot decode image: corrupt or truncated data";
  static final String BMP_COMPRESSION =
      "cannot decode image: BMP compression not supported (use uncompressed, RLE or bitfields)";

  private static final byte[] PNG_SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', 13, 10, 26, 10};

  private final String readerFormat;

  EncodedFormat(String readerFormat) {
    this.readerFormat = readerFormat;
  }

  /** The ImageIO format name whose reader decodes this format. */
  String readerFormat() {
    return readerFormat;
  }

  /** What {@link #check} found. {@code progressive}: a progressive (multi-scan) JPEG. */
  record Checked(EncodedFormat format, boolean progressive) {}

  /** The format of {@code data}, once its container passed the checks above. */
  static Checked check(ByteBuffer data) throws InvalidImageException {
    ByteBuffer b = data.duplicate().order(ByteOrder.BIG_ENDIAN);
    if (startsWith(b, PNG_SIGNATURE)) {
      checkPngChunks(b);
      return new Checked(PNG, false);
    }
    if (b.remaining() >= 3 && (b.get(0) & 0xff) == 0xff && (b.get(1) & 0xff) == 0xd8
        && (b.get(2) & 0xff) == 0xff) {
      return new Checked(JPEG, jpegIsProgressive(b));
    }
    if (b.remaining() >= 2 && b.get(0) == 'B' && b.get(1) == 'M') {
      BmpHeader.check(b.order(ByteOrder.LITTLE_ENDIAN));
      return new Checked(BMP, false);
    }
    throw new InvalidImageException(UNSUPPORTED);
  }

  private static boolean startsWith(ByteBuffer b, byte[] prefix) {
    if (b.remaining() < prefix.length) {
      return false;
    }
    for (int i = 0; i < prefix.length; i++) {
      if (b.get(i) != prefix[i]) {
        return false;
      }
    }
    return true;
  }

  /** Walks the chunks up to IEND (or the end of the data): each must fit in what is left. */
  private static void checkPngChunks(ByteBuffer b) throws InvalidImageException {
    int limit = b.limit();
    long pos = PNG_SIGNATURE.length;
    while (pos + 8 <= limit) {
      long length = b.getInt((int) pos) & 0xffffffffL;
      int type = b.getInt((int) pos + 4);
      long end = pos + 12 + length;
      if (end > limit) {
        throw new InvalidImageException(BAD_CONTAINER);
      }
      if (type == 0x49454e44) { // IEND
        return;
      }
      pos = end;
    }
  }

  /**
   * Walks the markers: each segment must fit in the data; entropy-coded data after a scan header
   * is skipped to the next marker. Returns whether a progressive frame header (SOF2/6/10/14) was
   * seen; refuses more than {@link #MAX_SCANS} scans.
   */
  private static boolean jpegIsProgressive(ByteBuffer b) throws InvalidImageException {
    int limit = b.limit();
    int pos = 2;
    int scans = 0;
    boolean progressive = false;
    while (pos + 1 < limit) {
      if ((b.get(pos) & 0xff) != 0xff) {
        pos++; // stray bytes before a marker: decoders skip them too
        continue;
      }
      int marker = b.get(pos + 1) & 0xff;
      pos += 2;
      if (marker == 0xff) {
        pos--; // fill byte
        continue;
      }
      if (marker == 0xd9) { // EOI
        break;
      }
      if (marker == 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
        continue; // no length
      }
      if (pos + 2 > limit) {
        break; // truncated: the reader reports it
      }
      int length = b.getShort(pos) & 0xffff;
      if (length < 2 || pos + length > limit) {
        throw new InvalidImageException(BAD_CONTAINER);
      }
      if (marker == 0xc2 || marker == 0xc6 || marker == 0xca || marker == 0xce) {
        progressive = true;
      }
      pos += length;
      if (marker == 0xda) {
        if (++scans > MAX_SCANS) {
          throw new InvalidImageException(
              "cannot decode image: JPEG has more than " + MAX_SCANS + " scans");
        }
        pos = skipEntropyCoded(b, pos, limit);
      }
    }
    return progressive;
  }

  /** The position of the next marker after entropy-coded data (0xFF 0x00 and RSTn belong to it). */
  private static int skipEntropyCoded(ByteBuffer b, int pos, int limit) {
    while (pos + 1 < limit) {
      if ((b.get(pos) & 0xff) == 0xff) {
        int next = b.get(pos + 1) & 0xff;
        if (next != 0x00 && next != 0xff && (next < 0xd0 || next > 0xd7)) {
          return pos;
        }
        pos += next == 0xff ? 1 : 2;
      } else {
        pos++;
      }
    }
    return limit;
  }
}
