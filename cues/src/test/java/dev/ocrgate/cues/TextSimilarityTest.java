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
  void verify_similarity_normalisesCaseSpaceAndPunctuation() {
    assertThat(TextSimilarity.similarity("Hello, World!", "hello world")).isEqualTo(1.0);
    assertThat(TextSimilarity.similarity("abcd", "abce")).isEqualTo(0.75);
    assertThat(TextSimilarity.similarity("", "")).isEqualTo(1.0);
    assertThat(TextSimilarity.similarity("abc", "")).isEqualTo(0.0);
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
