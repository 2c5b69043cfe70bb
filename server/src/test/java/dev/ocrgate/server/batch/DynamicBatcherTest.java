package dev.ocrgate.server.batch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.grpc.Status;
import io.grpc.StatusException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The batcher with real worker threads and a fake clock: with a long max_queue_delay on a clock
 * that does not move, batches form only by size, so outcomes are deterministic.
 */
class DynamicBatcherTest {
  private final FakeTicker ticker = new FakeTicker();
  private final ExecutorService completions =
      Executors.newFixedThreadPool(2, r -> new Thread(r, "completion"));
  private final List<List<String>> batches = new CopyOnWriteArrayList<>();
  private final CountDownLatch release = new CountDownLatch(1);
  private final List<DynamicBatcher<?, ?>> started = new ArrayList<>();

  @AfterEach
  void tearDown() throws InterruptedException {
    release.countDown();
    started.forEach(DynamicBatcher::shutdownNow);
    completions.shutdown();
    assertThat(completions.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
  }

  /** Records each batch, blocks on inputs named "block" until released, upper-cases inputs. */
  private List<String> run(Object shape, List<String> inputs) throws InterruptedException {
    batches.add(List.copyOf(inputs));
    if (inputs.contains("block")) {
      release.await();
    }
    return inputs.stream().map(s -> s.toUpperCase() + "@" + Thread.currentThread().getName()).toList();
  }

  private DynamicBatcher<String, String> batcher(BatchPolicy policy, int instances, BatchListener l) {
    List<BatchRunner<String, String>> runners = Collections.nCopies(instances, this::run);
    DynamicBatcher<String, String> b = DynamicBatcher.<String, String>builder("test", policy)
        .ticker(ticker).completionExecutor(completions).listener(l).start(runners);
    started.add(b);
    return b;
  }

  private DynamicBatcher<String, String> batcher(int maxBatch, int capacity) {
    return batcher(new BatchPolicy(maxBatch, Duration.ofHours(1), capacity), 1, BatchListener.NONE);
  }

  private static Status.Code codeOf(CompletableFuture<?> f) {
    Throwable t = f.handle((r, e) -> e).join();
    Throwable cause = t instanceof CompletionException ? t.getCause() : t;
    assertThat(cause).isInstanceOf(StatusException.class);
    return ((StatusException) cause).getStatus().getCode();
  }

  @Test
  void verify_fullBatches_runAsOne_inArrivalOrder() throws Exception {
    DynamicBatcher<String, String> b = batcher(4, 16);
    List<CompletableFuture<String>> fs = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      fs.add(b.submit("i" + i));
    }
    for (int i = 0; i < 8; i++) {
      assertThat(fs.get(i).get(10, TimeUnit.SECONDS)).startsWith("I" + i + "@batch-test-0");
    }
    assertThat(batches).containsExactly(
        List.of("i0", "i1", "i2", "i3"), List.of("i4", "i5", "i6", "i7"));
  }

  @Test
  void verify_partialBatch_runsWhenDelayElapses() throws Exception {
    DynamicBatcher<String, String> b =
        batcher(new BatchPolicy(4, Duration.ofMillis(20), 16), 1, BatchListener.NONE);
    CompletableFuture<String> f = b.submit("only");
    ticker.advance(Duration.ofMillis(20));
    // The worker's park is real time; it wakes after at most ~20 ms and sees the advanced clock.
    assertThat(f.get(10, TimeUnit.SECONDS)).startsWith("ONLY");
    assertThat(batches).containsExactly(List.of("only"));
  }

  @Test
  void verify_completions_runOnTheExecutor_notTheWorker() throws Exception {
    DynamicBatcher<String, String> b = batcher(1, 4);
    // The batch is held until the dependent stage is registered: a stage added to an already
    // completed future runs on the caller's thread, which would make this test race.
    CompletableFuture<String> result = b.submit("block");
    await().until(() -> batches.size() == 1);
    CompletableFuture<String> thread = result.thenApply(r -> Thread.currentThread().getName());
    assertThat(result).isNotDone();
    release.countDown();
    assertThat(thread.get(10, TimeUnit.SECONDS)).isEqualTo("completion");
  }

  @Test
  void verify_fullQueue_isResourceExhausted_atOnce() throws Exception {
    DynamicBatcher<String, String> b = batcher(1, 2);
    CompletableFuture<String> running = b.submit("block");
    await().until(() -> batches.size() == 1);
    CompletableFuture<String> q1 = b.submit("q1");
    CompletableFuture<String> q2 = b.submit("q2");
    CompletableFuture<String> refused = b.submit("q3");
    assertThat(refused).isCompletedExceptionally();
    assertThat(codeOf(refused)).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
    release.countDown();
    assertThat(q2.get(10, TimeUnit.SECONDS)).startsWith("Q2");
    assertThat(running.get()).startsWith("BLOCK");
    assertThat(q1.get()).startsWith("Q1");
  }

