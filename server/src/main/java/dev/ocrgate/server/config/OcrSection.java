package dev.ocrgate.server.config;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * OCR request handling: image limits and direction classification. Bound from {@code ocr:}.
 * Queues, batching and sessions come from the model folder's model.yaml ({@code batching}).
 */
public final class OcrSection {
  /** Largest encoded image accepted, bytes. Default 20 MB. */
  @JsonProperty public long max_image_bytes = 20L * 1000 * 1000;
  /** Largest image accepted, pixels (width × height, from the header). Default 40 MP. */
  @JsonProperty public long max_image_pixels = 40L * 1000 * 1000;
  /** Run the direction classifier on every line even when the request does not ask. Default false. */
  @JsonProperty public boolean always_classify_direction = false;
}
