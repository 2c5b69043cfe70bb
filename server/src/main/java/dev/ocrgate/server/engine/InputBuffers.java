package dev.ocrgate.server.engine;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;

/**
 * Direct float buffers reused per thread to build input tensors without copying: ONNX Runtime
 * reads a direct, native-order buffer in place.
 *
 * <p>Thread safety: each thread gets its own buffer; a buffer returned by {@link #acquire} may be
 * used only by the calling thread and only until its next call to {@link #acquire} (the session
 * runs synchronously, so the tensor built on it is closed before the next request on the thread).
 */
public final class InputBuffers {
  private static final int MIN_CAPACITY = 1 << 16;
  private static final ThreadLocal<FloatBuffer> BUFFERS = new ThreadLocal<>();

  private InputBuffers() {}

  /**
   * A buffer positioned at 0 with limit {@code floats}. Its contents are left over from earlier
   * use: the caller writes every element, padding included.
   */
  public static FloatBuffer acquire(int floats) {
    FloatBuffer buf = BUFFERS.get();
    if (buf == null || buf.capacity() < floats) {
      int capacity = Math.max(MIN_CAPACITY, Integer.highestOneBit(Math.max(1, floats - 1)) << 1);
      buf = ByteBuffer.allocateDirect(capacity * Float.BYTES)
          .order(ByteOrder.nativeOrder())
          .asFloatBuffer();
      BUFFERS.set(buf);
    }
    buf.clear();
    buf.limit(floats);
    return buf;
  }
}
