package dev.ocrgate.cues;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The row geometry at its bounds: boxes 40 px tall (left, top, right, bottom). */
class RowsTest {
  @Test
  void verify_sameRow_needsHalfTheLowerHeightOfOverlap_andAtMostOneAndAHalfLineHeightsOfGap() {
    assertThat(Rows.sameRow(0, 100, 200, 140, 40, 260, 100, 400, 140, 40)).as("60 px gap").isTrue();
    assertThat(Rows.sameRow(0, 100, 200, 140, 40, 261, 100, 400, 140, 40)).as("61 px gap").isFalse();
    assertThat(Rows.sameRow(0, 100, 200, 140, 40, 150, 100, 400, 140, 40)).as("overlapping boxes").isTrue();
    assertThat(Rows.sameRow(0, 100, 200, 140, 40, 210, 120, 400, 160, 40)).as("20 of 40 rows shared").isTrue();
    assertThat(Rows.sameRow(0, 100, 200, 140, 40, 210, 121, 400, 161, 40)).as("19 of 40").isFalse();
  }

  @Test
  void verify_stacked_needsHorizontalOverlap_andAtMostOneLineHeightOfGap() {
    assertThat(Rows.stacked(100, 100, 500, 140, 40, 100, 180, 200, 220, 40)).as("40 px below").isTrue();
    assertThat(Rows.stacked(100, 100, 500, 140, 40, 100, 181, 200, 221, 40)).as("41 px below").isFalse();
    assertThat(Rows.stacked(100, 100, 500, 140, 40, 100, 20, 200, 60, 40)).as("40 px above").isTrue();
    assertThat(Rows.stacked(100, 100, 500, 140, 40, 500, 150, 600, 190, 40)).as("beside, touching").isFalse();
  }
}
