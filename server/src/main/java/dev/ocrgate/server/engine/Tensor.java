package dev.ocrgate.server.engine;

import java.util.Arrays;

/**
 * A dense float tensor returned by a session: row-major {@code data} of the given {@code shape}.
 * Owned by the caller; nothing else keeps a reference.
 */
public record Tensor(float[] data, long[] shape) {
  public Tensor {
    long n = 1;
    for (long d : shape) {
      n *= d;
    }
    if (n != data.length) {
      throw new IllegalArgumentException(
          "shape " + Arrays.toString(shape) + " needs " + n + " values, got " + data.length);
    }
  }

  /** Size of dimension {@code i}. */
  public int dim(int i) {
    return (int) shape[i];
  }
}
