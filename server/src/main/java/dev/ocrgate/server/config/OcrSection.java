package dev.ocrgate.server.config;

import com.fasterxml.jackson.annotation.JsonProperty;

/** OCR request handling: image limits and the pipeline's executor. Bound from {@code ocr:}. */
public final class OcrSection {
  /** Largest encoded image accepted, bytes. Default 20 MB. */
  @JsonProperty public long max_image_bytes = 20L * 1000 * 1000;
  /** Largest image accepted, pixels (width × height, from the header). Default 40 MP. */
  @JsonProperty public long max_image_pixels = 40L * 1000 * 1000;
  /**
   * Threads of the unbatched {@code OnnxOcrPipeline} (tests and tools only). Not used by the
   * server: its queues and sessions come from model.yaml {@code batching}. Default 1.
   */
  @JsonProperty public int workers = 1;
  /**
   * Queue of the unbatched {@code OnnxOcrPipeline} (tests and tools only). Not used by the
   * server: see model.yaml {@code batching.*.queue_capacity}. Default 64.
   */
  @JsonProperty public int max_queued_requests = 64;
  /** Run the direction classifier on every line even when the request does not ask. Default false. */
  @JsonProperty public boolean always_classify_direction = false;
}
