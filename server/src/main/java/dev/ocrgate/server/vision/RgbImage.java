package dev.ocrgate.server.vision;

/**
 * A decoded image: 8-bit RGB, interleaved (R,G,B per pixel), row-major, no row padding.
 *
 * <p>Immutable by convention: nothing writes {@link #data()} after construction, so an instance
 * may be shared across threads (a frame is read by the change detector and the OCR pipeline).
 */
public final class RgbImage {
  private final int width;
  private final int height;
  private final byte[] data;

  private RgbImage(int width, int height, byte[] data) {
    this.width = width;
    this.height = height;
    this.data = data;
  }

  /** Wraps {@code data} (not copied); its length must be width * height * 3. */
  public static RgbImage wrap(int width, int height, byte[] data) {
    if (width <= 0 || height <= 0) {
      throw new IllegalArgumentException("image size must be positive: " + width + "x" + height);
    }
    if ((long) width * height * 3 != data.length) {
      throw new IllegalArgumentException(
          "expected " + ((long) width * height * 3) + " bytes for " + width + "x" + height
              + " RGB, got " + data.length);
    }
    return new RgbImage(width, height, data);
  }

  public int width() {
    return width;
  }

  public int height() {
    return height;
  }

  /** The pixels; do not modify. */
  public byte[] data() {
    return data;
  }

  /** A copy of the rectangle [x, x+w) × [y, y+h), which must lie inside the image. */
  public RgbImage crop(int x, int y, int w, int h) {
    if (x < 0 || y < 0 || w <= 0 || h <= 0 || x + w > width || y + h > height) {
      throw new IllegalArgumentException(
          "crop " + w + "x" + h + "+" + x + "+" + y + " outside " + width + "x" + height);
    }
    if (x == 0 && y == 0 && w == width && h == height) {
      return this;
    }
    byte[] out = new byte[w * h * 3];
    for (int row = 0; row < h; row++) {
      System.arraycopy(data, ((y + row) * width + x) * 3, out, row * w * 3, w * 3);
    }
    return new RgbImage(w, h, out);
  }
}
