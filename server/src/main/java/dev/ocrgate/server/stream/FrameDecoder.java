package dev.ocrgate.server.stream;

import dev.ocrgate.api.v1.Image;
import dev.ocrgate.server.vision.InvalidImageException;
import dev.ocrgate.server.vision.RgbImage;

/** Decodes and validates one frame's image (the server's image limits apply). Thread-safe. */
@FunctionalInterface
public interface FrameDecoder {
  /** The decoded frame; InvalidImageException's message is client-safe. */
  RgbImage decode(Image image) throws InvalidImageException;
}
