package dev.ocrgate.bench.accuracy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class TextNormalizerTest {
  @Test
  void normalize_collapsesWhitespaceAndTrims() {
    assertEquals("a b c", TextNormalizer.normalize("  a \t b\n\n  c  \n"));
  }

  @Test
  void normalize_foldsFullWidthQuotesDashesAndLigatures() {
    assertEquals("(a),b: \"q\" 'x' a-b-c ﬁ".replace("ﬁ", "fi"),
        TextNormalizer.normalize("（a），b： “q” ‘x’ a–b—c ﬁ"));
  }

  @Test
  void normalize_dropsSpacesNextToCjkOnly() {
    assertEquals("使用Tab键在用户名和密码之间", TextNormalizer.normalize("使用 Tab 键在 用户名和密码之间"));
    assertEquals("two words", TextNormalizer.normalize("two   words"));
    assertEquals("输入\"su -l\"。", TextNormalizer.normalize("输入 “su -l” 。"));
  }

  @Test
  void normalize_foldsBulletsToOne() {
    assertEquals("• x • y", TextNormalizer.normalize("· x ● y"));
  }
}
