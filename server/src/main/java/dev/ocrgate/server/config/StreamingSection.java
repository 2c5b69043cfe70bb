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
  /**
   * Cues (emit_cues): frames a new text must show in a row before it starts a cue (the cue is
   * back-dated to the first of them), so a one-frame misread or flicker of junk starts none; a
   * text shown for fewer frames is lost. In [1, 25]; 1 = every text at once. Default 2 (the SDK's
   * SubtitleCues default too).
   */
  @JsonProperty public int cue_confirm_frames = 2;
  /**
   * Cues (emit_cues): frames in a row without a cue's text (empty, misread, junk) that are bridged
   * when its text returns, instead of splitting the cue. In [0, 25]; 0 = none. Default 2.
   */
  @JsonProperty public int cue_gap_frames = 2;
  /**
   * Cues (emit_cues): lines read with a lower confidence are not subtitle text for the cue rules
   * (they still appear in the frame results). In [0, 1]; 0 = keep all. Default 0.8 (subtitles
   * read at 0.92–1.0 on the subtitle bench, texture and counters mostly at 0.5–0.9).
   */
  @JsonProperty public float cue_min_line_confidence = 0.8f;

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
    if (cue_confirm_frames < 1 || cue_confirm_frames > 25) {
      throw new ConfigException("streaming.cue_confirm_frames must be in [1, 25], got " + cue_confirm_frames);
    }
    if (cue_gap_frames < 0 || cue_gap_frames > 25) {
      throw new ConfigException("streaming.cue_gap_frames must be in [0, 25], got " + cue_gap_frames);
    }
    if (!(cue_min_line_confidence >= 0 && cue_min_line_confidence <= 1)) {
      throw new ConfigException("streaming.cue_min_line_confidence must be in [0, 1], got " + cue_min_line_confidence);
    }
  }
}
