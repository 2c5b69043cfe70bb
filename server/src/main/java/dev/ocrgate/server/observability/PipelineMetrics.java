package dev.ocrgate.server.observability;

import dev.ocrgate.server.batch.BatchListener;
import dev.ocrgate.server.stream.StreamListener;
import io.grpc.Status;

/**
 * Binds the batchers' and StreamFrames' listener hooks to {@link Metrics}. Stateless apart from
 * the names; thread-safe because Metrics is.
 */
public final class PipelineMetrics {
  private PipelineMetrics() {}

  /**
   * A batch listener recording queue wait and batch size under {@code queue} (e.g. {@code det})
   * and each batch's run time as the inference of {@code model} on {@code provider}.
   */
  public static BatchListener batches(Metrics metrics, String queue, String model, String provider) {
    return new BatchListener() {
      @Override
      public void onDequeued(long queueNanos) {
        metrics.queueWait(queue, queueNanos);
      }

      @Override
      public void onBatch(int size, long inferenceNanos, double paddingRatio) {
        metrics.batchSize(queue, size);
        metrics.inference(model, provider, inferenceNanos);
      }
    };
  }

  /** A stream listener counting answered frames by outcome, subtitle lines skipped, and emitted cues. */
  public static StreamListener streams(Metrics metrics) {
    return new StreamListener() {
      @Override
      public void onFrameAnswered(StreamListener.Answer answer, Status.Code code) {
        metrics.frame(code != Status.Code.OK ? Metrics.FrameOutcome.FAILED : switch (answer) {
          case RECOGNIZED -> Metrics.FrameOutcome.RECOGNIZED;
          case REUSED -> Metrics.FrameOutcome.REUSED;
          case VERIFIED -> Metrics.FrameOutcome.VERIFIED;
        });
      }

      @Override
      public void onLinesSelected(int detected, int recognised) {
        metrics.subtitleLines(recognised, detected - recognised);
      }

      @Override
      public void onCue() {
        metrics.cueEmitted();
      }
    };
  }
}
