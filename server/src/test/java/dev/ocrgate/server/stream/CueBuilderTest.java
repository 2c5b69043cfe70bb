package dev.ocrgate.server.stream;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ocrgate.api.v1.Cue;
import dev.ocrgate.api.v1.FrameResult;
import dev.ocrgate.api.v1.StreamConfig;
import dev.ocrgate.api.v1.TextLine;
import dev.ocrgate.server.config.StreamingSection;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The stream's cues: the shared rules (tested in the cues module) reached through the stream's own
 * settings path — the proto's float {@code cue_similarity} or the config's default — and answered
 * as proto {@link Cue}s.
 */
class CueBuilderTest {
  private final List<Cue> cues = new ArrayList<>();

  private void feed(CueBuilder b, String... texts) {
    for (int i = 0; i < texts.length; i++) {
      b.accept(frame(i, i * 500L, texts[i])).ifPresent(cues::add);
    }
    b.finish().ifPresent(cues::add);
  }

  private static FrameResult frame(long seq, long pts, String text) {
    return FrameResult.newBuilder().setSeq(seq).setPtsMs(pts).addLines(TextLine.newBuilder().setText(text).setConfidence(0.99f)).build();
  }

  private static String fmt(Cue c) {
    return c.getIndex() + ":" + c.getStartMs() + "-" + c.getEndMs() + ":" + c.getText()
        + "[" + c.getFirstSeq() + ".." + c.getLastSeq() + "]";
  }

  private static CueBuilder fromPlan(StreamConfig config) {
    return fromPlan(config, new StreamingSection());
  }

  private static CueBuilder fromPlan(StreamConfig config, StreamingSection settings) {
    return CueBuilder.of(StreamPlan.of(config, settings), settings);
  }

  @Test
  void verify_cuesAnsweredAsProto_withIndexSeqsAndTimes() {
    feed(fromPlan(StreamConfig.newBuilder().setEmitCues(true).build()), "Hello", "Hello", "", "World", "World", "World");
    assertThat(cues).extracting(CueBuilderTest::fmt)
        .containsExactly("1:0-1000:Hello[0..1]", "2:1500-3000:World[3..5]");
  }

  /**
   * One edit in five letters is a similarity of exactly 0.8. The proto's float 0.8 (and the config
   * default 0.8f) must mean the same threshold as the SDK's double 0.8: the cue holds.
   */
  @Test
  void verify_similarityExactlyAtTheFloatThreshold_keepsTheCue_asTheSdkDoes() {
    feed(fromPlan(StreamConfig.newBuilder().setEmitCues(true).setCueSimilarity(0.8f).build()), "abcde", "abcdx");
    feed(fromPlan(StreamConfig.newBuilder().setEmitCues(true).build()), "abcde", "abcdx");
    assertThat(cues).extracting(CueBuilderTest::fmt).containsExactly("1:0-1000:abcde[0..1]", "1:0-1000:abcde[0..1]");
  }

  /** The server's cue settings reach the rules: a one-frame text starts a cue only when confirm is 1. */
  @Test
  void verify_confirmFramesFromTheServerConfig_decideWhetherAOneFrameTextIsACue() {
    feed(fromPlan(StreamConfig.newBuilder().setEmitCues(true).build()), "Hello", "Hello", "zz", "", "World", "World");
    StreamingSection eager = new StreamingSection();
    eager.cue_confirm_frames = 1;
    eager.cue_gap_frames = 0;
    feed(fromPlan(StreamConfig.newBuilder().setEmitCues(true).build(), eager), "Hello", "Hello", "zz", "", "World", "World");
    assertThat(cues).extracting(CueBuilderTest::fmt).containsExactly(
        "1:0-1000:Hello[0..1]", "2:2000-3000:World[4..5]",
        "1:0-1000:Hello[0..1]", "2:1000-1500:zz[2..2]", "3:2000-3000:World[4..5]");
  }
}
