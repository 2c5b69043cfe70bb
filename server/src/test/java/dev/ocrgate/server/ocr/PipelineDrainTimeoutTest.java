package dev.ocrgate.server.ocr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ocrgate.server.batch.BatchListener;
import dev.ocrgate.server.config.OcrgateConfig;
import dev.ocrgate.server.testing.RepoPaths;
import dev.ocrgate.server.testing.TextImages;
import dev.ocrgate.server.testing.TextImages.Line;
import dev.ocrgate.server.vision.RgbImage;
import io.grpc.Status;
import io.grpc.StatusException;
import java.awt.Color;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The pipeline's drain on close follows {@code server.drain_timeout_seconds}: with detection's
 * workers stuck (held at {@link SharedPipeline.StageCounts}' gate, standing for a hung inference),
 * close gives up after the configured second and fails what is still queued with UNAVAILABLE,
 * where it used to wait a hard-coded 30 s per stage. Own module (the shared one is never closed).
 */
class PipelineDrainTimeoutTest {
  private static final long TIMEOUT_SECONDS = SharedPipeline.TIMEOUT_SECONDS;

  @Test
  void close_withDetectionStuck_givesUpAfterTheConfiguredDrainTimeout_andFailsWhatIsQueued() throws Exception {
    OcrgateConfig config = new OcrgateConfig();
    config.models = List.of(RepoPaths.modelDir().toString());
    config.engine.provider = "cpu";
    config.server.drain_timeout_seconds = 1;
    SharedPipeline.StageCounts detection = new SharedPipeline.StageCounts();
    OcrModule ocr = OcrModule.create(config, provider -> detection, provider -> BatchListener.NONE);
    BatchedOcrPipeline pipeline = ocr.batchedPipeline();
    RgbImage page = TextImages.render(320, 80, Color.WHITE, Color.BLACK, List.of(
        new Line("Stuck", TextImages.latin(30), 20, 20))).rgb();
    int workers = pipeline.detectionBatcher().instances();
    ExecutorService closer = Executors.newSingleThreadExecutor();
    detection.hold();
    try {
      assertThat(pipeline.drainTimeout()).isEqualTo(Duration.ofSeconds(1));
      for (int i = 0; i < workers; i++) {
        pipeline.recognize(OcrRequest.of(page));
      }
      await().atMost(Duration.ofSeconds(TIMEOUT_SECONDS)).until(() -> detection.workersHeld() == workers);
      CompletableFuture<OcrResult> queued = pipeline.recognize(OcrRequest.of(page));

      Future<?> closing = closer.submit(pipeline::close);

      // Bounded well below the 30 s the detection stage alone used to wait.
      closing.get(20, TimeUnit.SECONDS);
      assertThat(detection.workersHeld()).as("close returned while the workers were still stuck").isEqualTo(workers);
      assertThat(statusOf(queued).getCode()).isEqualTo(Status.Code.UNAVAILABLE);
    } finally {
      detection.release();
      closer.shutdownNow();
      // The held batches now run; the sessions are closed only once they have left the engine.
      pipeline.detectionBatcher().awaitTermination(Duration.ofSeconds(TIMEOUT_SECONDS));
      ocr.close();
    }
  }

  private static Status statusOf(CompletableFuture<OcrResult> f) {
    Throwable t = f.handle((r, e) -> e).orTimeout(TIMEOUT_SECONDS, TimeUnit.SECONDS).join();
    Throwable cause = t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
    assertThat(cause).as("failure of the request").isInstanceOf(StatusException.class);
    return ((StatusException) cause).getStatus();
  }
}
