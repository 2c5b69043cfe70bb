package dev.ocrgate.client;

import dev.ocrgate.api.v1.FrameResult;
import dev.ocrgate.cues.CueGrouper;
import dev.ocrgate.cues.CueRules;
import dev.ocrgate.cues.CueSimilarity;
import dev.ocrgate.cues.CueSpan;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds subtitle cues on the client from a stream's frame results (in order), so a resumed
 * stream yields the same cues as an uninterrupted one. It runs the very code the server runs for
 * {@code StreamConfig.emit_cues} ({@link CueGrouper}), so a backend gets the same subtitles
 * either way.
 *
 * <p>The rules: texts are compared in normalised form (NFKC, lower case, letters and digits only:
 * OCR often drops or adds a space, reads punctuation differently, or picks up a stray number from
 * the picture). A run of consecutive frames whose normalised text is similar to the run's most
 * frequent text (1 − edit distance / longer length ≥ {@code similarity}, compared exactly) is one
 * cue, from the first frame's pts to the last frame's pts plus the frame interval. Its text is
 * the exact text read most often in the run (ties go to the earliest; a frame answered with
 * {@code reused_from_seq} repeats an earlier reading and is not counted again). Junk is kept out:
 * lines read below confidence 0.8 (0.6 for a line at the subtitle's place, of its size), a stray
 * line beside the subtitle's block, a tiny line of six letters or more, a short text off the
 * subtitle's place; a new text starts a cue only after two frames in a row (back-dated to the
 * first), and up to two frames without the cue's text inside it are bridged (see
 * {@link CueRules}, {@code CueGrouper}). A frame the server could not read (error) is skipped.
 *
 * <p>Not thread-safe: feed it from the listener (one call at a time), read it after the end.
 */
public final class SubtitleCues {
  private final CueGrouper grouper;
  private final List<SubtitleCue> cues = new ArrayList<>();

  /**
   * @param similarity in (0, 1]; 0.8 is a good default (the server's default too)
   * @param frameIntervalMs time between sampled frames, ms, > 0
   */
  public SubtitleCues(double similarity, long frameIntervalMs) {
    this(CueRules.builder().similarity(CueSimilarity.of(similarity)).build(), frameIntervalMs);
  }

  /**
   * @param rules the cue rules ({@link CueRules#defaults()}: the server's defaults too)
   * @param frameIntervalMs time between sampled frames, ms, > 0
   */
  public SubtitleCues(CueRules rules, long frameIntervalMs) {
    if (frameIntervalMs <= 0) {
      throw new IllegalArgumentException("frameIntervalMs must be > 0, was " + frameIntervalMs);
    }
    this.grouper = new CueGrouper(rules, frameIntervalMs);
  }

  /** Adds the next frame's result. */
  public void accept(FrameResult result) {
    grouper.accept(result).map(SubtitleCues::cue).ifPresent(cues::add);
  }

  /** Closes the last cue and returns every cue, in order. */
  public List<SubtitleCue> finish() {
    grouper.finish().map(SubtitleCues::cue).ifPresent(cues::add);
    return List.copyOf(cues);
  }

  private static SubtitleCue cue(CueSpan s) {
    return new SubtitleCue(s.startMs(), s.endMs(), s.text());
  }
}
