package dev.ocrgate.server.stream;

import dev.ocrgate.api.v1.Image;
import dev.ocrgate.server.vision.ImageDecoder;
import dev.ocrgate.server.vision.ImageLimits;
import dev.ocrgate.server.vision.InvalidImageException;
import dev.ocrgate.server.vision.RgbImage;

/** Decodes and validates one frame's image (the server's image limits apply). Thread-safe. */
@FunctionalInterface
public interface FrameDecoder {
  /** The decoded frame; InvalidImageException's message is client-safe. */
  RgbImage decode(Image image) throws InvalidImageException;

  /**
   * The most pixels a whole frame may have: also bounds the frame a {@code Frame.rows} image is
   * part of (image width × {@code frame_height}). Default: {@link ImageLimits#DEFAULT_MAX_PIXELS}.
   */
  default long maxPixels() {
    return ImageLimits.DEFAULT_MAX_PIXELS;
  }

  /** Decodes with {@code decoder}, whose limits apply to whole frames too. */
  static FrameDecoder of(ImageDecoder decoder) {
    long maxPixels = decoder.limits().maxPixels();
    return new FrameDecoder() {
      @Override
      public RgbImage decode(Image image) throws InvalidImageException {
        return decoder.decode(image);
      }

      @Override
      public long maxPixels() {
        return maxPixels;
      }
    };
  }
}
