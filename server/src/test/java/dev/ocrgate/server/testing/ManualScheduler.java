package dev.ocrgate.server.testing;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.Callable;
import java.util.concurrent.Delayed;
import java.util.concurrent.FutureTask;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A {@link ScheduledExecutorService} on a {@link MutableClock}: nothing runs until the test calls
 * {@link #advance}, which moves the clock and runs every task that has come due, in due order, on
 * the calling thread (periodic tasks as often as they fall due). {@code execute} runs at once on the
 * caller. For timers whose effect a test must see at a moment it chooses, not when a loaded machine
 * gets round to it. Thread-safe; tasks run outside the lock.
 */
public final class ManualScheduler extends AbstractExecutorService implements ScheduledExecutorService {
  private final MutableClock clock;
  private final List<Task<?>> tasks = new ArrayList<>(); // guarded by this
  private long sequence; // guarded by this
  private boolean shutdown; // guarded by this

  public ManualScheduler(MutableClock clock) {
    this.clock = clock;
  }

  /** Moves the clock by {@code d} and runs what came due. */
  public void advance(Duration d) {
    long until = nanos() + d.toNanos();
    Task<?> next;
    while ((next = nextDue(until)) != null) {
      clock.set(Instant.EPOCH.plusNanos(Math.max(next.due, nanos())));
      next.runOnce();
    }
    clock.set(Instant.EPOCH.plusNanos(until));
  }

  /** Tasks waiting (cancelled ones are dropped). */
  public synchronized int pending() {
    tasks.removeIf(FutureTask::isDone);
    return tasks.size();
  }

  private long nanos() {
    Instant now = clock.instant();
    return now.getEpochSecond() * 1_000_000_000L + now.getNano();
  }

  private synchronized Task<?> nextDue(long until) {
    tasks.removeIf(FutureTask::isDone);
    Task<?> first = tasks.stream().min(Comparator.<Task<?>>comparingLong(t -> t.due)
        .thenComparingLong(t -> t.seq)).orElse(null);
    if (first == null || first.due > until) {
      return null;
    }
    tasks.remove(first);
    return first;
  }

  private synchronized <V> Task<V> add(Task<V> t) {
    if (!shutdown) {
      tasks.add(t);
    }
    return t;
  }

  @Override
  public ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
    return add(new Task<>(() -> {
      command.run();
      return null;
    }, nanos() + unit.toNanos(delay), 0));
  }

  @Override
  public <V> ScheduledFuture<V> schedule(Callable<V> callable, long delay, TimeUnit unit) {
    return add(new Task<>(callable, nanos() + unit.toNanos(delay), 0));
  }

  @Override
  public ScheduledFuture<?> scheduleAtFixedRate(Runnable command, long initialDelay, long period, TimeUnit unit) {
    return scheduleWithFixedDelay(command, initialDelay, period, unit);
  }

  @Override
  public ScheduledFuture<?> scheduleWithFixedDelay(Runnable command, long initialDelay, long delay, TimeUnit unit) {
    return add(new Task<>(() -> {
      command.run();
      return null;
    }, nanos() + unit.toNanos(initialDelay), unit.toNanos(delay)));
  }

  @Override
  public void execute(Runnable command) {
    command.run();
  }

  @Override
  public synchronized void shutdown() {
    shutdown = true;
  }

  @Override
  public synchronized List<Runnable> shutdownNow() {
    shutdown = true;
    List<Runnable> left = new ArrayList<>(tasks);
    tasks.clear();
    return left;
  }

  @Override
  public synchronized boolean isShutdown() {
    return shutdown;
  }

  @Override
  public synchronized boolean isTerminated() {
    return shutdown;
  }

  @Override
  public boolean awaitTermination(long timeout, TimeUnit unit) {
    return isShutdown();
  }

  private final class Task<V> extends FutureTask<V> implements ScheduledFuture<V> {
    final long seq;
    final long period;
    long due;

    Task(Callable<V> callable, long due, long period) {
      super(callable);
      this.due = due;
      this.period = period;
      synchronized (ManualScheduler.this) {
        this.seq = sequence++;
      }
    }

    void runOnce() {
      if (period == 0) {
        run();
      } else if (runAndReset()) {
        due += period;
        add(this);
      }
    }

    @Override
    public long getDelay(TimeUnit unit) {
      return unit.convert(due - nanos(), TimeUnit.NANOSECONDS);
    }

    @Override
    public int compareTo(Delayed o) {
      return Long.compare(getDelay(TimeUnit.NANOSECONDS), o.getDelay(TimeUnit.NANOSECONDS));
    }
  }
}
