package dev.ocrgate.cues;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class CueSimilarityTest {
  @Test
  void verify_floatAndDoubleOfTheSameDecimal_areTheSameThreshold() {
    assertThat(CueSimilarity.of(0.8f)).isEqualTo(CueSimilarity.of(0.8));
    assertThat(CueSimilarity.of(0.7f)).isEqualTo(CueSimilarity.of(0.7));
    assertThat(CueSimilarity.of(0.8f).toString()).isEqualTo("0.8");
  }

  /** The defect this class exists for: the widened float rejects what the decimal accepts. */
  @Test
  void verify_exactlyAtTheThreshold_isAccepted_whereAWidenedFloatWouldReject() {
    int distance = 1;
    int longer = 5; // similarity exactly 0.8
    assertThat(1.0 - (double) distance / longer >= (double) 0.8f).isFalse();
    assertThat(CueSimilarity.of(0.8f).accepts(distance, longer)).isTrue();
    assertThat(CueSimilarity.of(0.8).accepts(distance, longer)).isTrue();
  }

  @Test
  void verify_acceptsAtAndAbove_rejectsBelow() {
    CueSimilarity t = CueSimilarity.of(0.75);
    assertThat(t.accepts(1, 4)).isTrue(); // 0.75
    assertThat(t.accepts(0, 4)).isTrue();
    assertThat(t.accepts(2, 4)).isFalse(); // 0.5
    assertThat(CueSimilarity.of(0.7f).accepts(3, 10)).isTrue(); // exactly 0.7
    assertThat(CueSimilarity.of(0.7f).accepts(4, 10)).isFalse();
    assertThat(CueSimilarity.of(1.0).accepts(0, 0)).isTrue();
    assertThat(CueSimilarity.of(1.0).accepts(1, 100)).isFalse();
  }

  @Test
  void verify_outOfRange_isRefused() {
    assertThatThrownBy(() -> CueSimilarity.of(0.0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> CueSimilarity.of(1.01)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> CueSimilarity.of(Double.NaN)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> CueSimilarity.of(Float.POSITIVE_INFINITY)).isInstanceOf(IllegalArgumentException.class);
  }
}
