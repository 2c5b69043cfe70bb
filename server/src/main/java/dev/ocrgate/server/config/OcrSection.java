package dev.ocrgate.server.config;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * OCR request handling: image limits, the decode memory budget and direction classification.
 * Bound from {@code ocr:}. Queues, batching and sessions come from the model folder's model.yaml
 * ({@code batching}).
 */
public final class OcrSection {
  /** Largest encoded image accepted, bytes. Default 20 MB. */
  @JsonProperty public long max_image_bytes = 20L * 1000 * 1000;
  /** Largest image accepted, pixels (width × height, from the header). Default 40 MP. */
  @JsonProperty public long max_image_pixels = 40L * 1000 * 1000;
  /**
   * Decoded pixel memory all calls together may hold, bytes: each image is charged width × height
   * × its decoder's bytes per pixel (reader raster, RGB copies; about 10 B/px for an RGB PNG) from
   * its header before decoding, and a Recognize call keeps its image's 3 B/px until it is
   * answered (a stream's decoded frames waiting for OCR are bounded by {@code streaming.window}
   * instead). An image costing more than the whole budget waits until it can decode alone.
   * 0 = a quarter of the JVM's maximum heap. Default 0.
   */
  @JsonProperty public long decode_memory_bytes = 0;
  /**
   * Longest a request waits for its share of {@code decode_memory_bytes}, milliseconds (never past
   * the call's deadline); then it is refused with RESOURCE_EXHAUSTED. Default 1000.
   */
  @JsonProperty public long decode_wait_ms = 1000;
  /** Run the direction classifier on every line even when the request does not ask. Default false. */
  @JsonProperty public boolean always_classify_direction = false;

  /** Throws {@link ConfigException} naming the first bad key. */
  public void validate() {
    if (max_image_bytes <= 0) {
      throw new ConfigException("ocr.max_image_bytes must be positive, got " + max_image_bytes);
    }
    if (max_image_pixels <= 0 || max_image_pixels > MAX_PIXELS) {
      throw new ConfigException("ocr.max_image_pixels must be in [1, " + MAX_PIXELS + "], got " + max_image_pixels);
    }
    if (decode_memory_bytes < 0 || decode_memory_bytes > MAX_DECODE_MEMORY) {
      throw new ConfigException("ocr.decode_memory_bytes must be in [0, " + MAX_DECODE_MEMORY
          + "] (0 = a quarter of the maximum heap), got " + decode_memory_bytes);
    }
    if (decode_wait_ms < 0 || decode_wait_ms > 600_000) {
      throw new ConfigException("ocr.decode_wait_ms must be in [0, 600000], got " + decode_wait_ms);
    }
  }

  /** {@code decode_memory_bytes}, with 0 resolved against {@code maxHeapBytes}. */
  public long decodeMemoryBytes(long maxHeapBytes) {
    return decode_memory_bytes > 0 ? decode_memory_bytes : Math.max(1, Math.min(MAX_DECODE_MEMORY, maxHeapBytes / 4));
  }

  /** An RGB image is one Java byte array (width × height × 3). */
  private static final long MAX_PIXELS = (Integer.MAX_VALUE - 8) / 3;
  /** The budget counts KiB in an int. */
  private static final long MAX_DECODE_MEMORY = 1024L * Integer.MAX_VALUE;
}
