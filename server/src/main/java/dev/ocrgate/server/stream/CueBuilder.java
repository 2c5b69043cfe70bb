package dev.ocrgate.server.stream;

import dev.ocrgate.api.v1.Cue;
import dev.ocrgate.api.v1.FrameResult;
import dev.ocrgate.cues.CueGrouper;
import dev.ocrgate.cues.CueSimilarity;
import dev.ocrgate.cues.CueSpan;
import java.util.Optional;

/**
 * A stream's {@code emit_cues}: the shared cue rules ({@link CueGrouper}, the same code the client
 * SDK's {@code SubtitleCues} runs) with each finished cue as the proto {@link Cue}.
 *
 * <p>Not thread-safe: one per stream, used from the stream's serialised context.
 */
final class CueBuilder {
  private final CueGrouper grouper;

  /**
   * @param frameIntervalMs the interval between sampled frames, or 0 to infer it from pts
   */
  CueBuilder(CueSimilarity similarity, long frameIntervalMs) {
    this.grouper = new CueGrouper(similarity, frameIntervalMs);
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
