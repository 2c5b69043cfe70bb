package dev.ocrgate.server.vision;

/**
 * Bilinear resizing of RGB images with OpenCV's INTER_LINEAR sampling grid (pixel centres
 * aligned: src = (dst + 0.5) · scale − 0.5, clamped at the borders), so that sizes and numbers
 * match the reference pipelines, which resize with OpenCV. No anti-aliasing on downscale, as
 * OpenCV does not either. Stateless; thread-safe.
 */
public final class Resize {
  private Resize() {}

  /** {@code src} resized to {@code w} × {@code h}. */
  public static RgbImage bilinear(RgbImage src, int w, int h) {
    if (w == src.width() && h == src.height()) {
      return src;
    }
    int sw = src.width();
    int sh = src.height();
    int[] x0 = new int[w];
    int[] x1 = new int[w];
    float[] fx = new float[w];
    axis(sw, w, x0, x1, fx);
    int[] y0 = new int[h];
    int[] y1 = new int[h];
    float[] fy = new float[h];
    axis(sh, h, y0, y1, fy);
    byte[] s = src.data();
    byte[] out = new byte[w * h * 3];
    int o = 0;
    for (int y = 0; y < h; y++) {
      int r0 = y0[y] * sw * 3;
      int r1 = y1[y] * sw * 3;
      float wy = fy[y];
      for (int x = 0; x < w; x++) {
        int a = r0 + x0[x] * 3;
        int b = r0 + x1[x] * 3;
        int c = r1 + x0[x] * 3;
        int d = r1 + x1[x] * 3;
        float wx = fx[x];
        for (int ch = 0; ch < 3; ch++) {
          float top = (s[a + ch] & 0xff) + wx * ((s[b + ch] & 0xff) - (s[a + ch] & 0xff));
          float bot = (s[c + ch] & 0xff) + wx * ((s[d + ch] & 0xff) - (s[c + ch] & 0xff));
          out[o++] = (byte) (int) (top + wy * (bot - top) + 0.5f);
        }
      }
    }
    return RgbImage.wrap(w, h, out);
  }

  /** Source indices and weights along one axis. */
  private static void axis(int srcLen, int dstLen, int[] i0, int[] i1, float[] frac) {
    double scale = (double) srcLen / dstLen;
    for (int d = 0; d < dstLen; d++) {
      double pos = (d + 0.5) * scale - 0.5;
      if (pos < 0) {
        pos = 0;
      }
      int lo = (int) pos;
      if (lo >= srcLen - 1) {
        i0[d] = srcLen - 1;
        i1[d] = srcLen - 1;
        frac[d] = 0f;
      } else {
        i0[d] = lo;
        i1[d] = lo + 1;
        frac[d] = (float) (pos - lo);
      }
    }
  }
}
