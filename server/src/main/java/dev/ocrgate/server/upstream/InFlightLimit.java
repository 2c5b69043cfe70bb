package dev.ocrgate.server.upstream;

import java.util.ArrayDeque;
import com.google.errorprone.annotations.concurrent.GuardedBy;

/**
 * Admission to the upstream: at most {@code maxInFlight} requests run at once, at most
 * {@code maxQueued} wait for a slot in arrival order, the rest are refused at once.
 *
 * <p>Invariant: {@code running <= maxInFlight}, {@code waiting.size() <= maxQueued}, and a task
 * waits only while every slot is taken. A task handed a slot must call {@link #release()} exactly
 * once; a waiting task that is no longer wanted (cancelled, past its deadline) is
 * {@link #withdraw withdrawn}. Tasks are started outside the lock, on the releasing thread.
 */
final class InFlightLimit {
  private final int maxInFlight;
  private final int maxQueued;
  @GuardedBy("this") private int running;
  @GuardedBy("this") private final ArrayDeque<Runnable> waiting = new ArrayDeque<>();

  InFlightLimit(int maxInFlight, int maxQueued) {
    if (maxInFlight <= 0 || maxQueued < 0) {
      throw new IllegalArgumentException("maxInFlight must be > 0 and maxQueued >= 0");
    }
    this.maxInFlight = maxInFlight;
    this.maxQueued = maxQueued;
  }

  /** Runs {@code task} now or queues it; false (nothing queued) when the queue is full. */
  boolean admit(Runnable task) {
    synchronized (this) {
      if (running >= maxInFlight) {
        if (waiting.size() >= maxQueued) {
          return false;
        }
        waiting.addLast(task);
        return true;
      }
      running++;
    }
    task.run();
    return true;
  }

  /** A running task is done: its slot goes to the oldest waiting task, if any. */
  void release() {
    Runnable next;
    synchronized (this) {
      next = waiting.pollFirst();
      if (next == null) {
        running--;
      }
    }
    if (next != null) {
      next.run();
    }
  }

  /** Removes {@code task} if it is still waiting; true if it was. */
  synchronized boolean withdraw(Runnable task) {
    return waiting.remove(task);
  }

  synchronized int running() {
    return running;
  }

  synchronized int waiting() {
    return waiting.size();
  }
}
