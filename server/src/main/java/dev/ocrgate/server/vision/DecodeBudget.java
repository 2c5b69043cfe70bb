package dev.ocrgate.server.vision;

import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Bounds the pixel memory that image decoding holds at once, across all calls: a weighted,
 * fair (FIFO) semaphore over bytes, counted in units of {@link #UNIT} bytes.
 *
 * <p>Before a reader allocates anything, {@link ImageDecoder} asks for the image's cost as the
 * header declares it (width × height × the bytes per pixel the decode needs at its peak) and
 * waits at most {@link #maxWait()} (or less, as the caller says) for it; a request that cannot get
 * it is refused with {@link DecodeBudgetException} (RESOURCE_EXHAUSTED), never queued without
 * bound. Waiters are served in arrival order, so a stream of small images cannot starve a large
 * one.
 *
 * <p>Invariant: the bytes held by unreleased permits never exceed {@link #capacityBytes()}. A
 * single image whose cost alone is larger than the whole budget (a small budget with a large
 * {@code ocr.max_image_pixels}) is charged the whole budget: it waits until nothing else is
 * decoding and then runs alone, so every image within the pixel limit stays decodable.
 *
 * <p>Thread-safe. Permits are released exactly once however often {@link Permit#close()} runs.
 */
public final class DecodeBudget {
  /** Accounting unit: costs are rounded up to whole KiB, so a 2 GiB budget fits an int. */
  static final long UNIT = 1024;

  private final long capacityUnits;
  private final Duration maxWait;
  private final Semaphore units;

  private DecodeBudget(long capacityUnits, Duration maxWait) {
    this.capacityUnits = capacityUnits;
    this.maxWait = maxWait;
    this.units = new Semaphore((int) capacityUnits, true);
  }

  /**
   * A budget of {@code capacityBytes} (rounded up to {@link #UNIT}); a request waits at most
   * {@code maxWait} for its share.
   */
  public static DecodeBudget of(long capacityBytes, Duration maxWait) {
    if (capacityBytes <= 0) {
      throw new IllegalArgumentException("decode budget must be positive");
    }
    if (maxWait.isNegative()) {
      throw new IllegalArgumentException("decode budget wait must not be negative");
    }
    long unitsNeeded = toUnits(capacityBytes);
    if (unitsNeeded > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("decode budget must be at most " + Integer.MAX_VALUE * UNIT + " bytes");
    }
    return new DecodeBudget(unitsNeeded, maxWait);
  }

  /** No bound (tools and tests that decode one image at a time). */
  public static DecodeBudget unlimited() {
    return new DecodeBudget(Integer.MAX_VALUE, Duration.ZERO);
  }

  public long capacityBytes() {
    return capacityUnits * UNIT;
  }

  /** The longest {@link #acquire(long)} waits. */
  public Duration maxWait() {
    return maxWait;
  }

  /** Bytes held by unreleased permits now (a gauge; racy by nature). */
  public long inUseBytes() {
    return (capacityUnits - units.availablePermits()) * UNIT;
  }

  /** Whether a request is waiting for its share now (tests). */
  boolean hasWaiters() {
    return units.hasQueuedThreads();
  }

  /** {@link #acquire(long, long)} waiting at most {@link #maxWait()}. */
  public Permit acquire(long bytes) throws DecodeBudgetException {
    return acquire(bytes, maxWait.toNanos());
  }

  /**
   * Takes {@code bytes} of the budget, waiting at most {@code min(waitNanos, maxWait)} in FIFO
   * order behind earlier waiters.
   *
   * @throws DecodeBudgetException when the share is not free in time, or the thread is interrupted
   *     while waiting (its interrupt flag is set again)
   */
  public Permit acquire(long bytes, long waitNanos) throws DecodeBudgetException {
    int want = (int) Math.min(capacityUnits, toUnits(Math.max(bytes, 1)));
    long wait = Math.max(0, Math.min(waitNanos, maxWait.toNanos()));
    boolean got;
    try {
      got = wait == 0 ? units.tryAcquire(want, 0, TimeUnit.NANOSECONDS)
          : units.tryAcquire(want, wait, TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new DecodeBudgetException();
    }
    if (!got) {
      throw new DecodeBudgetException();
    }
    return new Permit(want);
  }

  private static long toUnits(long bytes) {
    return (bytes + UNIT - 1) / UNIT;
  }

  /**
   * A share of the budget. {@link #shrinkTo} gives back what the decode no longer needs (keeping
   * what the decoded image itself occupies); {@link #close} gives back the rest.
   */
  public final class Permit implements AutoCloseable {
    private final AtomicLong held;

    private Permit(long units) {
      this.held = new AtomicLong(units);
    }

    /** Bytes this permit holds now. */
    public long bytes() {
      return held.get() * UNIT;
    }

    /** Keeps at most {@code bytes} (rounded up to {@link #UNIT}) and releases the rest. */
    public void shrinkTo(long bytes) {
      long keep = toUnits(Math.max(bytes, 0));
      long prev;
      do {
        prev = held.get();
        if (prev <= keep) {
          return;
        }
      } while (!held.compareAndSet(prev, keep));
      units.release((int) (prev - keep));
    }

    /** Releases everything this permit still holds; later calls do nothing. */
    @Override
    public void close() {
      long prev = held.getAndSet(0);
      if (prev > 0) {
        units.release((int) prev);
      }
    }
  }
}
