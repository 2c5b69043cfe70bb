package dev.ocrgate.server.stream;

import com.google.errorprone.annotations.concurrent.GuardedBy;
import java.util.ArrayDeque;

/**
 * The server-wide budget of stream frames in flight: a stream asks for one permit before it
 * requests a frame from the transport, and the permit comes back once that frame no longer needs
 * a place in the OCR queues (its read completed, it reuses another frame's read, it failed, or
 * its stream ended). A stream that gets no permit requests nothing, so its client is held back by
 * HTTP/2 flow control instead of being answered RESOURCE_EXHAUSTED frame by frame.
 *
 * <p>Fairness: asks are granted one permit each, in the order they were made (FIFO), and a stream
 * has at most one ask open at a time; a stream that wants another frame asks again and joins the
 * back of the line. Under overload the permits therefore go round-robin over the waiting streams,
 * and no stream waits for more than one grant to each stream ahead of it.
 *
 * <p>Invariant: {@code 0 <= held <= capacity}; an ask waits only while {@code held == capacity};
 * every permit handed out (by {@link #acquire} returning true, or by running an ask's callback)
 * is {@link #release released} exactly once by its holder. Callbacks run outside the lock, on the
 * thread that released the permit they get; they must be short (a stream's callback only
 * schedules work on its own context).
 *
 * <p>Thread-safe.
 */
final class FrameBudget {
  private final int capacity;
  @GuardedBy("this") private int held;
  @GuardedBy("this") private final ArrayDeque<Runnable> waiting = new ArrayDeque<>();

  private FrameBudget(int capacity) {
    this.capacity = capacity;
  }

  /** A budget of {@code capacity} permits, at least 1. */
  static FrameBudget of(int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("frame budget must be >= 1, got " + capacity);
    }
    return new FrameBudget(capacity);
  }

  /**
   * Takes a permit now (true; {@code onGrant} is not run) or queues {@code onGrant}, which runs
   * once with the permit when it is this ask's turn (false). {@code onGrant} identifies the ask
   * for {@link #withdraw}: a caller may have one ask open per callback object.
   */
  boolean acquire(Runnable onGrant) {
    synchronized (this) {
      if (held < capacity && waiting.isEmpty()) {
        held++;
        return true;
      }
      waiting.addLast(onGrant);
      return false;
    }
  }

  /** Removes a queued ask; false when it was already granted (its callback runs or has run). */
  synchronized boolean withdraw(Runnable onGrant) {
    return waiting.removeFirstOccurrence(onGrant);
  }

  /** Returns {@code n} permits; each goes to the oldest waiting ask, if any. */
  void release(int n) {
    if (n <= 0) {
      return;
    }
    Runnable[] grants = new Runnable[n];
    int granted = 0;
    synchronized (this) {
      if (n > held) {
        throw new IllegalStateException("released " + n + " frame permits, only " + held + " held");
      }
      held -= n;
      while (held < capacity && !waiting.isEmpty()) {
        held++;
        grants[granted++] = waiting.pollFirst();
      }
    }
    for (int i = 0; i < granted; i++) {
      grants[i].run();
    }
  }

  int capacity() {
    return capacity;
  }

  /** Permits handed out and not yet released. */
  synchronized int held() {
    return held;
  }

  /** Asks waiting for a permit (= streams waiting to request their next frame). */
  synchronized int waiting() {
    return waiting.size();
  }
}
