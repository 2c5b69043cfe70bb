package dev.ocrgate.server.stream;

import dev.ocrgate.api.v1.Cue;
import dev.ocrgate.api.v1.FrameResult;
import dev.ocrgate.cues.CueGrouper;
import dev.ocrgate.cues.CueRules;
import dev.ocrgate.cues.CueSpan;
import dev.ocrgate.server.config.StreamingSection;
import java.util.Optional;

/**
 * A stream's {@code emit_cues}: the shared cue rules ({@link CueGrouper}, the same code the client
 * SDK's {@code SubtitleCues} runs, junk lines and one-frame flickers included) with each finished
 * cue as the proto {@link Cue}. A cue is finished by a later frame than its last one (the frame
 * that confirms the next text, or the one past the bridged gap), or at the end of the stream.
 *
 * <p>Not thread-safe: one per stream, used from the stream's serialised context.
 */
final class CueBuilder {
  private final CueGrouper grouper;

  /**
   * @param frameIntervalMs the interval between sampled frames, or 0 to infer it from pts
   */
  CueBuilder(CueRules rules, long frameIntervalMs) {
    this.grouper = new CueGrouper(rules, frameIntervalMs);
  }

  /** The stream's similarity (its own or the default) with the server's other cue settings. */
  static CueBuilder of(StreamPlan plan, StreamingSection settings) {
    CueRules rules = CueRules.builder()
        .similarity(plan.cueSimilarity())
        .confirmFrames(settings.cue_confirm_frames)
        .gapFrames(settings.cue_gap_frames)
        .minConfidence(settings.cue_min_line_confidence)
        .build();
    return new CueBuilder(rules, plan.frameIntervalMs());
  }

  /** Feeds one frame's result (error frames are skipped); returns the cue it finished, if any. */
  Optional<Cue> accept(FrameResult result) {
    return grouper.accept(result).map(CueBuilder::toProto);
  }

  /** Ends the stream: the open cue, if any. */
  Optional<Cue> finish() {
    return grouper.finish().map(CueBuilder::toProto);
  }

  private static Cue toProto(CueSpan s) {
    return Cue.newBuilder()
        .setStartMs(s.startMs())
        .setEndMs(s.endMs())
        .setText(s.text())
        .setFirstSeq(s.firstSeq())
        .setLastSeq(s.lastSeq())
        .setIndex(s.index())
        .build();
  }
}
