package dev.ocrgate.client;

import com.google.protobuf.ByteString;
import dev.ocrgate.api.v1.EncodedImage;
import dev.ocrgate.api.v1.Image;
import dev.ocrgate.api.v1.PixelFormat;
import dev.ocrgate.api.v1.RawImage;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;

/** Converts the client's image types into the {@code Image} message. Stateless. */
final class Images {
  private Images() {}

  static Image encoded(byte[] bytes) {
    return Image.newBuilder()
        .setEncoded(EncodedImage.newBuilder().setData(ByteString.copyFrom(bytes)))
        .build();
  }

  /**
   * Raw pixels of {@code image}. A {@code TYPE_3BYTE_BGR} image (what ImageIO gives for JPEG) is
   * sent as BGR8 straight from its buffer; any other type is converted row by row to RGB8.
   */
  static Image raw(BufferedImage image) {
    int w = image.getWidth();
    int h = image.getHeight();
    RawImage.Builder raw = RawImage.newBuilder().setWidth(w).setHeight(h);
    if (image.getType() == BufferedImage.TYPE_3BYTE_BGR
        && image.getRaster().getDataBuffer() instanceof DataBufferByte buffer
        && buffer.getData().length == w * h * 3) {
      raw.setFormat(PixelFormat.PIXEL_FORMAT_BGR8).setData(ByteString.copyFrom(buffer.getData()));
    } else {
      raw.setFormat(PixelFormat.PIXEL_FORMAT_RGB8).setData(ByteString.copyFrom(rgb(image)));
    }
    return Image.newBuilder().setRaw(raw).build();
  }

  /** Packed RGB8 rows of {@code image}, one getRGB call per row. */
  static byte[] rgb(BufferedImage image) {
    int w = image.getWidth();
    int h = image.getHeight();
    byte[] out = new byte[w * h * 3];
    int[] row = new int[w];
    int o = 0;
    for (int y = 0; y < h; y++) {
      image.getRGB(0, y, w, 1, row, 0, w);
      for (int x = 0; x < w; x++) {
        int p = row[x];
        out[o++] = (byte) (p >>> 16);
        out[o++] = (byte) (p >>> 8);
        out[o++] = (byte) p;
      }
    }
    return out;
  }
}
