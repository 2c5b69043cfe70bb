package dev.ocrgate.server.ocr;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ocrgate.server.vision.PixelRect;
import dev.ocrgate.server.vision.RgbImage;
import io.grpc.Deadline;
import io.grpc.Status;
import io.grpc.StatusException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Admission, deadlines and cancellation of the pipeline, with an executor the test controls. */
class OnnxOcrPipelineTest {
  private static final RgbImage BLANK = RgbImage.wrap(64, 32, filled(64 * 32 * 3));

  private static byte[] filled(int n) {
    byte[] b = new byte[n];
    java.util.Arrays.fill(b, (byte) 255);
    return b;
  }

  private static Status statusOf(CompletableFuture<OcrResult> f) throws InterruptedException {
    try {
      f.get(60, TimeUnit.SECONDS);
      throw new AssertionError("expected a failure");
    } catch (ExecutionException e) {
      return ((StatusException) e.getCause()).getStatus();
    } catch (java.util.concurrent.TimeoutException e) {
      throw new AssertionError("no result", e);
    }
  }

  @Test
  void verify_fullQueue_isResourceExhausted_andQueuedWorkStillRuns() throws Exception {
    ThreadPoolExecutor pool = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, new ArrayBlockingQueue<>(1));
    CountDownLatch release = new CountDownLatch(1);
    pool.execute(() -> {
      try {
        release.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
    OnnxOcrPipeline p = new OnnxOcrPipeline(SharedEngine.get(), pool, pool, System::nanoTime, false);
    CompletableFuture<OcrResult> queued = p.recognize(OcrRequest.of(BLANK));
    CompletableFuture<OcrResult> refused = p.recognize(OcrRequest.of(BLANK));
    Status s = statusOf(refused);
    assertThat(s.getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
    assertThat(s.getDescription()).isEqualTo("server is busy: OCR queue is full");
    release.countDown();
    OcrResult r = queued.get(60, TimeUnit.SECONDS);
    assertThat(r.lines()).isEmpty();
    assertThat(r.timing().getQueueUs()).isPositive();
    p.close();
  }

  @Test
  void verify_expiredDeadline_isDeadlineExceededBeforeInference() throws Exception {
    ThreadPoolExecutor pool = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, new ArrayBlockingQueue<>(4));
    OnnxOcrPipeline p = new OnnxOcrPipeline(SharedEngine.get(), pool, pool, System::nanoTime, false);
    Deadline past = Deadline.after(-1, TimeUnit.SECONDS);
    Status s = statusOf(p.recognize(new OcrRequest(BLANK, null, OcrRequest.Mode.FULL, 0f, false, past)));
    assertThat(s.getCode()).isEqualTo(Status.Code.DEADLINE_EXCEEDED);
    p.close();
  }

  @Test
  void verify_regionOutsideImage_isInvalidArgument_andClosedPipelineIsUnavailable() throws Exception {
    ThreadPoolExecutor pool = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, new ArrayBlockingQueue<>(4));
    OnnxOcrPipeline p = new OnnxOcrPipeline(SharedEngine.get(), pool, pool, System::nanoTime, false);
    Status s = statusOf(p.recognize(
        new OcrRequest(BLANK, new PixelRect(100, 0, 10, 10), OcrRequest.Mode.FULL, 0f, false, null)));
    assertThat(s.getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    p.close();
    assertThat(statusOf(p.recognize(OcrRequest.of(BLANK))).getCode()).isEqualTo(Status.Code.UNAVAILABLE);
  }

  @Test
  void verify_cancelledQueuedRequest_isDropped() throws Exception {
    ThreadPoolExecutor pool = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, new ArrayBlockingQueue<>(4));
    CountDownLatch release = new CountDownLatch(1);
    pool.execute(() -> {
      try {
        release.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
    OnnxOcrPipeline p = new OnnxOcrPipeline(SharedEngine.get(), pool, pool, System::nanoTime, false);
    CompletableFuture<OcrResult> f = p.recognize(OcrRequest.of(BLANK));
    assertThat(f.cancel(false)).isTrue();
    release.countDown();
    pool.shutdown();
    assertThat(pool.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
    assertThat(pool.getCompletedTaskCount()).isEqualTo(2);
    assertThat(f.isCancelled()).isTrue();
  }
}
