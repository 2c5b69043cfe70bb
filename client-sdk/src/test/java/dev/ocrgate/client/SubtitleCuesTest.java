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
      b.addLines(TextLine.newBuilder().setText(l));
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
    cues.accept(frame(1200, "Completely different"));

    assertThat(cues.finish())
        .containsExactly(
            new SubtitleCue(200, 800, "Hello world"),
            new SubtitleCue(1000, 1200, "Second line\ntwo"),
            new SubtitleCue(1200, 1400, "Completely different"));
  }

  @Test
  void verify_errorFrame_endsTheRun() {
    SubtitleCues cues = new SubtitleCues(0.8, 100);
    cues.accept(frame(0, "abc"));
    cues.accept(frame(100, "abc").toBuilder().setError(Status.newBuilder().setCode(3)).build());
    cues.accept(frame(200, "abc"));

    assertThat(cues.finish()).containsExactly(new SubtitleCue(0, 100, "abc"), new SubtitleCue(200, 300, "abc"));
  }

  @Test
  void verify_editDistance() {
    assertThat(SubtitleCues.editDistance("kitten", "sitting")).isEqualTo(3);
    assertThat(SubtitleCues.editDistance("", "abc")).isEqualTo(3);
    assertThat(SubtitleCues.editDistance("你好", "你好")).isZero();
  }
}
