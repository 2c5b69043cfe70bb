package dev.ocrgate.server.ocr;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.ocrgate.server.batch.BatchPolicy;
import dev.ocrgate.server.batch.DynamicBatcher;
import java.time.Duration;
import java.util.Locale;

/**
 * The {@code batching:} section of a model.yaml, part of the model's own settings
 * ({@link ModelConfig}): for each execution provider, how each OCR stage's {@link DynamicBatcher}
 * forms batches and how many model instances (sessions, each with its own worker thread and
 * intra-op threads) serve it. Chosen by measurement: see {@code bench sweep}.
 *
 * <p>The batcher itself only ever sees a stage's generic {@link BatchPolicy} ({@link
 * Stage#policy()}); the instances, ONNX Runtime threads and recognition padding are the model
 * layer's business ({@link BatchedOcrPipeline}).
 *
 * <p>Plain mutable holders because Jackson binds them; read-only once validated.
 */
public final class BatchingSpec {
  /** CPU execution provider. */
  @JsonProperty public Provider cpu = new Provider();
  /** CUDA execution provider. */
  @JsonProperty public Provider cuda = new Provider();

  /** The settings for a provider label as logged by the engine ({@code CPU}, {@code CUDA:0}). */
  public Provider forProvider(String label) {
    return label.toUpperCase(Locale.ROOT).startsWith("CUDA") ? cuda : cpu;
  }

  /** Throws IllegalArgumentException naming the first bad key. */
  public BatchingSpec validate() {
    cpu.validate("batching.cpu");
    cuda.validate("batching.cuda");
    return this;
  }

  /** One provider's stages. */
  public static final class Provider {
    @JsonProperty public Stage detection = new Stage();
    @JsonProperty public Stage recognition = new Stage();

    void validate(String where) {
      detection.validate(where + ".detection");
      recognition.validate(where + ".recognition");
    }
  }

  /** One stage's batcher and instances. */
  public static final class Stage {
    /** Largest batch; 1 = no batching. Default 1. */
    @JsonProperty public int max_batch_size = 1;
    /** How long the oldest queued item may wait for a fuller batch, milliseconds. Default 0. */
    @JsonProperty public int max_queue_delay_ms = 0;
    /** Items queued across all calls before RESOURCE_EXHAUSTED. Default 512. */
    @JsonProperty public int queue_capacity = 512;
    /** Model instances (sessions + worker threads). Default 1. */
    @JsonProperty public int instances = 1;
    /** ONNX Runtime intra-op threads per instance. Default 1. */
    @JsonProperty public int intra_op_threads = 1;
    /**
     * Recognition only: 0 = pad line crops to the model's {@code width_buckets} (few shapes, what
     * GPUs want); n > 0 = pad each crop only to the next multiple of n (a batch holds crops of one
     * padded width). Default 0.
     */
    @JsonProperty public int width_step = 0;

    /** The stage's generic dynamic-batching policy, all the batcher is told. */
    public BatchPolicy policy() {
      return new BatchPolicy(max_batch_size, Duration.ofMillis(max_queue_delay_ms), queue_capacity);
    }

    void validate(String where) {
      if (max_batch_size < 1 || max_queue_delay_ms < 0 || queue_capacity < max_batch_size) {
        throw new IllegalArgumentException(where + ": need max_batch_size >= 1,"
            + " max_queue_delay_ms >= 0, queue_capacity >= max_batch_size");
      }
      if (instances < 1 || instances > 64 || intra_op_threads < 1 || intra_op_threads > 256) {
        throw new IllegalArgumentException(where + ": instances must be in [1, 64] and"
            + " intra_op_threads in [1, 256]");
      }
      if (width_step < 0 || width_step > 4096) {
        throw new IllegalArgumentException(where + ": width_step must be in [0, 4096]");
      }
    }
  }
}
