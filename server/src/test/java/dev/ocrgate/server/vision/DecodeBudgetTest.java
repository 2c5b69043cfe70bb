package dev.ocrgate.server.vision;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The decode budget: deterministic cases first, then many threads against a fake decoder. */
class DecodeBudgetTest {
  private static final long KIB = DecodeBudget.UNIT;

  @Test
  void acquire_withinCapacity_thenFull_isRefusedWithoutWaiting() throws Exception {
    DecodeBudget budget = DecodeBudget.of(100 * KIB, Duration.ZERO);
    DecodeBudget.Permit a = budget.acquire(60 * KIB);
    assertThat(budget.inUseBytes()).isEqualTo(60 * KIB);
    assertThatThrownBy(() -> budget.acquire(41 * KIB))
        .isInstanceOf(DecodeBudgetException.class)
        .hasMessage(DecodeBudgetException.MESSAGE);
    DecodeBudget.Permit b = budget.acquire(40 * KIB);
    assertThat(budget.inUseBytes()).isEqualTo(100 * KIB);
    a.close();
    b.close();
    assertThat(budget.inUseBytes()).isZero();
  }

  @Test
  void acquire_costsRoundUpToWholeUnits() throws Exception {
    DecodeBudget budget = DecodeBudget.of(10 * KIB, Duration.ZERO);
    try (DecodeBudget.Permit p = budget.acquire(1)) {
      assertThat(p.bytes()).isEqualTo(KIB);
    }
    assertThat(budget.capacityBytes()).isEqualTo(10 * KIB);
    assertThat(DecodeBudget.of(10 * KIB + 1, Duration.ZERO).capacityBytes()).isEqualTo(11 * KIB);
  }

  @Test
  void acquire_moreThanTheWholeBudget_takesAllOfIt_andRunsAlone() throws Exception {
    DecodeBudget budget = DecodeBudget.of(100 * KIB, Duration.ZERO);
    try (DecodeBudget.Permit huge = budget.acquire(1L << 40)) {
      assertThat(huge.bytes()).isEqualTo(100 * KIB);
      assertThatThrownBy(() -> budget.acquire(1)).isInstanceOf(DecodeBudgetException.class);
    }
    DecodeBudget.Permit small = budget.acquire(KIB);
    assertThatThrownBy(() -> budget.acquire(1L << 40)).isInstanceOf(DecodeBudgetException.class);
    small.close();
  }

  @Test
  void shrinkTo_releasesTheRest_andCloseIsIdempotent() throws Exception {
    DecodeBudget budget = DecodeBudget.of(100 * KIB, Duration.ZERO);
    DecodeBudget.Permit p = budget.acquire(90 * KIB);
    p.shrinkTo(30 * KIB);
    assertThat(budget.inUseBytes()).isEqualTo(30 * KIB);
    p.shrinkTo(50 * KIB); // never grows
    assertThat(p.bytes()).isEqualTo(30 * KIB);
    p.close();
    p.close();
    assertThat(budget.inUseBytes()).isZero();
    assertThat(budget.acquire(100 * KIB).bytes()).isEqualTo(100 * KIB);
  }

  @Test
  void acquire_waitsForARelease_withinItsBound() throws Exception {
    DecodeBudget budget = DecodeBudget.of(100 * KIB, Duration.ofSeconds(30));
    DecodeBudget.Permit held = budget.acquire(80 * KIB);
    CompletableFuture<DecodeBudget.Permit> waiter = CompletableFuture.supplyAsync(() -> {
      try {
        return budget.acquire(50 * KIB);
      } catch (DecodeBudgetException e) {
        throw new IllegalStateException(e);
      }
    });
    await().atMost(Duration.ofSeconds(30)).until(budget::hasWaiters);
    assertThat(waiter).isNotDone();
    held.close();
    assertThat(waiter.get(30, TimeUnit.SECONDS).bytes()).isEqualTo(50 * KIB);
  }

