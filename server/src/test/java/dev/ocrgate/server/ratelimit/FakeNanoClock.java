package dev.ocrgate.server.ratelimit;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/** A monotonic clock that moves only when told to. Thread-safe. */
final class FakeNanoClock implements LongSupplier {
  private final AtomicLong nanos = new AtomicLong(1_000_000_000_000L);

  @Override
  public long getAsLong() {
    return nanos.get();
  }

  long micros() {
    return nanos.get() / 1000;
  }

  void advance(Duration d) {
    nanos.addAndGet(d.toNanos());
  }
}
