package dev.ocrgate.bench.subtitles;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ocrgate.api.v1.FrameResult;
import dev.ocrgate.api.v1.TextLine;
import java.util.List;
import org.junit.jupiter.api.Test;

class ChangeAuditTest {
  private static final List<Srt.Cue> TRUTH = List.of(
      new Srt.Cue(500, 1500, "one"), new Srt.Cue(1500, 2485, "two"));

  @Test
  void verify_sampledFrame_showsTheLastSourceFrameBeforeTheMiddleOfItsSlot() {
    // 25 fps source, 5 fps samples: slot n covers [200n - 100, 200n + 100); its last source frame is 200n + 80.
    assertThat(ChangeAudit.sourceTime(0, 200, 25)).isEqualTo(80.0);
    assertThat(ChangeAudit.sourceTime(56, 200, 25)).isEqualTo(11280.0);
  }

  @Test
  void verify_reuseAcrossACueChange_isFalse_andAcrossAnOpenBoundary_isPossible() {
    List<FrameResult> results = List.of(
        read(1), reused(2, 1),  // frames 0, 1 show "" (80 ms), "" (280 ms): fine
        read(3), reused(4, 3),  // 480 ms: "" ; 680 ms: "one" -> false
        read(8), reused(9, 8),  // 1480 ms: "one"; 1680 ms: "two" -> false
        read(12), reused(13, 12)); // 2280 ms: "two"; 2480 ms: within 10 ms of the end -> possible
    ChangeAudit.Row row = ChangeAudit.score("v", results, TRUTH, 200, 25, 0);
    assertThat(row.read()).isEqualTo(4);
    assertThat(row.reused()).isEqualTo(4);
    assertThat(row.falseReuses()).isEqualTo(2);
    assertThat(row.possible()).isEqualTo(1);
  }

  @Test
  void verify_aReadAnsweringThePreviousTextAcrossACueChange_isCounted_andWithinACueIsNot() {
    List<FrameResult> results = List.of(
        read(3, ""), read(4, "one"),         // 480 ms "" -> 680 ms "one": text changed with it
        read(5, "one"), read(6, "one"),     // within "one": same text, fine
        read(8, "one"), read(9, "one"),     // 1480 ms "one" -> 1680 ms "two": same text -> counted
        read(12, "two"), read(13, "two"));  // 2480 ms: boundary within 10 ms -> not sure, not counted
    ChangeAudit.Row row = ChangeAudit.score("v", results, TRUTH, 200, 25, 2);
    assertThat(row.sameText()).isEqualTo(1);
    assertThat(row.verified()).isEqualTo(2);
    assertThat(row.read()).isEqualTo(8);
  }

  private static FrameResult read(long seq, String text) {
    FrameResult.Builder b = FrameResult.newBuilder().setSeq(seq);
    if (!text.isEmpty()) {
      b.addLines(TextLine.newBuilder().setText(text));
    }
    return b.build();
  }

  private static FrameResult read(long seq) {
    return FrameResult.newBuilder().setSeq(seq).build();
  }

  private static FrameResult reused(long seq, long from) {
    return FrameResult.newBuilder().setSeq(seq).setReusedFromSeq(from).build();
  }
}