  @Test
  void acquire_isFifo_aWaitingLargeRequestIsNotOvertakenBySmallOnes() throws Exception {
    DecodeBudget budget = DecodeBudget.of(100 * KIB, Duration.ofSeconds(30));
    DecodeBudget.Permit held = budget.acquire(50 * KIB);
    CompletableFuture<DecodeBudget.Permit> large = CompletableFuture.supplyAsync(() -> {
      try {
        return budget.acquire(100 * KIB);
      } catch (DecodeBudgetException e) {
        throw new IllegalStateException(e);
      }
    });
    await().atMost(Duration.ofSeconds(30)).until(budget::hasWaiters);
    // 50 KiB are free, but the large request came first
    assertThatThrownBy(() -> budget.acquire(10 * KIB, 0)).isInstanceOf(DecodeBudgetException.class);
    held.close();
    assertThat(large.get(30, TimeUnit.SECONDS).bytes()).isEqualTo(100 * KIB);
  }

  @Test
  void acquire_callerBound_isCappedByTheBudgetsWait_andInterruptIsRefusal() throws Exception {
    DecodeBudget budget = DecodeBudget.of(10 * KIB, Duration.ZERO);
    DecodeBudget.Permit all = budget.acquire(10 * KIB);
    // the caller would wait a day; the budget says not at all
    assertThatThrownBy(() -> budget.acquire(KIB, TimeUnit.DAYS.toNanos(1)))
        .isInstanceOf(DecodeBudgetException.class);
    DecodeBudget patient = DecodeBudget.of(10 * KIB, Duration.ofDays(1));
    DecodeBudget.Permit full = patient.acquire(10 * KIB);
    Thread.currentThread().interrupt();
    assertThatThrownBy(() -> patient.acquire(KIB)).isInstanceOf(DecodeBudgetException.class);
    assertThat(Thread.interrupted()).isTrue(); // flag restored (and cleared here)
    full.close();
    all.close();
  }

  @Test
  void of_rejectsNonsense() {
    assertThatThrownBy(() -> DecodeBudget.of(0, Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> DecodeBudget.of(KIB, Duration.ofMillis(-1)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> DecodeBudget.of(KIB * Integer.MAX_VALUE + KIB, Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class);
  }

  /**
   * Threads "decode" images of random sizes through a fake decoder that records the bytes in
   * flight: the sum never exceeds the budget, every request is either served or refused, and
   * everything is released at the end.
   */
  @Test
  void stress_concurrentDecodes_neverHoldMoreThanTheBudget() throws Exception {
    long capacity = 1000 * KIB;
    DecodeBudget budget = DecodeBudget.of(capacity, Duration.ofMillis(50));
    FakeDecoder fake = new FakeDecoder(budget);
    int threads = 8;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    CountDownLatch start = new CountDownLatch(1);
    List<Future<long[]>> results = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      long seed = t;
      results.add(pool.submit(() -> {
        Random random = new Random(seed);
        long served = 0;
        long refused = 0;
        start.await();
        for (int i = 0; i < 500; i++) {
          if (fake.decode((1 + random.nextInt(400)) * KIB)) {
            served++;
          } else {
            refused++;
          }
        }
        return new long[] {served, refused};
      }));
    }
    start.countDown();
    long served = 0;
    long total = 0;
    for (Future<long[]> f : results) {
      long[] r = f.get(120, TimeUnit.SECONDS);
      served += r[0];
      total += r[0] + r[1];
    }
    pool.shutdown();
    assertThat(total).isEqualTo(threads * 500L);
    assertThat(served).isPositive();
    assertThat(fake.peak.get()).isPositive().isLessThanOrEqualTo(capacity);
    assertThat(fake.inFlight.get()).isZero();
    assertThat(budget.inUseBytes()).isZero();
  }

  /** Allocates nothing: counts the bytes it would hold while "decoding", under the budget. */
  private static final class FakeDecoder {
    final AtomicLong inFlight = new AtomicLong();
    final AtomicLong peak = new AtomicLong();
    private final DecodeBudget budget;

    FakeDecoder(DecodeBudget budget) {
      this.budget = budget;
    }

    boolean decode(long bytes) {
      try (DecodeBudget.Permit p = budget.acquire(bytes)) {
        long now = inFlight.addAndGet(bytes);
        peak.accumulateAndGet(now, Math::max);
        Thread.yield();
        inFlight.addAndGet(-bytes);
        return true;
      } catch (DecodeBudgetException e) {
        return false;
      }
    }
  }
}
