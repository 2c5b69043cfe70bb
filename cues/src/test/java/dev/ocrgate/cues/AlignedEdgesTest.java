package dev.ocrgate.cues;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** Which side subtitle rows are aligned to (pixels of a 1280-wide frame, 50 px lines). */
class AlignedEdgesTest {
  private final AlignedEdges edges = new AlignedEdges();
  private int lines;

  /** A row of a new subtitle line (a text not seen before). */
  private void row(double x0, double x1) {
    edges.learn(x0, x1, 50, "line " + lines++);
  }

  @Test
  void verify_leftEdgesTogether_rightEdgesSpread_isLeftAligned_fromTheThirdDistinctRow() {
    row(195, 1040);
    row(197, 926);
    assertThat(edges.left()).as("two rows").isNaN();
    row(198, 486);
    assertThat(edges.left()).isCloseTo(196.67, within(0.01));
    assertThat(edges.right()).isNaN();
    assertThat(AlignedEdges.atEdge(210, 350, 50, edges.left(), edges.right())).as("within half a line").isTrue();
    assertThat(AlignedEdges.atEdge(230, 350, 50, edges.left(), edges.right())).isFalse();
  }

  /**
   * Before recognition a row of boxes passes when it may hold a row at the edge: a mark the
   * detector joined to a short line (100..150 beside 198..347) keeps the row off the edge until
   * recognition drops it. No edge, no row passes.
   */
  @Test
  void verify_aRowOverlappingTheEdge_mayHoldARowAtIt() {
    double edge = 197;
    assertThat(AlignedEdges.atEdge(100, 347, 50, edge, Double.NaN)).isFalse();
    assertThat(AlignedEdges.mayHoldEdge(100, 347, 50, edge, Double.NaN)).isTrue();
    assertThat(AlignedEdges.mayHoldEdge(250, 400, 50, edge, Double.NaN)).as("right of the edge").isFalse();
    assertThat(AlignedEdges.mayHoldEdge(20, 150, 50, edge, Double.NaN)).as("left of it").isFalse();
    assertThat(AlignedEdges.mayHoldEdge(100, 347, 50, Double.NaN, Double.NaN)).isFalse();
  }

  @Test
  void verify_rightAligned_isTheMirror() {
    row(200, 1080);
    row(700, 1082);
    row(450, 1079);
    assertThat(edges.right()).isCloseTo(1080.33, within(0.01));
    assertThat(edges.left()).isNaN();
  }

  /** Centred rows spread both edges alike: never aligned, however much or little their widths differ. */
  @Test
  void verify_centredRows_areAlignedToNeitherSide() {
    int[] jitter = {0, 3, -2, 1, -3};
    for (int[] halves : new int[][] {{400, 300, 150, 350, 200}, {300, 290, 280, 295, 285}, {300, 315, 330, 300, 320}}) {
      edges.clear();
      for (int i = 0; i < halves.length; i++) {
        row(640 + jitter[i] - halves[i], 640 + jitter[i] + halves[i]);
        assertThat(edges.left()).as("halves %s, row %d", java.util.Arrays.toString(halves), i).isNaN();
        assertThat(edges.right()).isNaN();
      }
    }
  }

  /**
   * The same line in the next frame teaches nothing; once aligned, lines of one width (a few
   * pixels apart, as the bench's wrapped lines are) keep the alignment, and a row off the edge
   * (a centred subtitle) ends it.
   */
  @Test
  void verify_onceAligned_linesOfOneWidthKeepIt_aRowOffTheEdgeEndsIt() {
    edges.learn(195, 1040, 50, "We should have left");
    edges.learn(197, 1030, 50, "We should have left");
    edges.learn(196, 926, 50, "Then we take");
    assertThat(edges.left()).as("two distinct rows").isNaN();
    row(198, 486);
    assertThat(edges.left()).isNotNaN();
    row(196, 910);
    row(195, 914);
    row(197, 912);
    assertThat(edges.left()).as("three rows of one width").isNotNaN();
    row(440, 840);
    assertThat(edges.left()).isNaN();
  }
}
