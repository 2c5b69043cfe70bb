package dev.ocrgate.bench.accuracy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class TextMetricsTest {
  @Test
  void levenshtein_classicPairs() {
    assertEquals(3, TextMetrics.levenshtein("kitten", "sitting"));
    assertEquals(0, TextMetrics.levenshtein("", ""));
    assertEquals(4, TextMetrics.levenshtein("", "abcd"));
    assertEquals(4, TextMetrics.levenshtein("abcd", ""));
    assertEquals(2, TextMetrics.levenshtein("flaw", "lawn"));
  }

  @Test
  void levenshtein_countsCodePointsNotChars() {
    // U+20BB7 is one code point, two UTF-16 chars
    assertEquals(1, TextMetrics.levenshtein("a\uD842\uDFB7b", "ab"));
    assertEquals(1, TextMetrics.levenshtein("中文", "中字"));
  }

  @Test
  void charErrors_normalisesBeforeComparing() {
    TextMetrics.CharErrors e = TextMetrics.charErrors("使用 Tab 键（跳格键）\n可以", "使用Tab键(跳格键)可以");
    assertEquals(0, e.errors());
    assertEquals(13, e.referenceLength());
  }

  @Test
  void charErrors_rateIsErrorsOverReferenceLength() {
    TextMetrics.CharErrors e = TextMetrics.charErrors("hello world", "hello w0rld!");
    assertEquals(2, e.errors());
    assertEquals(2.0 / 11, e.rate(), 1e-12);
    assertEquals(4.0 / 22, e.plus(e).rate(), 1e-12);
  }

  @Test
  void wordF1_isOrderInsensitiveMultisetOverlap() {
    assertEquals(1.0, TextMetrics.wordCounts("a b c", "c b a").f1(), 1e-12);
    TextMetrics.WordCounts w = TextMetrics.wordCounts("the cat the hat", "the cat hat hat x");
    assertEquals(3, w.matched());
    assertEquals(2.0 * 3 / 9, w.f1(), 1e-12);
    assertEquals(0.0, TextMetrics.wordCounts("a", "").f1(), 1e-12);
  }
}
