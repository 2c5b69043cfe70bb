package dev.ocrgate.server.vision;

import java.nio.FloatBuffer;

/**
 * Writes RGB images into a float batch tensor {@code [N, 3, H, W]} (planar), normalised per
 * channel as {@code (v / 255 − mean) / std}, channels in the order the model was trained with
 * (PaddleOCR models read OpenCV's BGR images, so plane 0 is blue), with the rest of each plane
 * padded by a constant. Only absolute puts on the buffer: its position is never moved.
 * Stateless.
 */
public final class TensorFill {
  private TensorFill() {}

  /**
   * Writes {@code img} into slot {@code n} of a batch whose planes are {@code planeW} ×
   * {@code planeH}; {@code img} must fit. Every value of the slot is written.
   *
   * @param bgr plane 0 is blue when true, red when false
   * @param mean per-plane mean, in plane order
   * @param std per-plane standard deviation, in plane order
   * @param pad the value of the padding (already normalised)
   */
  public static void write(FloatBuffer buf, int n, int planeW, int planeH, RgbImage img,
      boolean bgr, float[] mean, float[] std, float pad) {
    int w = img.width();
    int h = img.height();
    if (w > planeW || h > planeH) {
      throw new IllegalArgumentException("image " + w + "x" + h + " larger than " + planeW + "x" + planeH);
    }
    byte[] px = img.data();
    int plane = planeW * planeH;
    int base = n * 3 * plane;
    for (int c = 0; c < 3; c++) {
      int src = bgr ? 2 - c : c;
      float scale = 1f / (255f * std[c]);
      float shift = mean[c] / std[c];
      int dst = base + c * plane;
      for (int y = 0; y < h; y++) {
        int row = dst + y * planeW;
        int p = y * w * 3 + src;
        for (int x = 0; x < w; x++, p += 3) {
          buf.put(row + x, (px[p] & 0xff) * scale - shift);
        }
        for (int x = w; x < planeW; x++) {
          buf.put(row + x, pad);
        }
      }
      for (int i = dst + h * planeW; i < dst + plane; i++) {
        buf.put(i, pad);
      }
    }
  }
}
