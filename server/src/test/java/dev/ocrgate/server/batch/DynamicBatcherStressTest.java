package dev.ocrgate.server.batch;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Many submitters, several workers, random shapes, cancellations and deadlines on the real clock:
 * every item completes exactly once, no input runs twice, no cancelled-while-queued input runs,
 * nothing deadlocks, and the queue ends empty.
 */
class DynamicBatcherStressTest {
  @Test
  void verify_manyThreads_everyItemCompletesExactlyOnce_noDeadlock() throws Exception {
    int threads = 8;
    int perThread = 3_000;
    ConcurrentHashMap<Integer, Boolean> ran = new ConcurrentHashMap<>();
    AtomicInteger duplicates = new AtomicInteger();
    AtomicInteger mixedShapes = new AtomicInteger();
    BatchRunner<int[], Integer> runner = (shape, inputs) -> {
      List<Integer> out = new ArrayList<>(inputs.size());
      for (int[] in : inputs) {
        if (ran.put(in[0], Boolean.TRUE) != null) {
          duplicates.incrementAndGet();
        }
        if (!shape.equals(in[1])) {
          mixedShapes.incrementAndGet();
        }
        out.add(in[0]);
      }
      return out;
    };
    ExecutorService completions = Executors.newFixedThreadPool(2);
    DynamicBatcher<int[], Integer> batcher =
        DynamicBatcher.<int[], Integer>builder("stress", new BatchPolicy(8, Duration.ofMillis(1), 256))
            .completionExecutor(completions)
            .start(List.of(runner, runner, runner));
    AtomicInteger completions1 = new AtomicInteger();
    AtomicInteger doubleCompletions = new AtomicInteger();
    List<CompletableFuture<?>> all = Collections.synchronizedList(new ArrayList<>());
    ExecutorService submitters = Executors.newFixedThreadPool(threads);
    for (int t = 0; t < threads; t++) {
      int base = t * perThread;
      submitters.execute(() -> {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        for (int i = 0; i < perThread; i++) {
          int id = base + i;
          long deadline = r.nextInt(10) == 0 ? System.nanoTime() + r.nextInt(2_000_000) : Long.MAX_VALUE;
          int shape = r.nextInt(3);
          CompletableFuture<Integer> f = batcher.submit(new int[] {id, shape}, shape, 1.0, deadline);
          AtomicInteger times = new AtomicInteger();
          CompletableFuture<Integer> watched = f.whenComplete((v, e) -> {
            completions1.incrementAndGet();
            if (times.incrementAndGet() > 1) {
              doubleCompletions.incrementAndGet();
            }
          });
          all.add(watched);
          if (r.nextInt(10) == 0) {
            f.cancel(false);
          }
          if (r.nextInt(50) == 0) {
            Thread.yield();
          }
        }
      });
    }
    submitters.shutdown();
    assertThat(submitters.awaitTermination(60, TimeUnit.SECONDS)).isTrue();
    CompletableFuture.allOf(all.toArray(CompletableFuture[]::new))
        .handle((v, e) -> null).get(60, TimeUnit.SECONDS);
    batcher.close();
    completions.shutdown();
    assertThat(completions.awaitTermination(10, TimeUnit.SECONDS)).isTrue();

    assertThat(all).hasSize(threads * perThread).allMatch(CompletableFuture::isDone);
    assertThat(completions1.get()).isEqualTo(threads * perThread);
    assertThat(doubleCompletions.get()).isZero();
    assertThat(duplicates.get()).isZero();
    assertThat(mixedShapes.get()).isZero();
    assertThat(batcher.queueDepth()).isZero();
    assertThat(ran).isNotEmpty();
    assertThat(batcher.awaitTermination(Duration.ofSeconds(5))).isTrue();
  }
}
