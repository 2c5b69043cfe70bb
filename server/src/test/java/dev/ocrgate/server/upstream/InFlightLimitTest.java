package dev.ocrgate.server.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class InFlightLimitTest {
  @Test
  void admit_runsUpToTheLimit_queuesInOrder_refusesPastTheQueue() {
    InFlightLimit limit = new InFlightLimit(2, 2);
    List<String> started = new ArrayList<>();
    Runnable a = () -> started.add("a");
    Runnable b = () -> started.add("b");
    Runnable c = () -> started.add("c");
    Runnable d = () -> started.add("d");
    Runnable e = () -> started.add("e");
    assertThat(limit.admit(a)).isTrue();
    assertThat(limit.admit(b)).isTrue();
    assertThat(limit.admit(c)).isTrue();
    assertThat(limit.admit(d)).isTrue();
    assertThat(limit.admit(e)).as("queue full").isFalse();
    assertThat(started).containsExactly("a", "b");
    assertThat(limit.withdraw(c)).isTrue();
    limit.release();
    assertThat(started).containsExactly("a", "b", "d");
    limit.release();
    limit.release();
    assertThat(limit.running()).isZero();
    assertThat(limit.waiting()).isZero();
  }

  @Test
  void stress_neverMoreThanTheLimitRunning_andEveryAdmittedTaskRuns() throws Exception {
    int limitSize = 3;
    InFlightLimit limit = new InFlightLimit(limitSize, 10_000);
    AtomicInteger running = new AtomicInteger();
    AtomicInteger max = new AtomicInteger();
    AtomicInteger done = new AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(4);
    int tasks = 2000;
    CountDownLatch all = new CountDownLatch(tasks);
    for (int i = 0; i < tasks; i++) {
      pool.execute(() -> limit.admit(() -> pool.execute(() -> {
        max.accumulateAndGet(running.incrementAndGet(), Math::max);
        running.decrementAndGet();
        done.incrementAndGet();
        limit.release();
        all.countDown(); // after the release: when all have counted down, every slot is back
      })));
    }
    assertThat(all.await(30, TimeUnit.SECONDS)).isTrue();
    pool.shutdown();
    assertThat(done.get()).isEqualTo(tasks);
    assertThat(max.get()).isLessThanOrEqualTo(limitSize);
    assertThat(limit.running()).isZero();
  }
}
