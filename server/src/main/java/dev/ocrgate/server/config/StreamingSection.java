package dev.ocrgate.server.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.ocrgate.server.vision.DetResize;
import java.util.List;

/** StreamFrames defaults and limits (the {@code streaming:} section). */
public final class StreamingSection {
  /**
   * Frames a stream may have accepted but not yet answered. The server reads another frame only
   * when one is answered and the streams' share of the OCR queue ({@code queue_share}) has room
   * (HTTP/2 flow control slows a faster client), so per-stream memory is bounded by this many
   * frames. Default 8.
   */
  @JsonProperty public int window = 8;
  /**
   * Share of the OCR pipeline's queue that the frames of all streams together may hold, in
   * (0, 1]: the queue is the detection batcher's {@code queue_capacity} (model.yaml; 256 on CPU)
   * or, for a remote engine, {@code max_in_flight + max_queued}. A stream requests its next frame
   * only when a place is free (HTTP/2 flow control holds its client back meanwhile), so streams
   * slow down under overload instead of having frames refused; places go round-robin between
   * waiting streams. The rest of the queue is kept for Recognize calls, which cannot be held back
   * and are refused RESOURCE_EXHAUSTED when the queue is full. 1 lets streams fill the whole
   * queue (a Recognize call may then find no room). Default 0.75 (192 of 256).
   */
  @JsonProperty public float queue_share = 0.75f;
  /**
   * Default change threshold of FULL-mode streams: frames whose region differs from the last
   * recognised one by less than this (mean absolute difference of a downscaled grayscale copy, in
   * [0, 1]) reuse its result. Default 0.004.
   */
  @JsonProperty public float change_threshold = 0.004f;
  /**
   * Default change threshold of SUBTITLE-mode streams, in [0, 1]: a frame reuses the last
   * recognised frame's result when at most this × region width² of its light-text pixels (light
   * fill enclosed by a dark outline or shadow, the look of burned-in subtitles) changed, so a moving
   * background does not force a new read, and at most 0.15 × that many in any 16×16 block (a
   * changed letter's pixels lie together: h → n, l → i change fewer than the whole limit), and
   * both frames show light text (more such pixels than the limit) or neither does: light text
   * appearing or vanishing is a change even where its fill barely differs from a bright
   * background. Default 0.00003 (49 pixels at 1280 wide, under one glyph of 30 px text at 720p; 7
   * in one block).
   */
  @JsonProperty public float text_change_threshold = 0.00003f;
  /**
   * SUBTITLE mode, frames between subtitles (neither this frame nor the last recognised one shows
   * light text, so the text rule has nothing to compare): {@code read} compares the mean colour of
   * every 4×4 block of the region, so dark or pale subtitles are never missed but moving footage
   * between subtitles is read again; {@code learn} (default) reuses such frames once the stream's
   * last two recognised frames that answered lines showed light text (a read that answers lines
   * without light text, e.g. a dark subtitle, turns it back to {@code read}), and still reads one
   * every {@code gap_reread_ms} of video time, so a subtitle that is not light is found within that
   * delay; {@code reuse} always reuses them (blind to subtitles that are not light).
   */
  @JsonProperty public String gap_frames = "learn";
  /**
   * With {@code gap_frames: learn}: a frame between subtitles is read when its pts is this many
   * milliseconds or more past the last recognised frame's (or not past it at all), so a subtitle
   * that is not light shows up at most this late. In [1, 60000]. Default 1000.
   */
  @JsonProperty public long gap_reread_ms = 1000;
  /**
   * SUBTITLE mode: a frame the text rule finds changed while the last recognised frame answered
   * lines is first checked by reading those lines again at their boxes (recognition only, no
   * detection), once that frame's answer is known; when every line reads the same text and no
   * thick-stroke text appeared outside the boxes, that reading is the frame's answer, else the
   * frame is recognised (detection and recognition). Cuts the cost of footage whose texture
   * defeats the pixel rule. Such frames count as {@code verified} in
   * {@code ocrgate_stream_frames_total}. When the last recognised frame answered no lines (between
   * subtitles), the check is that neither frame shows thick-stroke text in the region, trusted
   * only when the stream's latest answered lines showed thick strokes (5 pixels per letter or
   * digit), and never when the frame shows light text while that last frame showed none; such a
   * frame repeats that empty answer ({@code reused_from_seq}, counted
   * {@code reused}) without any OCR. Frames are checked so only while their pts is less than this
   * many milliseconds past the last frame sent to detection, so a subtitle's text is also
   * taken from fresh detections at least this often (a reading that one box gets wrong would
   * otherwise repeat for the whole subtitle). 0 turns it off; in [0, 60000]. Needs a local
   * pipeline (ignored with an upstream). Default 1000.
   */
  @JsonProperty public long reread_lines_ms = 1000;
  /**
   * SUBTITLE mode: an answer without subtitle text (no line of two letters or digits or more) from
   * a frame that showed light text is read a second time, by the first frame that would reuse it;
   * that read shows the detector the area enlarged by this factor, within the model's {@code
   * max_side_len}. PP-OCRv4's detector gives no box, or a box round one letter, for a one- or
   * two-letter word beside busy texture at its own size (`in` at 60 px, `If` at 30 px) and finds
   * it at 1.5-2x. Costs one larger detection per such second read. In [1, 4]; 1 = the second read
   * sees what the first saw. Default 2.
   */
  @JsonProperty public double empty_retry_scale = 2;
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
   * (they still appear in the frame results), unless they reach 0.75 of it and stand at the
   * subtitles' place with their size, as short words the recogniser is unsure of do. In [0, 1];
   * 0 = keep all. Default 0.8 (subtitles read at 0.92–1.0 on the subtitle bench, texture and
   * counters mostly at 0.5–0.9).
   */
  @JsonProperty public float cue_min_line_confidence = 0.8f;

