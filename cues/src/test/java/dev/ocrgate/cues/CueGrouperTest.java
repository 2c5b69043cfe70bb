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
  void verify_textChange_endsCue_andStartsNext_atItsFirstFrame() {
    feed(grouper(0.8, 0), "first line", "first line", "first line", "second line", "second line");
    assertThat(cues).extracting(CueGrouperTest::fmt)
        .containsExactly("1:0-1500:first line[0..2]", "2:1500-2500:second line[3..4]");
  }

  @Test
  void verify_configuredInterval_closesCue() {
    feed(grouper(0.8, 40), "only", "only");
    assertThat(cues).extracting(CueGrouperTest::fmt).containsExactly("1:0-540:only[0..1]");
  }

  @Test
  void verify_punctuationOnlyFrames_areGaps_bridgedUpToTwo_aThirdEndsTheCue() {
    feed(grouper(0.8, 0), "Hello", "Hello", "！", " ...", "Hello", "", "...", "", "Hello", "Hello");
    assertThat(cues).extracting(CueGrouperTest::fmt).containsExactly("1:0-2500:Hello[0..4]", "2:4000-5000:Hello[8..9]");
  }

  /** Item 3 of issue 13: a misread frame, or one frame of something else, must not split a cue. */
  @Test
  void verify_oneFrameMisread_insideACue_doesNotSplitIt() {
    feed(grouper(0.8, 0), "The storm is coming", "The storm is coming", "Tho stnrrn ix cunning tonite",
        "The storm is coming", "The storm is coming");
    assertThat(cues).extracting(CueGrouperTest::fmt).containsExactly("1:0-2500:The storm is coming[0..4]");
  }

  /** Two different one-frame flickers in a row are bridged too (gap 2); neither is a cue. */
  @Test
  void verify_twoDifferentFlickers_inARow_areBridged_andStartNoCue() {
    feed(grouper(0.8, 0), "Good morning", "Good morning", "53", "UOU", "Good morning", "Good morning");
    assertThat(cues).extracting(CueGrouperTest::fmt).containsExactly("1:0-3000:Good morning[0..5]");
  }

  /** A text seen on one frame only (a misread, a flicker of junk) starts no cue, even at the end. */
  @Test
  void verify_textOnOneFrameOnly_startsNoCue() {
    feed(grouper(0.8, 0), "", "JLUN", "", "", "53", "", "last frame only");
    assertThat(cues).isEmpty();
  }

  /** The rules can be turned back to "every text at once, no bridge" (confirm 1, gap 0). */
  @Test
  void verify_confirmOneGapZero_everyTextIsACueAtOnce() {
    CueRules eager = CueRules.builder().confirmFrames(1).gapFrames(0).build();
    feed(new CueGrouper(eager, 0), "Hello", "", "zz", "Hello");
    assertThat(cues).extracting(CueGrouperTest::fmt)
        .containsExactly("1:0-500:Hello[0..0]", "2:1000-1500:zz[2..2]", "3:1500-2000:Hello[3..3]");
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

  /** Lines with the geometry and confidence of real ones (fractions of an 854x480 frame). */
  private static CueLine line(String text, double confidence, double centerY, double height, double centerX, double width) {
    float w = 854, h = 480;
    return new CueLine(text, (float) confidence, (float) ((centerX - width / 2) * w), (float) ((centerY - height / 2) * h),
        (float) ((centerX + width / 2) * w), (float) ((centerY + height / 2) * h));
  }

  private static final CueLine TOP = line("如果一个软件包的", 1.00, 0.880, 0.052, 0.499, 0.180);
  private static final CueLine BOTTOM = line("能升级，关闭了软件包降级功能", 0.99, 0.935, 0.054, 0.501, 0.314);

  /**
   * Junk read by the server on the tune part's testsrc2 video (sub-07, 854x480, two-line Chinese
   * subtitle): its counters and marks beside and between subtitles. They must not enter the cue's
   * text, split it, or make cues of their own.
   */
  @Test
  void verify_testPatternJunk_beside_between_andWithoutSubtitles_makesNoCueAndSplitsNone() {
    List<List<CueLine>> frames = List.of(
        List.of(line("6", 0.52, 0.811, 0.023, 0.710, 0.013), TOP, BOTTOM),
        List.of(line("+", 0.86, 0.761, 0.331, 0.253, 0.180), line("5", 0.79, 0.778, 0.027, 0.803, 0.020), TOP, BOTTOM),
        List.of(line("854", 0.67, 0.814, 0.027, 0.785, 0.022), TOP, BOTTOM),
        List.of(line("51", 0.92, 0.811, 0.035, 0.709, 0.029)), // the subtitle missed, a counter read well
        List.of(line("187", 0.60, 0.745, 0.027, 0.635, 0.015), line("2.", 0.98, 0.813, 0.021, 0.823, 0.013),
            line("83", 0.52, 0.846, 0.029, 0.655, 0.021), TOP, BOTTOM),
        List.of(TOP, BOTTOM),
        List.of(line("391", 0.59, 0.811, 0.035, 0.636, 0.021), TOP, BOTTOM),
        List.of(TOP, BOTTOM),
        List.of(),
        List.of(line("- ", 0.72, 0.641, 0.023, 0.728, 0.018)),
        List.of(line("29", 0.79, 0.845, 0.027, 0.694, 0.018)),
        List.of(),
        List.of(line("+", 0.91, 0.759, 0.331, 0.252, 0.179)),
        List.of(line("2", 0.68, 0.810, 0.029, 0.711, 0.023)),
        List.of(line("+", 0.97, 0.750, 0.375, 0.249, 0.187)),
        List.of(line("51", 0.92, 0.811, 0.035, 0.709, 0.029)),
        List.of(line("52", 0.93, 0.811, 0.035, 0.709, 0.029)),
        List.of(line("KS", 0.58, 0.677, 0.033, 0.636, 0.020), line("品", 0.85, 0.743, 0.019, 0.676, 0.015)),
        List.of(line("580", 0.84, 0.844, 0.021, 0.690, 0.022), line("55", 0.81, 0.811, 0.029, 0.803, 0.016)),
        List.of(line("580", 0.84, 0.844, 0.021, 0.690, 0.022)));
    CueGrouper g = grouper(0.8, 200);
    for (int i = 0; i < frames.size(); i++) {
      g.accept(i, i * 200L, frames.get(i)).ifPresent(cues::add);
    }
    g.finish().ifPresent(cues::add);
    assertThat(cues).extracting(CueGrouperTest::fmt)
        .containsExactly("1:0-1600:如果一个软件包的\n能升级，关闭了软件包降级功能[0..7]");
  }

  /** Without the junk rules (text only, confirm 1, gap 0) the same frames give junk cues and a split. */
  @Test
  void verify_withoutTheJunkRules_theSameJunk_wouldMakeCues() {
    CueGrouper g = new CueGrouper(CueRules.builder().confirmFrames(1).gapFrames(0).minConfidence(0).build(), 200);
    List<String> texts = List.of("如果一个软件包的\n能升级", "51", "如果一个软件包的\n能升级", "", "580\n55", "580");
    for (int i = 0; i < texts.size(); i++) {
      g.accept(i, i * 200L, texts.get(i)).ifPresent(cues::add);
    }
    g.finish().ifPresent(cues::add);
    assertThat(cues).extracting(CueSpan::text)
        .containsExactly("如果一个软件包的\n能升级", "51", "如果一个软件包的\n能升级", "580\n55", "580");
  }

  /**
   * A two-line subtitle of a portrait video (720x1280) whose upper line the detector cut in two:
   * the cue's text has the subtitle's two lines, not three.
   */
  @Test
  void verify_aLineCutIntoTwoBoxes_isOneLineOfTheCue() {
    List<CueLine> frame = List.of(
        new CueLine("Nobody", 0.97f, 190, 916, 318, 956),
        new CueLine("knows", 0.99f, 300, 917, 530, 955),
        new CueLine("where he went", 0.99f, 188, 962, 533, 1002));
    CueGrouper g = grouper(0.8, 200);
    for (int seq = 0; seq < 6; seq++) {
      g.accept(seq, seq * 200L, frame).ifPresent(cues::add);
    }
    g.finish().ifPresent(cues::add);
    assertThat(cues).extracting(CueGrouperTest::fmt).containsExactly("1:0-1200:Nobody knows\nwhere he went[0..5]");
  }

  @Test
  void verify_cueText_isTheMostFrequentReading_reusedFramesAddNoVote() {
    // Frames 1, 2 read spaced text; frame 3 misreads it without spaces and frames 4..9 reuse
    // frame 3's reading (the subtitle did not change); frames 10, 11 are read again.
    CueGrouper g = grouper(0.8, 200);
    String spaced = "requirement to continue to provide";
    String glued = "requirementtocontinuetoprovide";
    for (int seq = 1; seq <= 11; seq++) {
      String text = seq <= 2 || seq >= 10 ? spaced : glued;
      FrameResult f = frame(seq, seq * 200L, text);
      if (seq >= 4 && seq <= 9) {
        f = f.toBuilder().setReusedFromSeq(3).build();
      }
      g.accept(f).ifPresent(cues::add);
    }
    g.finish().ifPresent(cues::add);
    assertThat(cues).extracting(CueGrouperTest::fmt).containsExactly("1:200-2400:" + spaced + "[1..11]");
  }

  @Test
  void verify_aCueWhoseFirstFrameIsReused_stillHasItsText() {
    CueGrouper g = grouper(0.8, 200);
    for (int seq = 1; seq <= 3; seq++) {
      g.accept(frame(seq, seq * 200L, "Hello there").toBuilder().setReusedFromSeq(seq == 1 ? 0 : 1).build())
          .ifPresent(cues::add);
    }
    g.accept(frame(4, 800, "Good bye").toBuilder().setReusedFromSeq(1).build()).ifPresent(cues::add);
    g.accept(frame(5, 1000, "Good bye").toBuilder().setReusedFromSeq(1).build()).ifPresent(cues::add);
    g.finish().ifPresent(cues::add);
    assertThat(cues).extracting(CueSpan::text).containsExactly("Hello there", "Good bye");
  }

  private static FrameResult frame(long seq, long pts, String... lines) {
    FrameResult.Builder b = FrameResult.newBuilder().setSeq(seq).setPtsMs(pts);
    for (String l : lines) {
      b.addLines(TextLine.newBuilder().setText(l).setConfidence(0.99f));
    }
    return b.build();
  }
}
