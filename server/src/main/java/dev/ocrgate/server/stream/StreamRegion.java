package dev.ocrgate.server.stream;

import dev.ocrgate.api.v1.NormalizedRect;
import dev.ocrgate.api.v1.Region;
import dev.ocrgate.server.vision.PixelRect;

/**
 * A stream's region of interest, validated once from the config and resolved per frame (frames
 * may change resolution). Immutable.
 */
final class StreamRegion {
  /** The default in SUBTITLE mode: the bottom subtitle band. */
  static final NormalizedRect SUBTITLE_BAND =
      NormalizedRect.newBuilder().setX(0).setY(0.75f).setWidth(1).setHeight(0.25f).build();

  /** The default in FULL mode: the whole frame. */
  static final NormalizedRect WHOLE_FRAME =
      NormalizedRect.newBuilder().setX(0).setY(0).setWidth(1).setHeight(1).build();

  private static final float SLACK = 1e-4f;

  private final NormalizedRect normalized;
  private final dev.ocrgate.api.v1.PixelRect pixels;

  private StreamRegion(NormalizedRect normalized, dev.ocrgate.api.v1.PixelRect pixels) {
    this.normalized = normalized;
    this.pixels = pixels;
  }

  /**
   * Validates {@code region} (unset = {@code whenUnset}); the message is a fixed, client-safe
   * text.
   */
  static StreamRegion of(Region region, boolean present, NormalizedRect whenUnset) {
    if (!present || region.getRectCase() == Region.RectCase.RECT_NOT_SET) {
      return new StreamRegion(whenUnset, null);
    }
    if (region.hasPixels()) {
      dev.ocrgate.api.v1.PixelRect p = region.getPixels();
      if (p.getWidth() <= 0 || p.getHeight() <= 0) {
        throw new IllegalArgumentException("region.pixels needs width and height > 0");
      }
      return new StreamRegion(null, p);
    }
    NormalizedRect n = region.getNormalized();
    boolean ok = finite(n.getX(), n.getY(), n.getWidth(), n.getHeight())
        && n.getX() >= 0 && n.getY() >= 0 && n.getWidth() > 0 && n.getHeight() > 0
        && n.getX() + n.getWidth() <= 1 + SLACK && n.getY() + n.getHeight() <= 1 + SLACK;
    if (!ok) {
      throw new IllegalArgumentException("region.normalized must lie within [0, 1] with size > 0");
    }
    return new StreamRegion(n, null);
  }

  /** The region in a {@code width}×{@code height} frame, or null if it falls outside it. */
  PixelRect resolve(int width, int height) {
    int x0;
    int y0;
    int x1;
    int y1;
    if (normalized != null) {
      x0 = Math.round(normalized.getX() * width);
      y0 = Math.round(normalized.getY() * height);
      x1 = Math.round((normalized.getX() + normalized.getWidth()) * width);
      y1 = Math.round((normalized.getY() + normalized.getHeight()) * height);
    } else {
      x0 = pixels.getX();
      y0 = pixels.getY();
      x1 = (int) Math.min(Integer.MAX_VALUE, (long) x0 + pixels.getWidth());
      y1 = (int) Math.min(Integer.MAX_VALUE, (long) y0 + pixels.getHeight());
    }
    x0 = Math.max(0, x0);
    y0 = Math.max(0, y0);
    x1 = Math.min(width, x1);
    y1 = Math.min(height, y1);
    return x1 > x0 && y1 > y0 ? new PixelRect(x0, y0, x1 - x0, y1 - y0) : null;
  }

  private static boolean finite(float... values) {
    for (float v : values) {
      if (!Float.isFinite(v)) {
        return false;
      }
    }
    return true;
  }
}