  /**
   * How a SUBTITLE stream that names no region finds its subtitle band (see
   * docs/architecture.md, "Automatic subtitle region").
   */
  @JsonProperty public SubtitleRegion subtitle_region = new SubtitleRegion();

  /** The automatic subtitle region (the {@code streaming.subtitle_region:} section). */
  public static final class SubtitleRegion {
    /**
     * Find the subtitle band in SUBTITLE streams that name no region. Default true; false reads
     * the fixed bottom quarter of every frame (and answers every line in it). An explicit region
     * always wins.
     */
    @JsonProperty public boolean enabled = true;
    /**
     * Top of the search area, fraction of the frame height: until the band is found (and again
     * after a re-search) frames are read from here to the bottom, full width. Default 0.4.
     */
    @JsonProperty public float search_top = 0.4f;
    /**
     * Width of the central strip, fraction of the frame width, that a subtitle line must reach
     * into, or be stacked on a line that does (the short second line of a left-aligned dialogue),
     * or start or end at the edge the stream's subtitles are aligned to (a short left-aligned
     * line); other text entirely left or right of it (corner logos, clocks, watermarks) is not
     * answered. Default 0.2.
     */
    @JsonProperty public float center_strip = 0.2f;
    /** Lowest subtitle line (detected box) height, fraction of the frame height. Default 0.02. */
    @JsonProperty public float min_line_height = 0.02f;
    /** Highest subtitle line (detected box) height, fraction of the frame height. Default 0.25. */
    @JsonProperty public float max_line_height = 0.25f;
    /**
     * Answered frames with subtitle lines at one height before the band is locked there.
     * Default 3.
     */
    @JsonProperty public int lock_frames = 3;
    /**
     * Search again after this much video time (pts) without a subtitle line in the band,
     * milliseconds; 0 = never. Default 10000.
     */
    @JsonProperty public long research_after_ms = 10_000;
    /**
     * Detection input of the automatic region, in pixels of the detector's input: the line height
     * the region expects (while searching: {@code min_line_height}; once locked: the lowest line
     * of its zone) is scaled to this many pixels, never larger than the model's own resize
     * (model.yaml {@code limit_side_len}); recognition still reads the full-resolution lines. Cuts
     * detection, the largest OCR cost of a subtitle frame, on large text. 0 = off (the model's
     * resize); else in [8, 256]. An explicit region keeps the model's resize. Default 48: 32
     * (the earlier default) lost one-word subtitles over coarse texture, which 48 and the model's
     * own size find, and 24 and 16 broke lines into pieces (bench/results/subtitle-speed.md,
     * rounds 4 and 7); at 720p 48 still shrinks lines whose boxes are taller than 64 px.
     */
    @JsonProperty public int detection_line_height = 48;

