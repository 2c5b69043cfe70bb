package dev.ocrgate.client;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.rpc.Status;
import dev.ocrgate.api.v1.FrameResult;
import dev.ocrgate.api.v1.TextLine;
import org.junit.jupiter.api.Test;

class SubtitleCuesTest {
  private long seq;

  private FrameResult frame(long ptsMs, String... lines) {
    FrameResult.Builder b = FrameResult.newBuilder().setSeq(seq++).setPtsMs(ptsMs);
    for (String l : lines) {
      b.addLines(TextLine.newBuilder().setText(l).setConfidence(0.99f));
    }
    return b.build();
  }

  @Test
  void verify_similarFrames_makeOneCue_withTheMostFrequentText() {
    SubtitleCues cues = new SubtitleCues(0.8, 200);
    cues.accept(frame(0));
    cues.accept(frame(200, "Hello world"));
    cues.accept(frame(400, "Hell0 world"));
    cues.accept(frame(600, "Hello world"));
    cues.accept(frame(800));
    cues.accept(frame(1000, "Second line", "two"));
    cues.accept(frame(1200, "Second line", "two"));
    cues.accept(frame(1400, "Completely different"));
    cues.accept(frame(1600, "Completely different"));

    assertThat(cues.finish())
        .containsExactly(
            new SubtitleCue(200, 800, "Hello world"),
            new SubtitleCue(1000, 1400, "Second line\ntwo"),
            new SubtitleCue(1400, 1800, "Completely different"));
  }

  @Test
  void verify_errorFrame_isSkipped_theCueGoesOn() {
    SubtitleCues cues = new SubtitleCues(0.8, 100);
    cues.accept(frame(0, "abc"));
    cues.accept(frame(100, "xyz").toBuilder().setError(Status.newBuilder().setCode(3)).build());
    cues.accept(frame(200, "abc"));

    assertThat(cues.finish()).containsExactly(new SubtitleCue(0, 300, "abc"));
  }

  /** What `ocrgate subtitles` met on an ffmpeg test-pattern video: spaces lost, a stray number. */
  @Test
  void verify_textsComparedNormalised_spacesCaseAndStrayDigitsDoNotSplitACue() {
    SubtitleCues cues = new SubtitleCues(0.8, 200);
    cues.accept(frame(3000, "Second subtitle line"));
    cues.accept(frame(3200, "Second subtitle line"));
    cues.accept(frame(3400, "92", "Secondsubtitleline"));
    cues.accept(frame(3600, "SECOND SUBTITLE LINE."));
    cues.accept(frame(3800, "Second subtitle line"));

    assertThat(cues.finish()).containsExactly(new SubtitleCue(3000, 4000, "Second subtitle line"));
  }

  /** Up to two frames without letters or digits inside a cue are bridged; a third ends it. */
  @Test
  void verify_framesWithoutLettersOrDigits_areBridgedUpToTwo_thenEndTheCue() {
    SubtitleCues cues = new SubtitleCues(0.8, 200);
    cues.accept(frame(0, "Hello"));
    cues.accept(frame(200, "Hello"));
    cues.accept(frame(400, "！"));
    cues.accept(frame(600, " ", "..."));
    cues.accept(frame(800, "Hello"));
    cues.accept(frame(1000));
    cues.accept(frame(1200));
    cues.accept(frame(1400));
    cues.accept(frame(1600, "Hello"));
    cues.accept(frame(1800, "Hello"));

    assertThat(cues.finish()).containsExactly(new SubtitleCue(0, 1000, "Hello"), new SubtitleCue(1600, 2000, "Hello"));
  }

  @Test
  void verify_similarityIsAgainstTheMostFrequentText_notTheFirst() {
    // "Hello worlx" starts the run; once "Hello world" leads, "Hallo world" (0.9 similar to it,
    // 0.8 to the first text) stays in the run.
    SubtitleCues cues = new SubtitleCues(0.9, 100);
    cues.accept(frame(0, "Hello worlx"));
    cues.accept(frame(100, "Hello world"));
    cues.accept(frame(200, "Hello world"));
    cues.accept(frame(300, "Hallo world"));

    assertThat(cues.finish()).containsExactly(new SubtitleCue(0, 400, "Hello world"));
  }

  /** One edit in five letters: a similarity of exactly the default 0.8 keeps the cue. */
  @Test
  void verify_similarityExactlyAtTheThreshold_keepsTheCue() {
    SubtitleCues cues = new SubtitleCues(0.8, 100);
    cues.accept(frame(0, "abcde"));
    cues.accept(frame(100, "abcdx"));

    assertThat(cues.finish()).containsExactly(new SubtitleCue(0, 200, "abcde"));
  }
}
