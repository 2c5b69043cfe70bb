package dev.ocrgate.server.stream;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The gap-frame policies and what {@code learn} learns, when it applies, and its re-read delay. */
class GapFramesTest {
  private static final int LAG = 4;

  @Test
  void verify_readAndReuse_ignoreTheAnswers() {
    GapFrames read = GapFrames.of(GapFrames.Policy.READ, 1000, LAG);
    GapFrames reuse = GapFrames.of(GapFrames.Policy.REUSE, 1000, LAG);
    for (long a = 1; a <= 3; a++) {
      read.learn(a, true, true);
      reuse.learn(a, true, false);
    }
    assertThat(read.textlessAlike(20, 2000, 1900)).isFalse();
    assertThat(reuse.textlessAlike(20, 2000, 0)).isTrue();
  }

  @Test
  void verify_learn_twoLightReadsWithLines_applyALagLater() {
    GapFrames g = GapFrames.of(GapFrames.Policy.LEARN, 1000, LAG);
    g.learn(1, false, false); // no lines: says nothing
    g.learn(2, true, true);
    assertThat(g.textlessAlike(5, 500, 400)).isFalse();
    g.learn(6, true, true); // second light read: applies from arrival 6 + LAG
    assertThat(g.textlessAlike(9, 900, 800)).isFalse();
    assertThat(g.textlessAlike(10, 1000, 900)).isTrue();
  }

  @Test
  void verify_learn_aReadWithLinesButNoLightText_turnsTheStreamBack() {
    GapFrames g = GapFrames.of(GapFrames.Policy.LEARN, 1000, LAG);
    g.learn(1, true, true);
    g.learn(2, true, true);
    assertThat(g.textlessAlike(6, 600, 500)).isTrue();
    g.learn(7, true, false); // a dark subtitle was read
    assertThat(g.textlessAlike(10, 1000, 900)).isTrue();
    assertThat(g.textlessAlike(11, 1100, 1000)).isFalse();
    g.learn(12, true, true); // one light read is not enough again
    assertThat(g.textlessAlike(17, 1700, 1600)).isFalse();
  }

  @Test
  void verify_learn_rereadsAfterTheDelay_andWithoutIncreasingPts() {
    GapFrames g = GapFrames.of(GapFrames.Policy.LEARN, 1000, LAG);
    g.learn(1, true, true);
    g.learn(2, true, true);
    assertThat(g.textlessAlike(10, 1999, 1000)).isTrue();
    assertThat(g.textlessAlike(11, 2000, 1000)).isFalse();
    assertThat(g.textlessAlike(12, 1000, 1000)).isFalse();
    assertThat(g.textlessAlike(13, 900, 1000)).isFalse();
  }
}
