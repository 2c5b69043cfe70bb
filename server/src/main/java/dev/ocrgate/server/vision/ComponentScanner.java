package dev.ocrgate.server.vision;

import java.util.Arrays;

/**
 * Walks the 8-connected components of a binary map one at a time, in raster order of their first
 * pixel. For each it exposes the leftmost and rightmost pixel of every row it covers: their convex
 * hull is the hull of the component (and of its outer contour).
 *
 * <p>Not thread-safe: one instance per map and thread. Clears the map as it labels it.
 */
final class ComponentScanner {
  private final byte[] bin;
  private final int w;
  private final int h;
  private final int[] stack;
  private final int[] rowMin;
  private final int[] rowMax;
  private final int[] touched;
  private double[] xs = new double[64];
  private double[] ys = new double[64];
  private int count;
  private int cursor;

  ComponentScanner(byte[] bin, int w, int h) {
    this.bin = bin;
    this.w = w;
    this.h = h;
    this.stack = new int[w * h];
    this.rowMin = new int[h];
    this.rowMax = new int[h];
    this.touched = new int[h];
    Arrays.fill(rowMin, Integer.MAX_VALUE);
    Arrays.fill(rowMax, -1);
  }

  /** Advances to the next component; false when there is none. */
  boolean next() {
    while (cursor < bin.length && bin[cursor] == 0) {
      cursor++;
    }
    if (cursor == bin.length) {
      return false;
    }
    int rows = fill(cursor);
    collect(rows);
    return true;
  }

  /** Flood-fills from {@code seed}, recording row extents; returns the number of rows touched. */
  private int fill(int seed) {
    int top = 0;
    int rows = 0;
    stack[top++] = seed;
    bin[seed] = 0;
    while (top > 0) {
      int p = stack[--top];
      int y = p / w;
      int x = p - y * w;
      if (rowMax[y] < 0) {
        touched[rows++] = y;
      }
      if (x < rowMin[y]) {
        rowMin[y] = x;
      }
      if (x > rowMax[y]) {
        rowMax[y] = x;
      }
      for (int dy = -1; dy <= 1; dy++) {
        int ny = y + dy;
        if (ny < 0 || ny >= h) {
          continue;
        }
        for (int dx = -1; dx <= 1; dx++) {
          int nx = x + dx;
          if (nx < 0 || nx >= w) {
            continue;
          }
          int q = ny * w + nx;
          if (bin[q] != 0) {
            bin[q] = 0;
            stack[top++] = q;
          }
        }
      }
    }
    return rows;
  }

  private void collect(int rows) {
    if (xs.length < 2 * rows) {
      xs = new double[4 * rows];
      ys = new double[4 * rows];
    }
    count = 0;
    for (int i = 0; i < rows; i++) {
      int y = touched[i];
      xs[count] = rowMin[y];
      ys[count++] = y;
      if (rowMax[y] != rowMin[y]) {
        xs[count] = rowMax[y];
        ys[count++] = y;
      }
      rowMin[y] = Integer.MAX_VALUE;
      rowMax[y] = -1;
    }
  }

  double[] xs() {
    return xs;
  }

  double[] ys() {
    return ys;
  }

  int count() {
    return count;
  }
}
