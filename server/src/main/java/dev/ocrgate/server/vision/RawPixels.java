package dev.ocrgate.server.vision;

import dev.ocrgate.api.v1.RawImage;

/**
 * Converts {@link RawImage} pixels (RGB8, BGR8, GRAY8) to an {@link RgbImage}: {@link #check}
 * first (sizes, without allocating), then {@link #toRgb}. Stateless.
 *
 * <p>Width and height are unsigned 32-bit values: their product can exceed a signed long, so the
 * pixel limit is checked by division, never by a product that could wrap.
 */
final class RawPixels {
  private RawPixels() {}

  /**
   * Checks {@code raw} against {@code limits} and its data size, and returns the bytes converting
   * it allocates (the copy of the data, plus the expansion of gray to RGB).
   */
  static long check(RawImage raw, ImageLimits limits) throws InvalidImageException {
    long w = raw.getWidth() & 0xffffffffL;
    long h = raw.getHeight() & 0xffffffffL;
    if (w == 0 || h == 0) {
      throw new InvalidImageException("raw image width and height must be positive");
    }
    if (w > limits.maxPixels() / h) {
      throw new InvalidImageException(
          "image has more than the limit of " + limits.maxPixels() + " pixels");
    }
    long pixels = w * h; // <= maxPixels: cannot overflow
    int bpp = bytesPerPixel(raw);
    if (raw.getData().size() != pixels * bpp) {
      throw new InvalidImageException(
          "raw image data size does not match width x height x bytes per pixel");
    }
    return pixels * bpp + (bpp == 1 ? pixels * 3 : 0);
  }

  /** The pixels of {@code raw}, which {@link #check} accepted. */
  static RgbImage toRgb(RawImage raw) {
    int w = raw.getWidth();
    int h = raw.getHeight();
    byte[] src = raw.getData().toByteArray();
    switch (raw.getFormat()) {
      case PIXEL_FORMAT_RGB8:
        return RgbImage.wrap(w, h, src);
      case PIXEL_FORMAT_BGR8:
        return RgbImage.wrap(w, h, swapRedBlue(src));
      default:
        return RgbImage.wrap(w, h, expandGray(src, w * h));
    }
  }

  private static int bytesPerPixel(RawImage raw) throws InvalidImageException {
    switch (raw.getFormat()) {
      case PIXEL_FORMAT_RGB8:
      case PIXEL_FORMAT_BGR8:
        return 3;
      case PIXEL_FORMAT_GRAY8:
        return 1;
      default:
        throw new InvalidImageException("raw image pixel format is required");
    }
  }

  private static byte[] swapRedBlue(byte[] bgr) {
    for (int i = 0; i < bgr.length; i += 3) {
      byte b = bgr[i];
      bgr[i] = bgr[i + 2];
      bgr[i + 2] = b;
    }
    return bgr;
  }

  private static byte[] expandGray(byte[] gray, int n) {
    byte[] out = new byte[n * 3];
    for (int i = 0, o = 0; i < n; i++) {
      byte v = gray[i];
      out[o++] = v;
      out[o++] = v;
      out[o++] = v;
    }
    return out;
  }
}
