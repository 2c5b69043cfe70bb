package dev.ocrgate.server.stream;

import dev.ocrgate.server.vision.PixelRect;

/**
 * The part of a frame that was read, in pixels of the whole frame, and the frame's size.
 * Immutable.
 */
record ReadArea(PixelRect rect, int frameWidth, int frameHeight) {
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
