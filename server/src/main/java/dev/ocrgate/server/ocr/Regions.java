package dev.ocrgate.server.ocr;

import dev.ocrgate.api.v1.NormalizedRect;
import dev.ocrgate.api.v1.Region;
import dev.ocrgate.server.vision.PixelRect;

/**
 * Converts a request's {@link Region} to pixels of a given image and clips it. Stateless.
 * Messages are fixed and safe for INVALID_ARGUMENT.
 */
public final class Regions {
  private Regions() {}

  /**
   * The region in pixels, clipped to a {@code width} × {@code height} image; null for "whole
   * image" (region unset).
   *
   * @throws IllegalArgumentException with a client-safe message when the region is malformed
   *     or does not overlap the image
   */
  public static PixelRect toPixels(Region region, int width, int height) {
    switch (region.getRectCase()) {
      case PIXELS: {
        dev.ocrgate.api.v1.PixelRect p = region.getPixels();
        if (p.getWidth() <= 0 || p.getHeight() <= 0) {
          throw new IllegalArgumentException("region width and height must be positive");
        }
        return clip(p.getX(), p.getY(), p.getWidth(), p.getHeight(), width, height);
      }
      case NORMALIZED:
        return normalized(region.getNormalized(), width, height);
      default:
        return null;
    }
  }

  private static PixelRect normalized(NormalizedRect n, int width, int height) {
    boolean valid = n.getX() >= 0 && n.getY() >= 0 && n.getWidth() > 0 && n.getHeight() > 0
        && n.getX() + n.getWidth() <= 1.0001f && n.getY() + n.getHeight() <= 1.0001f;
    if (!valid) {
      throw new IllegalArgumentException(
          "normalized region must lie in [0, 1] with positive width and height");
    }
    int x0 = (int) Math.floor(n.getX() * width);
    int y0 = (int) Math.floor(n.getY() * height);
    int x1 = (int) Math.ceil((n.getX() + n.getWidth()) * width);
    int y1 = (int) Math.ceil((n.getY() + n.getHeight()) * height);
    return clip(x0, y0, Math.max(1, x1 - x0), Math.max(1, y1 - y0), width, height);
  }

  /**
   * The intersection of [x, x+w) × [y, y+h) with the image.
   *
   * @throws IllegalArgumentException when it is empty
   */
  public static PixelRect clip(long x, long y, long w, long h, int width, int height) {
    long x0 = Math.max(0, x);
    long y0 = Math.max(0, y);
    long x1 = Math.min(width, x + w);
    long y1 = Math.min(height, y + h);
    if (x1 <= x0 || y1 <= y0) {
      throw new IllegalArgumentException("region does not overlap the image");
    }
    return new PixelRect((int) x0, (int) y0, (int) (x1 - x0), (int) (y1 - y0));
  }
}
