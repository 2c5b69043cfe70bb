package dev.ocrgate.server.config;

import com.fasterxml.jackson.annotation.JsonProperty;

/** StreamFrames defaults and limits (the {@code streaming:} section). */
public final class StreamingSection {
  /**
   * Frames a stream may have accepted but not yet answered. The server reads another frame only
   * when one is answered (HTTP/2 flow control slows a faster client), so per-stream memory is
   * bounded by this many frames. Default 8.
   */
  @JsonProperty public int window = 8;
  /**
   * Default change threshold: frames whose region differs from the last recognised one by less
   * than this (mean absolute difference of a downscaled grayscale copy, in [0, 1]) reuse its
   * result. Default 0.004.
   */
  @JsonProperty public float change_threshold = 0.004f;
  /** Default similarity for two frames' texts to belong to one cue, in (0, 1]. Default 0.8. */
  @JsonProperty public float cue_similarity = 0.8f;

  /** Throws {@link ConfigException} naming the first bad key. */
  public void validate() {
    if (window < 1 || window > 1024) {
      throw new ConfigException("streaming.window must be in [1, 1024], got " + window);
    }
    if (!(change_threshold >= 0 && change_threshold <= 1)) {
      throw new ConfigException("streaming.change_threshold must be in [0, 1], got " + change_threshold);
    }
    if (!(cue_similarity > 0 && cue_similarity <= 1)) {
      throw new ConfigException("streaming.cue_similarity must be in (0, 1], got " + cue_similarity);
    }
  }
}
