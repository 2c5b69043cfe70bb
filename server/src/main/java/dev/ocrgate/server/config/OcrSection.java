package dev.ocrgate.server.config;

import com.fasterxml.jackson.annotation.JsonProperty;

/** OCR request handling: image limits and the pipeline's executor. Bound from {@code ocr:}. */
public final class OcrSection {
  /** Largest encoded image accepted, bytes. Default 20 MB. */
  @JsonProperty public long max_image_bytes = 20L * 1000 * 1000;
  /** Largest image accepted, pixels (width × height, from the header). Default 40 MP. */
  @JsonProperty public long max_image_pixels = 40L * 1000 * 1000;
  /** Threads running OCR requests. Default 1 (each inference already uses the cores). */
  @JsonProperty public int workers = 1;
  /** Requests that may wait for a worker; more is RESOURCE_EXHAUSTED. Default 64. */
  @JsonProperty public int max_queued_requests = 64;
  /** Run the direction classifier on every line even when the request does not ask. Default false. */
  @JsonProperty public boolean always_classify_direction = false;
}
