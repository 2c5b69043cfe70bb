package dev.ocrgate.server.testing;

import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The peak of this JVM's memory in use (heap used + direct buffers, where grpc's Netty keeps the
 * bytes it has read) over a stretch of time, sampled by a daemon thread every few milliseconds.
 * The sample is a sum of two reads, not an atomic snapshot: good for an upper bound of "hundreds
 * of megabytes or gigabytes", not for exact figures.
 */
public final class MemoryPeak implements AutoCloseable {
  private static final MemoryMXBean MEMORY = ManagementFactory.getMemoryMXBean();
  private static final BufferPoolMXBean DIRECT = ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class)
      .stream().filter(b -> b.getName().equals("direct")).findFirst().orElseThrow();

  private final long baseline;
  private final AtomicLong peak = new AtomicLong();
  private final Thread sampler;
  private volatile boolean running = true;

  private MemoryPeak() {
    System.gc();
    baseline = inUse();
    peak.set(baseline);
    sampler = new Thread(this::sample, "memory-peak");
    sampler.setDaemon(true);
    sampler.start();
  }

  /** Starts sampling now; the baseline is taken after a GC. */
  public static MemoryPeak start() {
    return new MemoryPeak();
  }

  /** Bytes in use now: heap used plus direct buffers. */
  public static long inUse() {
    return MEMORY.getHeapMemoryUsage().getUsed() + DIRECT.getMemoryUsed();
  }

  /** The highest sample minus the baseline, so far. */
  public long growth() {
    return Math.max(0, peak.get() - baseline);
  }

  private void sample() {
    while (running) {
      peak.accumulateAndGet(inUse(), Math::max);
      try {
        Thread.sleep(5);
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  @Override
  public void close() throws InterruptedException {
    running = false;
    sampler.join(5000);
  }
}
