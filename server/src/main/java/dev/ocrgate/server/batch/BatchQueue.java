package dev.ocrgate.server.batch;

import com.google.errorprone.annotations.concurrent.GuardedBy;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The bounded queue shared by every caller of one {@link DynamicBatcher} and the decision of when
 * its workers take a batch.
 *
 * <p>Algorithm: items are kept FIFO per shape key. {@link #decide} is side-effect free: it looks at
 * the oldest item (over all shapes) and answers "take now" (0) when its shape has a full batch,
 * when it has waited {@code max_queue_delay}, or when the queue drains for shutdown; otherwise the
 * nanoseconds until the oldest item's delay runs out. A worker that must wait registers itself as
 * idle under the lock and parks outside it; submitters and workers unpark an idle worker after
 * releasing the lock (LockSupport permits make a wake-up before the park harmless).
 *
 * <p>Invariants: {@code size} equals the number of queued items and never exceeds {@code
 * capacity}; an item is in at most one place (queue, a taken batch, or completed); the lock is
 * held only to move items in or out, never while running a batch or completing a future.
 */
final class BatchQueue<I, O> {
  /** The shape key used for items that carry none (LinkedHashMap keys must be distinct objects). */
  private static final Object NO_SHAPE = new Object();

  /** {@link #decide} result: no item queued, wait for a signal. */
  static final long WAIT_FOR_SIGNAL = Long.MAX_VALUE;
  /** {@link #decide} result: the queue is closed and empty, the worker exits. */
  static final long EXIT = -1;

  enum State { OPEN, DRAINING, STOPPED }

  enum Offer { ACCEPTED, FULL, CLOSED }

  private final BatchPolicy policy;
  private final ReentrantLock lock = new ReentrantLock();

  @GuardedBy("lock") private final Map<Object, ArrayDeque<QueuedItem<I, O>>> byShape =
      new LinkedHashMap<>();
  @GuardedBy("lock") private final ArrayDeque<Thread> idleWorkers = new ArrayDeque<>();
  @GuardedBy("lock") private int size;
  @GuardedBy("lock") private long earliestDeadline = Long.MAX_VALUE;
  @GuardedBy("lock") private State state = State.OPEN;

  BatchQueue(BatchPolicy policy) {
    this.policy = policy;
  }

  /** What a worker got: a batch to run (possibly empty) and expired items to fail. */
  record Taken<I, O>(Object shapeKey, List<QueuedItem<I, O>> batch, List<QueuedItem<I, O>> expired) {
    boolean isEmpty() {
      return batch.isEmpty() && expired.isEmpty();
    }
  }

  /** Adds {@code item} unless the queue is full or closed; wakes an idle worker when useful. */
  Offer offer(QueuedItem<I, O> item) {
    Thread toWake;
    lock.lock();
    try {
      if (state != State.OPEN) {
        return Offer.CLOSED;
      }
      if (size >= policy.queueCapacity()) {
        return Offer.FULL;
      }
      ArrayDeque<QueuedItem<I, O>> q = byShape.computeIfAbsent(shape(item), k -> new ArrayDeque<>());
      q.addLast(item);
      size++;
      earliestDeadline = Math.min(earliestDeadline, item.deadlineNanos);
      // A waiting worker already has a timer for the oldest item's delay; wake one only when this
      // item changes the decision: first item, a shape just became full, or no delay at all.
      boolean wake = size == 1 || q.size() >= policy.maxBatchSize() || policy.maxQueueDelayNanos() == 0;
      toWake = wake ? idleWorkers.pollFirst() : null;
    } finally {
      lock.unlock();
    }
    LockSupport.unpark(toWake);
    return Offer.ACCEPTED;
  }

  /** Removes {@code item} if still queued (its future was cancelled). */
  boolean remove(QueuedItem<I, O> item) {
    lock.lock();
    try {
      ArrayDeque<QueuedItem<I, O>> q = byShape.get(shape(item));
      if (q == null || !q.remove(item)) {
        return false;
      }
      size--;
      if (q.isEmpty()) {
        byShape.remove(shape(item));
      }
      return true;
    } finally {
      lock.unlock();
    }
  }

  int size() {
    lock.lock();
    try {
      return size;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Blocks the calling worker until there is work: a batch to run or expired items to fail.
   * Returns null when the queue is closed and empty (the worker exits).
   */
  Taken<I, O> await(Ticker ticker) throws InterruptedException {
    while (true) {
      long wait;
      Taken<I, O> taken;
      Thread toWake = null;
      lock.lock();
      try {
        idleWorkers.remove(Thread.currentThread());
        long now = ticker.nanoTime();
        List<QueuedItem<I, O>> expired = removeExpired(now);
        wait = decide(now);
        if (wait == 0) {
          taken = take(now, expired);
          // More work may be ready for another worker: chain the wake-up.
          toWake = size > 0 ? idleWorkers.pollFirst() : null;
        } else if (wait == EXIT) {
          return null;
        } else {
          taken = new Taken<>(null, List.of(), expired);
          idleWorkers.addLast(Thread.currentThread());
        }
      } finally {
        lock.unlock();
      }
      LockSupport.unpark(toWake);
      if (!taken.isEmpty()) {
        return taken;
      }
      park(wait);
    }
  }

  /**
   * Nanoseconds the worker should wait before taking a batch at {@code now}: 0 = take one now,
   * {@link #WAIT_FOR_SIGNAL} = nothing queued, {@link #EXIT} = closed and empty. Lock held; no side
   * effects.
   */
  @GuardedBy("lock")
  long decide(long now) {
    if (size == 0) {
      return state == State.OPEN ? WAIT_FOR_SIGNAL : EXIT;
    }
    if (state != State.OPEN) {
      return 0;
    }
    long oldest = Long.MAX_VALUE;
    for (ArrayDeque<QueuedItem<I, O>> q : byShape.values()) {
      if (q.size() >= policy.maxBatchSize()) {
        return 0;
      }
      oldest = Math.min(oldest, q.peekFirst().enqueuedNanos);
    }
    long waited = now - oldest;
    return Math.max(0, policy.maxQueueDelayNanos() - waited);
  }

  /** Test access: {@link #decide} under the lock. */
  long decideLocked(long now) {
    lock.lock();
    try {
      return decide(now);
    } finally {
      lock.unlock();
    }
  }

  /** Test access: the batch a worker would take at {@code now} (no parking, no waiting). */
  Taken<I, O> takeLocked(long now) {
    lock.lock();
    try {
      List<QueuedItem<I, O>> expired = removeExpired(now);
      return decide(now) == 0 ? take(now, expired) : new Taken<>(null, List.of(), expired);
    } finally {
      lock.unlock();
    }
  }

  /** Drains for shutdown: no new items; workers run what is queued without delay, then exit. */
  void drain() {
    List<Thread> wake;
    lock.lock();
    try {
      if (state == State.OPEN) {
        state = State.DRAINING;
      }
      wake = new ArrayList<>(idleWorkers);
    } finally {
      lock.unlock();
    }
    wake.forEach(LockSupport::unpark);
  }

  /** Stops: no new items; returns every queued item (the caller fails them); workers exit. */
  List<QueuedItem<I, O>> stop() {
    List<QueuedItem<I, O>> left = new ArrayList<>();
    List<Thread> wake;
    lock.lock();
    try {
      state = State.STOPPED;
      byShape.values().forEach(left::addAll);
      byShape.clear();
      size = 0;
      wake = new ArrayList<>(idleWorkers);
    } finally {
      lock.unlock();
    }
    wake.forEach(LockSupport::unpark);
    return left;
  }

  @GuardedBy("lock")
  private Taken<I, O> take(long now, List<QueuedItem<I, O>> expired) {
    Object key = dueShape(now);
    ArrayDeque<QueuedItem<I, O>> q = byShape.get(key);
    int n = Math.min(q.size(), policy.maxBatchSize());
    List<QueuedItem<I, O>> batch = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      batch.add(q.pollFirst());
    }
    size -= n;
    if (q.isEmpty()) {
      byShape.remove(key);
    }
    return new Taken<>(key == NO_SHAPE ? null : key, batch, expired);
  }

  /** The shape to run: a full one if any, else the one holding the oldest item. */
  @GuardedBy("lock")
  private Object dueShape(long now) {
    Object oldestKey = null;
    long oldest = Long.MAX_VALUE;
    for (Map.Entry<Object, ArrayDeque<QueuedItem<I, O>>> e : byShape.entrySet()) {
      ArrayDeque<QueuedItem<I, O>> q = e.getValue();
      if (q.size() >= policy.maxBatchSize()) {
        return e.getKey();
      }
      if (q.peekFirst().enqueuedNanos - oldest < 0 || oldestKey == null) {
        oldest = q.peekFirst().enqueuedNanos;
        oldestKey = e.getKey();
      }
    }
    return oldestKey;
  }

  @GuardedBy("lock")
  private List<QueuedItem<I, O>> removeExpired(long now) {
    if (earliestDeadline == Long.MAX_VALUE || now - earliestDeadline < 0) {
      return List.of();
    }
    List<QueuedItem<I, O>> expired = new ArrayList<>();
    long earliest = Long.MAX_VALUE;
    for (Iterator<ArrayDeque<QueuedItem<I, O>>> qs = byShape.values().iterator(); qs.hasNext(); ) {
      ArrayDeque<QueuedItem<I, O>> q = qs.next();
      for (Iterator<QueuedItem<I, O>> it = q.iterator(); it.hasNext(); ) {
        QueuedItem<I, O> item = it.next();
        if (item.expiredAt(now)) {
          it.remove();
          expired.add(item);
        } else {
          earliest = Math.min(earliest, item.deadlineNanos);
        }
      }
      if (q.isEmpty()) {
        qs.remove();
      }
    }
    size -= expired.size();
    earliestDeadline = earliest;
    return expired;
  }

  private static void park(long nanos) throws InterruptedException {
    if (nanos == WAIT_FOR_SIGNAL) {
      LockSupport.park();
    } else {
      LockSupport.parkNanos(nanos);
    }
    if (Thread.interrupted()) {
      throw new InterruptedException();
    }
  }

  private static Object shape(QueuedItem<?, ?> item) {
    return item.shapeKey == null ? NO_SHAPE : item.shapeKey;
  }
}
