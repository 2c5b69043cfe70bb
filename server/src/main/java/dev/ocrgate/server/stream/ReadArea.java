package dev.ocrgate.server.stream;

import dev.ocrgate.server.vision.PixelRect;

/**
 * The part of a frame that was read, in pixels of the whole frame, and the frame's size.
 * Immutable.
 */
record ReadArea(PixelRect rect, int frameWidth, int frameHeight) {
  /**
   * The part of a {@code frameWidth}×{@code frameHeight} frame to read when only its rows
   * [{@code top}, {@code top + rows}) were sent (all of them: top 0, rows = frameHeight):
   * {@code chosen} (whole-frame pixels, inside the frame) intersected with those rows; null when
   * they miss it. The one place a frame's area is resolved against the rows it came with.
   */
  static ReadArea within(PixelRect chosen, int frameWidth, int frameHeight, int top, int rows) {
    int y0 = Math.max(chosen.y(), top);
    int y1 = Math.min(chosen.y() + chosen.height(), top + rows);
    return y1 > y0 ? new ReadArea(new PixelRect(chosen.x(), y0, chosen.width(), y1 - y0), frameWidth, frameHeight)
        : null;
  }

  boolean cutsTop() {
    return rect.y() > 0;
  }

  boolean cutsBottom() {
    return rect.y() + rect.height() < frameHeight;
  }

  dev.ocrgate.api.v1.PixelRect toProto() {
    return dev.ocrgate.api.v1.PixelRect.newBuilder()
        .setX(rect.x()).setY(rect.y()).setWidth(rect.width()).setHeight(rect.height()).build();
  }
}
