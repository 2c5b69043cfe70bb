package dev.ocrgate.server.vision;

/**
 * Whether a recognised line is Latin text only: none of its characters belongs to another script
 * (Han, Hiragana, Hangul, Cyrillic, …). Digits, punctuation and symbols (Unicode's Common and
 * Inherited scripts, which include full-width CJK punctuation) count as neither, so a line of only
 * those is Latin too. Stateless.
 */
public final class LatinText {
  private LatinText() {}

  /** True when no code point of {@code text} is of a script other than Latin, Common or Inherited. */
  public static boolean only(String text) {
    return text.codePoints().allMatch(cp -> switch (Character.UnicodeScript.of(cp)) {
      case LATIN, COMMON, INHERITED, UNKNOWN -> true;
      default -> false;
    });
  }
}
