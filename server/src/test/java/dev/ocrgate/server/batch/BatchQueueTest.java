package dev.ocrgate.server.batch;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The pure decision and batch formation, at explicit times: no threads, no waiting. */
class BatchQueueTest {
  private static final long MS = 1_000_000L;
  private final BatchQueue<String, String> queue =
      new BatchQueue<>(new BatchPolicy(4, Duration.ofMillis(10), 8));

  private QueuedItem<String, String> item(String in, Object shape, long at) {
    return new QueuedItem<>(in, shape, 1.0, at, Long.MAX_VALUE);
  }

  private QueuedItem<String, String> offer(String in, Object shape, long at) {
    QueuedItem<String, String> i = item(in, shape, at);
    assertThat(queue.offer(i)).isEqualTo(BatchQueue.Offer.ACCEPTED);
    return i;
  }

  private static List<String> inputs(BatchQueue.Taken<String, String> t) {
    return t.batch().stream().map(i -> i.input).toList();
  }

  @Test
  void verify_emptyQueue_waitsForSignal() {
    assertThat(queue.decideLocked(0)).isEqualTo(BatchQueue.WAIT_FOR_SIGNAL);
  }

  @Test
  void verify_partialBatch_waitsOnlyWhatIsLeftOfTheDelay() {
    offer("a", null, 0);
    offer("b", null, 2 * MS);
    assertThat(queue.decideLocked(3 * MS)).isEqualTo(7 * MS);
    assertThat(queue.takeLocked(3 * MS).batch()).isEmpty();
    assertThat(queue.size()).isEqualTo(2);
  }

  @Test
  void verify_delayElapsed_takesPartialBatchInArrivalOrder() {
    offer("a", null, 0);
    offer("b", null, MS);
    assertThat(queue.decideLocked(10 * MS)).isZero();
    assertThat(inputs(queue.takeLocked(10 * MS))).containsExactly("a", "b");
    assertThat(queue.size()).isZero();
  }

  @Test
  void verify_fullBatch_runsAtOnce_andLeavesTheRest() {
    for (int i = 0; i < 6; i++) {
      offer("i" + i, null, 0);
    }
    assertThat(queue.decideLocked(0)).isZero();
    assertThat(inputs(queue.takeLocked(0))).containsExactly("i0", "i1", "i2", "i3");
    assertThat(queue.decideLocked(0)).isEqualTo(10 * MS);
  }

  @Test
  void verify_shapes_areNeverMixedInABatch() {
    offer("a1", 160, 0);
    offer("b1", 320, MS);
    offer("a2", 160, 2 * MS);
    offer("b2", 320, 3 * MS);
    BatchQueue.Taken<String, String> first = queue.takeLocked(20 * MS);
    assertThat(first.shapeKey()).isEqualTo(160);
    assertThat(inputs(first)).containsExactly("a1", "a2");
    BatchQueue.Taken<String, String> second = queue.takeLocked(20 * MS);
    assertThat(second.shapeKey()).isEqualTo(320);
    assertThat(inputs(second)).containsExactly("b1", "b2");
  }

  @Test
  void verify_fullShape_runsBeforeOlderPartialShape() {
    offer("old", 640, 0);
    for (int i = 0; i < 4; i++) {
      offer("n" + i, 160, MS);
    }
    BatchQueue.Taken<String, String> t = queue.takeLocked(2 * MS);
    assertThat(t.shapeKey()).isEqualTo(160);
    assertThat(t.batch()).hasSize(4);
    assertThat(queue.decideLocked(2 * MS)).isEqualTo(8 * MS);
  }

  @Test
  void verify_expiredItem_isRemovedBeforeBatching() {
    QueuedItem<String, String> late = new QueuedItem<>("late", null, 1.0, 0, 5 * MS);
    queue.offer(late);
    offer("ok", null, 0);
    BatchQueue.Taken<String, String> t = queue.takeLocked(10 * MS);
    assertThat(t.expired()).containsExactly(late);
    assertThat(inputs(t)).containsExactly("ok");
  }

  @Test
  void verify_fullQueue_refusesOffer() {
    for (int i = 0; i < 8; i++) {
      offer("i" + i, i % 3, 0);
    }
    assertThat(queue.offer(item("x", null, 0))).isEqualTo(BatchQueue.Offer.FULL);
  }

  @Test
  void verify_removedItem_isNotBatched() {
    QueuedItem<String, String> a = offer("a", null, 0);
    offer("b", null, 0);
    assertThat(queue.remove(a)).isTrue();
    assertThat(queue.remove(a)).isFalse();
    assertThat(inputs(queue.takeLocked(10 * MS))).containsExactly("b");
  }

  @Test
  void verify_draining_runsWithoutDelay_thenExits() {
    offer("a", null, 0);
    queue.drain();
    assertThat(queue.offer(item("late", null, 0))).isEqualTo(BatchQueue.Offer.CLOSED);
    assertThat(queue.decideLocked(0)).isZero();
    assertThat(inputs(queue.takeLocked(0))).containsExactly("a");
    assertThat(queue.decideLocked(0)).isEqualTo(BatchQueue.EXIT);
  }

  @Test
  void verify_stop_returnsEveryQueuedItem() {
    offer("a", 1, 0);
    offer("b", 2, 0);
    assertThat(queue.stop()).extracting(i -> i.input).containsExactlyInAnyOrder("a", "b");
    assertThat(queue.size()).isZero();
    assertThat(queue.decideLocked(0)).isEqualTo(BatchQueue.EXIT);
  }
}
