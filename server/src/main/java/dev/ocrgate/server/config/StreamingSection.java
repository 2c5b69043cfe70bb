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
   * Default change threshold of FULL-mode streams: frames whose region differs from the last
   * recognised one by less than this (mean absolute difference of a downscaled grayscale copy, in
   * [0, 1]) reuse its result. Default 0.004.
   */
  @JsonProperty public float change_threshold = 0.004f;
  /**
   * Default change threshold of SUBTITLE-mode streams, in [0, 1]: a frame reuses the last
   * recognised frame's result when at most this × region width² of its light-text pixels (light
   * fill next to a dark outline or shadow, the look of burned-in subtitles) changed, so a moving
   * background does not force a new read. Default 0.00003 (49 pixels at 1280 wide, under one
   * glyph of 30 px text at 720p).
   */
  @JsonProperty public float text_change_threshold = 0.00003f;
  /**
   * SUBTITLE mode, frames where neither this frame nor the last recognised one shows light text:
   * false (default, safe) compares the mean colour of every 4×4 block of the region, so dark or
   * pale subtitles are never missed but moving footage between subtitles is read again; true
   * reuses the result, reading fewer frames on moving footage but blind to subtitles that are not
   * light.
   */
  @JsonProperty public boolean reuse_without_light_text = false;
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
    if (!(text_change_threshold >= 0 && text_change_threshold <= 1)) {
      throw new ConfigException("streaming.text_change_threshold must be in [0, 1], got " + text_change_threshold);
    }
    if (!(cue_similarity > 0 && cue_similarity <= 1)) {
      throw new ConfigException("streaming.cue_similarity must be in (0, 1], got " + cue_similarity);
    }
  }
}
