package dev.ocrgate.server.vision;

import java.util.ArrayList;
import java.util.List;

/**
 * Turns a DB probability map into text boxes: binarise at {@code thresh} (optionally dilate),
 * label 8-connected components, take each component's minimum-area rectangle (of the convex hull
 * of its row extents, which is the hull of its contour), drop it when too small or when the mean
 * probability inside is below {@code box_thresh}, grow it by the unclip distance
 * {@code area · ratio / perimeter} and scale it to the destination image.
 *
 * <p>Unclip note: the reference offsets the polygon with round joins and then takes the minimum
 * rectangle again; for a rectangle that is exactly the rectangle grown by the distance on every
 * side, which is what is computed here.
 *
 * <p>Stateless; thread-safe. Allocates two work arrays of the map's size per call.
 */
public final class DbPostProcessor {
  private final DbParams params;

  public DbPostProcessor(DbParams params) {
    this.params = params;
  }

  /**
   * Boxes of one image.
   *
   * @param map probability map data (a batch: several maps, each possibly padded)
   * @param offset index of this map's first value
   * @param stride values per row of the map (padded width)
   * @param w valid width of this map
   * @param h valid height of this map
   * @param destW width of the image the boxes are reported in
   * @param destH height of that image
   */
  public List<Quad> boxes(float[] map, int offset, int stride, int w, int h, int destW, int destH) {
    byte[] bin = binarise(map, offset, stride, w, h);
    ComponentScanner scanner = new ComponentScanner(bin, w, h);
    List<Quad> out = new ArrayList<>();
    double sx = (double) destW / w;
    double sy = (double) destH / h;
    for (int n = 0; n < params.maxCandidates() && scanner.next(); n++) {
      RotatedRect rect = MinAreaRect.of(scanner.xs(), scanner.ys(), scanner.count());
      if (rect.shortSide() < params.minSize()) {
        continue;
      }
      double[][] corners = rect.orderedCorners();
      if (BoxScore.mean(map, offset, stride, w, h, corners) < params.boxThresh()) {
        continue;
      }
      RotatedRect grown = unclip(rect);
      if (grown.shortSide() < params.minSize() + 2) {
        continue;
      }
      Quad q = scaled(grown.orderedCorners(), sx, sy, destW, destH);
      if ((int) q.side(0, 1) > 3 && (int) q.side(0, 3) > 3) {
        out.add(q);
      }
    }
    return out;
  }

  private RotatedRect unclip(RotatedRect r) {
    return r.grow(Unclip.distance(r.width(), r.height(), params.unclipRatio()));
  }

  private byte[] binarise(float[] map, int offset, int stride, int w, int h) {
    byte[] bin = new byte[w * h];
    float t = params.thresh();
    for (int y = 0; y < h; y++) {
      int src = offset + y * stride;
      int dst = y * w;
      for (int x = 0; x < w; x++) {
        if (map[src + x] > t) {
          bin[dst + x] = 1;
        }
      }
    }
    return params.useDilation() ? dilate2x2(bin, w, h) : bin;
  }

  /** OpenCV's 2×2 dilation with the default anchor: a pixel is set if it or its left/upper neighbours are. */
  private static byte[] dilate2x2(byte[] bin, int w, int h) {
    byte[] out = new byte[w * h];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int i = y * w + x;
        boolean on = bin[i] != 0
            || (x > 0 && bin[i - 1] != 0)
            || (y > 0 && bin[i - w] != 0)
            || (x > 0 && y > 0 && bin[i - w - 1] != 0);
        if (on) {
          out[i] = 1;
        }
      }
    }
    return out;
  }

  private static Quad scaled(double[][] c, double sx, double sy, int destW, int destH) {
    float[] v = new float[8];
    for (int i = 0; i < 4; i++) {
      v[2 * i] = (float) clamp(Math.round(c[i][0] * sx), destW);
      v[2 * i + 1] = (float) clamp(Math.round(c[i][1] * sy), destH);
    }
    return Quad.of(v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7]);
  }

  private static double clamp(double v, int max) {
    return v < 0 ? 0 : Math.min(v, max);
  }
}
