package dev.ocrgate.server.vision;

/**
 * Which columns of a text-line crop hold ink, for measuring the gaps between characters.
 *
 * <p>The crop's luma is split at Otsu's threshold and the smaller side is the ink (dark text on a
 * light page or light text on a dark band alike). Only the text body counts: the rows holding at
 * least a quarter of the busiest row's ink, so that a stray descender of the line above or an
 * ascender of the line below does not close a gap. A column is ink when any body row is.
 *
 * <p>Immutable and thread-safe.
 */
public final class InkColumns {
  private static final double BODY_ROW_SHARE = 0.25;

  private final boolean[] ink;
  private final int bodyHeight;
  private final double separation;

  private InkColumns(boolean[] ink, int bodyHeight, double separation) {
    this.ink = ink;
    this.bodyHeight = bodyHeight;
    this.separation = separation;
  }

  /** The ink columns of {@code crop}. */
  public static InkColumns of(RgbImage crop) {
    int w = crop.width();
    int h = crop.height();
    int[] luma = luma(crop);
    int threshold = otsu(luma);
    double separation = separation(luma, threshold);
    int dark = 0;
    for (int v : luma) {
      if (v <= threshold) {
        dark++;
      }
    }
    boolean inkIsDark = dark * 2 < luma.length;
    boolean[] pixel = new boolean[luma.length];
    int[] rowInk = new int[h];
    int busiest = 0;
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int i = y * w + x;
        pixel[i] = (luma[i] <= threshold) == inkIsDark;
        rowInk[y] += pixel[i] ? 1 : 0;
      }
      busiest = Math.max(busiest, rowInk[y]);
    }
    boolean[] columns = new boolean[w];
    int body = 0;
    for (int y = 0; y < h; y++) {
      if (busiest == 0 || rowInk[y] < BODY_ROW_SHARE * busiest) {
        continue;
      }
      body++;
      for (int x = 0; x < w; x++) {
        columns[x] |= pixel[y * w + x];
      }
    }
    return new InkColumns(columns, body, separation);
  }

  /** From known columns (tests, other measurements). */
  public static InkColumns of(boolean[] inkColumns, int bodyHeight, double separation) {
    if (bodyHeight < 0 || !(separation >= 0 && separation <= 1)) {
      throw new IllegalArgumentException("bodyHeight must be >= 0 and separation in [0, 1]");
    }
    return new InkColumns(inkColumns.clone(), bodyHeight, separation);
  }

  /**
   * How cleanly ink and background split: Otsu's between-class variance over the total variance,
   * in [0, 1]. Printed text on a page gives 0.84–0.97, text over a noisy gradient about 0.7
   * (bench/results/word-spaces.md); 0 for a flat crop.
   */
  public double separation() {
    return separation;
  }

  /** Crop width in pixels. */
  public int width() {
    return ink.length;
  }

  /** Rows of the text body (about the x-height of Latin text), in pixels. */
  public int bodyHeight() {
    return bodyHeight;
  }

  /** The longest run of ink-free columns in {@code [from, to)}, clipped to the crop. */
  public int widestGap(int from, int to) {
    int best = 0;
    int run = 0;
    for (int x = Math.max(0, from); x < Math.min(to, ink.length); x++) {
      run = ink[x] ? 0 : run + 1;
      best = Math.max(best, run);
    }
    return best;
  }

  private static int[] luma(RgbImage crop) {
    byte[] d = crop.data();
    int[] out = new int[crop.width() * crop.height()];
    for (int i = 0; i < out.length; i++) {
      out[i] = ((d[3 * i] & 255) * 299 + (d[3 * i + 1] & 255) * 587 + (d[3 * i + 2] & 255) * 114) / 1000;
    }
    return out;
  }

  private static double separation(int[] values, int threshold) {
    double n = values.length;
    double sum = 0;
    double below = 0;
    double sumBelow = 0;
    for (int v : values) {
      sum += v;
      if (v <= threshold) {
        below++;
        sumBelow += v;
      }
    }
    double mean = sum / n;
    double total = 0;
    for (int v : values) {
      total += (v - mean) * (v - mean);
    }
    double above = n - below;
    if (total == 0 || below == 0 || above == 0) {
      return 0;
    }
    double m0 = sumBelow / below;
    double m1 = (sum - sumBelow) / above;
    double between = below * (m0 - mean) * (m0 - mean) + above * (m1 - mean) * (m1 - mean);
    return Math.min(1, between / total);
  }

  /** Otsu's threshold: pixels {@code <=} it are one class. */
  static int otsu(int[] values) {
    long[] hist = new long[256];
    for (int v : values) {
      hist[v]++;
    }
    double total = values.length;
    double sumAll = 0;
    for (int i = 0; i < 256; i++) {
      sumAll += i * (double) hist[i];
    }
    double below = 0;
    double sumBelow = 0;
    double bestBetween = -1;
    int best = 0;
    for (int t = 0; t < 256; t++) {
      below += hist[t];
      sumBelow += t * (double) hist[t];
      double above = total - below;
      if (below == 0 || above == 0) {
        continue;
      }
      double m0 = sumBelow / below;
      double m1 = (sumAll - sumBelow) / above;
      double between = below * above * (m0 - m1) * (m0 - m1);
      if (between > bestBetween) {
        bestBetween = between;
        best = t;
      }
    }
    return best;
  }
}