    void validate() {
      fraction("search_top", search_top, 0, 0.9f);
      fraction("center_strip", center_strip, 0.01f, 1);
      fraction("min_line_height", min_line_height, 0.001f, 1);
      fraction("max_line_height", max_line_height, min_line_height, 1);
      if (lock_frames < 1 || lock_frames > 100) {
        throw new ConfigException("streaming.subtitle_region.lock_frames must be in [1, 100], got " + lock_frames);
      }
      if (detection_line_height != 0 && (detection_line_height < 8 || detection_line_height > 256)) {
        throw new ConfigException("streaming.subtitle_region.detection_line_height must be 0 or in [8, 256], got "
            + detection_line_height);
      }
      if (research_after_ms < 0) {
        throw new ConfigException(
            "streaming.subtitle_region.research_after_ms must be >= 0, got " + research_after_ms);
      }
    }

    private static void fraction(String key, float value, float min, float max) {
      if (!(value >= min && value <= max)) {
        throw new ConfigException("streaming.subtitle_region." + key + " must be in [" + min + ", " + max
            + "], got " + value);
      }
    }
  }

  /**
   * Frames of all streams together that may be in flight against a pipeline queue of
   * {@code queueCapacity} places: {@code floor(queue_share × queueCapacity)}, at least 1.
   */
  public int framesInFlight(int queueCapacity) {
    return Math.max(1, (int) Math.floor((double) queue_share * queueCapacity));
  }

  /** Throws {@link ConfigException} naming the first bad key. */
  public void validate() {
    if (window < 1 || window > 1024) {
      throw new ConfigException("streaming.window must be in [1, 1024], got " + window);
    }
    if (!(queue_share > 0 && queue_share <= 1)) {
      throw new ConfigException("streaming.queue_share must be in (0, 1], got " + queue_share);
    }
    if (!(change_threshold >= 0 && change_threshold <= 1)) {
      throw new ConfigException("streaming.change_threshold must be in [0, 1], got " + change_threshold);
    }
    if (!(text_change_threshold >= 0 && text_change_threshold <= 1)) {
      throw new ConfigException("streaming.text_change_threshold must be in [0, 1], got " + text_change_threshold);
    }
    if (gap_frames == null || !List.of("read", "learn", "reuse").contains(gap_frames)) {
      throw new ConfigException("streaming.gap_frames must be read, learn or reuse, got " + gap_frames);
    }
    if (!(empty_retry_scale >= 1 && empty_retry_scale <= DetResize.MAX_ENLARGEMENT)) {
      throw new ConfigException("streaming.empty_retry_scale must be in [1, " + DetResize.MAX_ENLARGEMENT + "], got "
          + empty_retry_scale);
    }
    if (reread_lines_ms < 0 || reread_lines_ms > 60_000) {
      throw new ConfigException("streaming.reread_lines_ms must be in [0, 60000], got " + reread_lines_ms);
    }
    if (gap_reread_ms < 1 || gap_reread_ms > 60_000) {
      throw new ConfigException("streaming.gap_reread_ms must be in [1, 60000], got " + gap_reread_ms);
    }
    if (!(cue_similarity > 0 && cue_similarity <= 1)) {
      throw new ConfigException("streaming.cue_similarity must be in (0, 1], got " + cue_similarity);
    }
    if (subtitle_region == null) {
      throw new ConfigException("streaming.subtitle_region must be a section");
    }
    subtitle_region.validate();
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
