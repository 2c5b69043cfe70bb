package dev.ocrgate.server.upstream;

/**
 * Cuts the known failure mode of greedy decoding in vision-language OCR models: the answer's
 * tail stuck in one short unit repeated until {@code max_tokens} ("abcabcabc…"). When the text
 * (trailing whitespace ignored) ends with at least {@value #MIN_REPEATS} back-to-back copies of
 * a unit of at most {@value #MAX_UNIT} characters, spanning at least {@value #MIN_SPAN}
 * characters, one copy is kept. Shorter repetitions ("-----", "......") are left alone: they
 * are more often on the page than a failure. Stateless.
 *
 * <p>Same idea as the {@code clean_repeated_substrings} safety net of Hunyuan's own client
 * (github.com/Tencent-Hunyuan/HunyuanOCR), which applies it only to long answers; here the span
 * threshold decides instead, so a short answer that degenerates is cut too.
 */
public final class RepeatedTail {
  static final int MIN_REPEATS = 10;
  static final int MAX_UNIT = 512;
  static final int MIN_SPAN = 64;

  private RepeatedTail() {}

  /** {@code text} with a repeated tail reduced to one copy, or {@code text} itself. */
  public static String cut(String text) {
    int n = text.length();
    while (n > 0 && Character.isWhitespace(text.charAt(n - 1))) {
      n--;
    }
    int maxUnit = Math.min(MAX_UNIT, n / MIN_REPEATS);
    for (int len = 1; len <= maxUnit; len++) {
      if (text.charAt(n - 1) != text.charAt(n - 1 - len) || text.substring(n - len, n).isBlank()) {
        continue;
      }
      int copies = copiesAtEnd(text, n, len);
      if (copies >= MIN_REPEATS && (long) copies * len >= MIN_SPAN) {
        return text.substring(0, n - len * (copies - 1));
      }
    }
    return text;
  }

  /** How many back-to-back copies of {@code text[end-len, end)} end at {@code end}. */
  private static int copiesAtEnd(String text, int end, int len) {
    int copies = 1;
    int at = end - 2 * len;
    while (at >= 0 && text.regionMatches(at, text, end - len, len)) {
      copies++;
      at -= len;
    }
    return copies;
  }
}
