package dev.ocrgate.server.redis;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Paces the warning a component logs while Redis is unreachable: one every 10 s at most, however
 * many calls fail (an outage under load would otherwise write a line per call). The first failure
 * always warns. Thread-safe: exactly one of the threads racing for a slot wins it.
 */
public final class OutageWarning {
  private static final long EVERY_NANOS = TimeUnit.SECONDS.toNanos(10);
  private final AtomicLong lastNanos = new AtomicLong(System.nanoTime() - EVERY_NANOS);

  /** True when this failure should be logged (and starts the next 10 s). */
  public boolean due() {
    long now = System.nanoTime();
    long last = lastNanos.get();
    return now - last >= EVERY_NANOS && lastNanos.compareAndSet(last, now);
  }
}
