package dev.ocrgate.server.vision;

/**
 * What {@link ImageDecoder} accepts, checked before any pixel is decoded.
 *
 * @param maxEncodedBytes largest encoded file, bytes (default 20 MB)
 * @param maxPixels largest width × height, read from the header (default 40 MP)
 */
public record ImageLimits(long maxEncodedBytes, long maxPixels) {
  public static final long DEFAULT_MAX_ENCODED_BYTES = 20L * 1000 * 1000;
  public static final long DEFAULT_MAX_PIXELS = 40L * 1000 * 1000;

  public ImageLimits {
    if (maxEncodedBytes <= 0 || maxPixels <= 0) {
      throw new IllegalArgumentException("image limits must be positive");
    }
  }

  /** 20 MB, 40 MP. */
  public static ImageLimits defaults() {
    return new ImageLimits(DEFAULT_MAX_ENCODED_BYTES, DEFAULT_MAX_PIXELS);
  }
}
