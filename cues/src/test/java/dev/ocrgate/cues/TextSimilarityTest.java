package dev.ocrgate.cues;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TextSimilarityTest {
  @Test
  void verify_normalize_keepsLettersAndDigits_nfkcLowerCase() {
    assertThat(TextSimilarity.normalize("Ｈｅｌｌｏ, World!")).isEqualTo(cp("helloworld"));
    assertThat(TextSimilarity.normalize("你好，世界")).isEqualTo(cp("你好世界"));
  }

  @Test
  void verify_normalisedComparison_ignoresCaseSpaceAndPunctuation() {
    assertThat(TextSimilarity.normalize("Hello, World!")).isEqualTo(TextSimilarity.normalize("hello world"));
    assertThat(TextSimilarity.editDistance(TextSimilarity.normalize("abcd"), TextSimilarity.normalize("abce"))).isEqualTo(1);
    assertThat(CueSimilarity.of(0.75).accepts(TextSimilarity.normalize("abcd"), TextSimilarity.normalize("abce"))).isTrue();
    assertThat(CueSimilarity.of(1.0).accepts(TextSimilarity.normalize(""), TextSimilarity.normalize(""))).isTrue();
    assertThat(CueSimilarity.of(0.01).accepts(TextSimilarity.normalize("abc"), TextSimilarity.normalize(""))).isFalse();
  }

  @Test
  void verify_editDistance_overCodePoints() {
    assertThat(TextSimilarity.editDistance(cp("kitten"), cp("sitting"))).isEqualTo(3);
    assertThat(TextSimilarity.editDistance(cp(""), cp("abc"))).isEqualTo(3);
    assertThat(TextSimilarity.editDistance(cp("𠀀好"), cp("𠀀好"))).isZero();
    assertThat(TextSimilarity.editDistance(cp("𠀀"), cp("好"))).isEqualTo(1);
  }

  private static int[] cp(String s) {
    return s.codePoints().toArray();
  }
}
