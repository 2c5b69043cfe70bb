package dev.ocrgate.server.vision;

import dev.ocrgate.api.v1.RawImage;

/** Converts {@link RawImage} pixels (RGB8, BGR8, GRAY8) to an {@link RgbImage}. Stateless. */
final class RawPixels {
  private RawPixels() {}

  static RgbImage toRgb(RawImage raw, ImageLimits limits) throws InvalidImageException {
    long w = raw.getWidth() & 0xffffffffL;
    long h = raw.getHeight() & 0xffffffffL;
    if (w == 0 || h == 0) {
      throw new InvalidImageException("raw image width and height must be positive");
    }
    if (w * h > limits.maxPixels()) {
      throw new InvalidImageException(
          "image has more than the limit of " + limits.maxPixels() + " pixels");
    }
    int bpp = bytesPerPixel(raw);
    if (raw.getData().size() != w * h * bpp) {
      throw new InvalidImageException(
          "raw image data size does not match width x height x bytes per pixel");
    }
    byte[] src = raw.getData().toByteArray();
    int n = (int) (w * h);
    switch (raw.getFormat()) {
      case PIXEL_FORMAT_RGB8:
        return RgbImage.wrap((int) w, (int) h, src);
      case PIXEL_FORMAT_BGR8:
        return RgbImage.wrap((int) w, (int) h, swapRedBlue(src));
      default:
        return RgbImage.wrap((int) w, (int) h, expandGray(src, n));
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
