package dev.ocrgate.cues;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.rpc.Status;
import dev.ocrgate.api.v1.FrameResult;
import dev.ocrgate.api.v1.TextLine;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CueGrouperTest {
  private final List<CueSpan> cues = new ArrayList<>();

  private void feed(CueGrouper g, String... texts) {
    for (int i = 0; i < texts.length; i++) {
      g.accept(i, i * 500L, texts[i]).ifPresent(cues::add);
    }
    g.finish().ifPresent(cues::add);
  }

  private static String fmt(CueSpan c) {
    return c.index() + ":" + c.startMs() + "-" + c.endMs() + ":" + c.text() + "[" + c.firstSeq() + ".." + c.lastSeq() + "]";
  }

  private static CueGrouper grouper(double similarity, long intervalMs) {
    return new CueGrouper(CueSimilarity.of(similarity), intervalMs);
  }

  @Test
  void verify_runsOfSameText_becomeCues_endingOneIntervalAfterLastFrame() {
    feed(grouper(0.8, 0), "Hello", "Hello", "", "World", "World", "World");
    assertThat(cues).extracting(CueGrouperTest::fmt)
        .containsExactly("1:0-1000:Hello[0..1]", "2:1500-3000:World[3..5]");
  }

  @Test
  void verify_emptyFrames_startNoCue() {
    feed(grouper(0.8, 0), "", "", "");
    assertThat(cues).isEmpty();
  }

  @Test
  void verify_ocrNoise_staysInOneCue_withTheMostFrequentText() {
    feed(grouper(0.8, 0), "The quick brown fox", "The quick brovvn fox", "The quick brown fox", "the quick brown fox.");
    assertThat(cues).extracting(CueGrouperTest::fmt).containsExactly("1:0-2000:The quick brown fox[0..3]");
  }

  @Test
  void verify_textChange_endsCue_andStartsNext() {
    feed(grouper(0.8, 0), "first line", "second line");
    assertThat(cues).extracting(CueGrouperTest::fmt)
        .containsExactly("1:0-500:first line[0..0]", "2:500-1000:second line[1..1]");
  }

  @Test
  void verify_configuredInterval_closesCue() {
    feed(grouper(0.8, 40), "only");
    assertThat(cues).extracting(CueGrouperTest::fmt).containsExactly("1:0-40:only[0..0]");
  }

  @Test
  void verify_punctuationOnlyFrame_endsTheRun_andStartsNone() {
    feed(grouper(0.8, 0), "Hello", "！", " ...", "Hello");
    assertThat(cues).extracting(CueGrouperTest::fmt).containsExactly("1:0-500:Hello[0..0]", "2:1500-2000:Hello[3..3]");
  }

  @Test
  void verify_errorFrame_isSkipped_andBlankLinesLeftOut() {
    CueGrouper g = grouper(0.8, 100);
    g.accept(frame(0, 0, "abc", "  ")).ifPresent(cues::add);
    g.accept(frame(1, 100, "xyz").toBuilder().setError(Status.newBuilder().setCode(3)).build()).ifPresent(cues::add);
    g.accept(frame(2, 200, " abc ")).ifPresent(cues::add);
    g.finish().ifPresent(cues::add);
    assertThat(cues).extracting(CueGrouperTest::fmt).containsExactly("1:0-300:abc[0..2]");
  }

  /** One edit in five letters is a similarity of exactly 0.8: at the threshold the cue holds. */
  @Test
  void verify_similarityExactlyAtTheThreshold_keepsTheCue_forFloatAndDoubleThresholds() {
    for (CueSimilarity threshold : List.of(CueSimilarity.of(0.8), CueSimilarity.of(0.8f))) {
      cues.clear();
      feed(new CueGrouper(threshold, 0), "abcde", "abcdx");
      assertThat(cues).as("threshold %s", threshold).extracting(CueGrouperTest::fmt).containsExactly("1:0-1000:abcde[0..1]");
    }
  }

  private static FrameResult frame(long seq, long pts, String... lines) {
    FrameResult.Builder b = FrameResult.newBuilder().setSeq(seq).setPtsMs(pts);
    for (String l : lines) {
      b.addLines(TextLine.newBuilder().setText(l));
    }
    return b.build();
  }
}