  @Test
  void verify_expiredItem_isDeadlineExceeded_andNeverRuns() throws Exception {
    DynamicBatcher<String, String> b = batcher(1, 8);
    b.submit("block");
    await().until(() -> batches.size() == 1);
    CompletableFuture<String> late =
        b.submit("late", null, 1.0, ticker.nanoTime() + Duration.ofMillis(5).toNanos());
    CompletableFuture<String> fine = b.submit("fine");
    ticker.advance(Duration.ofMillis(10));
    release.countDown();
    assertThat(fine.get(10, TimeUnit.SECONDS)).startsWith("FINE");
    assertThat(codeOf(late)).isEqualTo(Status.Code.DEADLINE_EXCEEDED);
    assertThat(batches).noneMatch(batch -> batch.contains("late"));
  }

  @Test
  void verify_pastDeadlineAtSubmit_isDeadlineExceeded() {
    DynamicBatcher<String, String> b = batcher(1, 8);
    CompletableFuture<String> f = b.submit("x", null, 1.0, ticker.nanoTime());
    assertThat(codeOf(f)).isEqualTo(Status.Code.DEADLINE_EXCEEDED);
    assertThat(b.queueDepth()).isZero();
  }

  @Test
  void verify_cancelledItem_isRemovedFromTheQueue() throws Exception {
    DynamicBatcher<String, String> b = batcher(1, 8);
    b.submit("block");
    await().until(() -> batches.size() == 1);
    CompletableFuture<String> gone = b.submit("gone");
    CompletableFuture<String> kept = b.submit("kept");
    assertThat(b.queueDepth()).isEqualTo(2);
    gone.cancel(false);
    assertThat(b.queueDepth()).isEqualTo(1);
    release.countDown();
    assertThat(kept.get(10, TimeUnit.SECONDS)).startsWith("KEPT");
    assertThat(batches).noneMatch(batch -> batch.contains("gone"));
  }

  @Test
  void verify_runnerFailure_failsTheBatch_keepingAStatus_andWorkerSurvives() throws Exception {
    List<BatchRunner<String, String>> runners = List.of((shape, in) -> {
      if (in.contains("status")) {
        throw Status.INVALID_ARGUMENT.withDescription("bad crop").asException();
      }
      if (in.contains("boom")) {
        throw new IllegalStateException("native failure with secret details");
      }
      return in;
    });
    DynamicBatcher<String, String> b = DynamicBatcher.<String, String>builder("f", BatchPolicy.unbatched(8))
        .completionExecutor(completions).start(runners);
    started.add(b);
    CompletableFuture<String> s = b.submit("status");
    CompletableFuture<String> boom = b.submit("boom");
    assertThat(b.submit("ok").get(10, TimeUnit.SECONDS)).isEqualTo("ok");
    assertThat(codeOf(s)).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(codeOf(boom)).isEqualTo(Status.Code.INTERNAL);
    assertThatThrownBy(boom::get).isInstanceOf(ExecutionException.class)
        .hasMessageNotContaining("secret");
  }

  @Test
  void verify_shutdown_runsWhatIsQueued_andRefusesNewItems() throws Exception {
    DynamicBatcher<String, String> b = batcher(4, 8);
    List<CompletableFuture<String>> fs = List.of(b.submit("a"), b.submit("b"), b.submit("c"));
    b.shutdown();
    CompletableFuture<String> late = b.submit("late");
    assertThat(codeOf(late)).isEqualTo(Status.Code.UNAVAILABLE);
    for (CompletableFuture<String> f : fs) {
      assertThat(f.get(10, TimeUnit.SECONDS)).isNotEmpty();
    }
    assertThat(b.awaitTermination(Duration.ofSeconds(10))).isTrue();
    assertThat(batches).containsExactly(List.of("a", "b", "c"));
  }

  @Test
  void verify_shutdownNow_failsQueuedItemsWithUnavailable_runningBatchCompletes() throws Exception {
    DynamicBatcher<String, String> b = batcher(1, 8);
    CompletableFuture<String> running = b.submit("block");
    await().until(() -> batches.size() == 1);
    CompletableFuture<String> queued = b.submit("queued");
    b.shutdownNow();
    assertThat(codeOf(queued)).isEqualTo(Status.Code.UNAVAILABLE);
    release.countDown();
    assertThat(running.get(10, TimeUnit.SECONDS)).startsWith("BLOCK");
    assertThat(b.awaitTermination(Duration.ofSeconds(10))).isTrue();
  }

  @Test
  void verify_listener_seesBatchSizeQueueTimeAndPadding() throws Exception {
    List<String> events = new CopyOnWriteArrayList<>();
    BatchListener l = new BatchListener() {
      @Override
      public void onBatch(int size, long inferenceNanos, double paddingRatio) {
        events.add("batch " + size + " padding " + paddingRatio);
      }

      @Override
      public void onDequeued(long queueNanos) {
        events.add("queued " + queueNanos);
      }
    };
    DynamicBatcher<String, String> b =
        batcher(new BatchPolicy(2, Duration.ofHours(1), 8), 1, l);
    CompletableFuture<String> f1 = b.submit("a", 320, 0.5, Long.MAX_VALUE);
    ticker.advance(Duration.ofNanos(700));
    CompletableFuture<String> f2 = b.submit("b", 320, 1.0, Long.MAX_VALUE);
    f1.get(10, TimeUnit.SECONDS);
    f2.get(10, TimeUnit.SECONDS);
    assertThat(events).containsExactly("queued 700", "queued 0", "batch 2 padding 0.25");
  }
}
