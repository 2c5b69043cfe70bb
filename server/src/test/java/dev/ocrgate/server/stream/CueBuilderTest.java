package dev.ocrgate.server.stream;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ocrgate.api.v1.Cue;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CueBuilderTest {
  private final List<Cue> cues = new ArrayList<>();

  private void feed(CueBuilder b, String... texts) {
    for (int i = 0; i < texts.length; i++) {
      b.accept(i, i * 500L, texts[i]).ifPresent(cues::add);
    }
    b.finish().ifPresent(cues::add);
  }

  private static String fmt(Cue c) {
    return c.getIndex() + ":" + c.getStartMs() + "-" + c.getEndMs() + ":" + c.getText()
        + "[" + c.getFirstSeq() + ".." + c.getLastSeq() + "]";
  }

  @Test
  void verify_runsOfSameText_becomeCues_endingOneIntervalAfterLastFrame() {
    feed(new CueBuilder(0.8, 0), "Hello", "Hello", "", "World", "World", "World");
    assertThat(cues).extracting(CueBuilderTest::fmt)
        .containsExactly("1:0-1000:Hello[0..1]", "2:1500-3000:World[3..5]");
  }

  @Test
  void verify_emptyFrames_startNoCue() {
    feed(new CueBuilder(0.8, 0), "", "", "");
    assertThat(cues).isEmpty();
  }

  @Test
  void verify_ocrNoise_staysInOneCue_withTheMostFrequentText() {
    feed(new CueBuilder(0.8, 0),
        "The quick brown fox", "The quick brovvn fox", "The quick brown fox", "the quick brown fox.");
    assertThat(cues).extracting(CueBuilderTest::fmt)
        .containsExactly("1:0-2000:The quick brown fox[0..3]");
  }

  @Test
  void verify_textChange_endsCue_andStartsNext() {
    feed(new CueBuilder(0.8, 0), "first line", "second line");
    assertThat(cues).extracting(CueBuilderTest::fmt)
        .containsExactly("1:0-500:first line[0..0]", "2:500-1000:second line[1..1]");
  }

  @Test
  void verify_configuredInterval_closesCue() {
    feed(new CueBuilder(0.8, 40), "only");
    assertThat(cues).extracting(CueBuilderTest::fmt).containsExactly("1:0-40:only[0..0]");
  }

  @Test
  void verify_similarity_normalisesCaseSpaceAndPunctuation() {
    assertThat(TextSimilarity.similarity("Hello, World!", "hello world")).isEqualTo(1.0);
    assertThat(TextSimilarity.similarity("abcd", "abce")).isEqualTo(0.75);
    assertThat(TextSimilarity.similarity("", "")).isEqualTo(1.0);
    assertThat(TextSimilarity.similarity("abc", "")).isEqualTo(0.0);
    assertThat(TextSimilarity.editDistance(
        TextSimilarity.normalize("kitten"), TextSimilarity.normalize("sitting"))).isEqualTo(3);
  }
}
