package dev.ocrgate.server.vision;

/** An axis-aligned rectangle in pixels: [x, x+width) × [y, y+height). */
public record PixelRect(int x, int y, int width, int height) {
  public PixelRect {
    if (width <= 0 || height <= 0) {
      throw new IllegalArgumentException("empty rectangle " + width + "x" + height);
    }
  }

  /** The whole image. */
  public static PixelRect of(RgbImage image) {
    return new PixelRect(0, 0, image.width(), image.height());
  }
}
