package dev.ocrgate.server.batch;

/**
 * A monotonic nanosecond clock. Production uses {@link #system()}; tests pass a fake so that batch
 * decisions and deadlines are deterministic. Only differences between two readings are meaningful.
 */
@FunctionalInterface
public interface Ticker {
  /** The current reading, nanoseconds. */
  long nanoTime();

  /** {@link System#nanoTime()}. */
  static Ticker system() {
    return System::nanoTime;
  }
}
