package dev.ocrgate.server.vision;

/**
 * Geometric copies of RGB images: the perspective crop of a quadrilateral onto an upright
 * rectangle (bilinear, borders replicated, as the reference's warpPerspective crop) and right-angle
 * rotations. Stateless; thread-safe.
 */
public final class Warp {
  private Warp() {}

  /**
   * The content of {@code q} as an upright image of width max(top, bottom side) and height
   * max(left, right side), corner 0 at the top-left.
   */
  public static RgbImage crop(RgbImage src, Quad q) {
    int w = Math.max(1, (int) Math.max(q.side(0, 1), q.side(3, 2)));
    int h = Math.max(1, (int) Math.max(q.side(0, 3), q.side(1, 2)));
    double[] m = Homography.mapRect(w, h, q);
    byte[] s = src.data();
    int sw = src.width();
    int sh = src.height();
    byte[] out = new byte[w * h * 3];
    int o = 0;
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        double d = m[6] * x + m[7] * y + m[8];
        double fx = (m[0] * x + m[1] * y + m[2]) / d;
        double fy = (m[3] * x + m[4] * y + m[5]) / d;
        sample(s, sw, sh, fx, fy, out, o);
        o += 3;
      }
    }
    return RgbImage.wrap(w, h, out);
  }

  private static void sample(byte[] s, int sw, int sh, double fx, double fy, byte[] out, int o) {
    fx = Math.min(Math.max(fx, 0), sw - 1);
    fy = Math.min(Math.max(fy, 0), sh - 1);
    int x0 = (int) fx;
    int y0 = (int) fy;
    int x1 = Math.min(x0 + 1, sw - 1);
    int y1 = Math.min(y0 + 1, sh - 1);
    float ax = (float) (fx - x0);
    float ay = (float) (fy - y0);
    int a = (y0 * sw + x0) * 3;
    int b = (y0 * sw + x1) * 3;
    int c = (y1 * sw + x0) * 3;
    int d = (y1 * sw + x1) * 3;
    for (int ch = 0; ch < 3; ch++) {
      float top = (s[a + ch] & 0xff) + ax * ((s[b + ch] & 0xff) - (s[a + ch] & 0xff));
      float bot = (s[c + ch] & 0xff) + ax * ((s[d + ch] & 0xff) - (s[c + ch] & 0xff));
      out[o + ch] = (byte) (int) (top + ay * (bot - top) + 0.5f);
    }
  }

  /** {@code src} turned 90° counter-clockwise (numpy's rot90): the top row becomes the left column. */
  public static RgbImage rotate90CounterClockwise(RgbImage src) {
    int w = src.width();
    int h = src.height();
    byte[] s = src.data();
    byte[] out = new byte[s.length];
    // Output is h wide and w tall; output (x', y') = input (w - 1 - y', x').
    for (int y2 = 0; y2 < w; y2++) {
      int sx = w - 1 - y2;
      for (int x2 = 0; x2 < h; x2++) {
        int p = (x2 * w + sx) * 3;
        int q = (y2 * h + x2) * 3;
        out[q] = s[p];
        out[q + 1] = s[p + 1];
        out[q + 2] = s[p + 2];
      }
    }
    return RgbImage.wrap(h, w, out);
  }

  /** {@code src} turned 180°. */
  public static RgbImage rotate180(RgbImage src) {
    byte[] s = src.data();
    byte[] out = new byte[s.length];
    int n = s.length / 3;
    for (int i = 0; i < n; i++) {
      int p = i * 3;
      int q = (n - 1 - i) * 3;
      out[q] = s[p];
      out[q + 1] = s[p + 1];
      out[q + 2] = s[p + 2];
    }
    return RgbImage.wrap(src.width(), src.height(), out);
  }
}
