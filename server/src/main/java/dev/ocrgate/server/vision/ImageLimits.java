package dev.ocrgate.server.vision;

/**
 * What {@link ImageDecoder} accepts, checked before any pixel is decoded.
 *
 * @param maxEncodedBytes largest encoded file, bytes (default 20 MB)
 * @param maxPixels largest width × height, read from the header (default 40 MP); at most
 *     {@link #MAX_PIXELS_CEILING}, so that the decoded RGB image fits one Java array
 */
public record ImageLimits(long maxEncodedBytes, long maxPixels) {
  public static final long DEFAULT_MAX_ENCODED_BYTES = 20L * 1000 * 1000;
  public static final long DEFAULT_MAX_PIXELS = 40L * 1000 * 1000;
  /** An RGB image is one byte array of width × height × 3 bytes. */
  public static final long MAX_PIXELS_CEILING = (Integer.MAX_VALUE - 8) / 3;

  public ImageLimits {
    if (maxEncodedBytes <= 0 || maxPixels <= 0) {
      throw new IllegalArgumentException("image limits must be positive");
    }
    if (maxPixels > MAX_PIXELS_CEILING) {
      throw new IllegalArgumentException("max pixels must be at most " + MAX_PIXELS_CEILING);
    }
  }

  /** 20 MB, 40 MP. */
  public static ImageLimits defaults() {
    return new ImageLimits(DEFAULT_MAX_ENCODED_BYTES, DEFAULT_MAX_PIXELS);
  }
}
