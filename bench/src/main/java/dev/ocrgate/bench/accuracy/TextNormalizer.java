package dev.ocrgate.bench.accuracy;

import java.text.Normalizer;

/**
 * Puts reference text and OCR output into one comparable form, so that CER measures reading
 * errors and not typographic conventions that a text layer and an image disagree on.
 *
 * <ul>
 *   <li>NFKC: full-width ASCII (，：（）) becomes ASCII, ligatures (ﬁ) split — PP-OCR's dictionary
 *       holds both forms and emits either, and pdftotext emits whatever the PDF's font maps to;
 *   <li>curly quotes become straight, dashes and minus become '-', bullets become '•' — glyphs a
 *       reader cannot tell apart at 150 dpi;
 *   <li>whitespace runs become one space; a space next to a CJK character is dropped (Chinese
 *       text has no word spaces, yet pdftotext and Tesseract put some between Han and Latin).
 * </ul>
 *
 * <p>Stateless and thread-safe.
 */
public final class TextNormalizer {
  private TextNormalizer() {}

  /** The normalised form of {@code text}; lines are joined with one space. */
  public static String normalize(String text) {
    String s = Normalizer.normalize(text, Normalizer.Form.NFKC);
    StringBuilder out = new StringBuilder(s.length());
    s.codePoints().map(TextNormalizer::fold).forEach(out::appendCodePoint);
    return dropSpacesNearCjk(collapseWhitespace(out));
  }

  private static int fold(int cp) {
    switch (cp) {
      case '\u2018', '\u2019', '\u201A', '\u201B', '\u2032', '`', '\u00B4' -> {
        return '\'';
      }
      case '\u201C', '\u201D', '\u201E', '\u201F', '\u2033' -> {
        return '"';
      }
      case '\u2010', '\u2011', '\u2012', '\u2013', '\u2014', '\u2015', '\u2212' -> {
        return '-';
      }
      case '\u00B7', '\u2022', '\u2219', '\u25CF', '\u30FB' -> {
        return '\u2022';
      }
      default -> {
        return Character.isWhitespace(cp) || Character.isSpaceChar(cp) ? ' ' : cp;
      }
    }
  }

  private static String collapseWhitespace(CharSequence s) {
    StringBuilder out = new StringBuilder(s.length());
    boolean space = true; // drops leading spaces
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == ' ') {
        if (!space) {
          out.append(' ');
        }
        space = true;
      } else {
        out.append(c);
        space = false;
      }
    }
    int end = out.length();
    if (end > 0 && out.charAt(end - 1) == ' ') {
      out.setLength(end - 1);
    }
    return out.toString();
  }

  private static String dropSpacesNearCjk(String s) {
    int[] cps = s.codePoints().toArray();
    StringBuilder out = new StringBuilder(s.length());
    for (int i = 0; i < cps.length; i++) {
      if (cps[i] == ' ' && i > 0 && i + 1 < cps.length && (isCjk(cps[i - 1]) || isCjk(cps[i + 1]))) {
        continue;
      }
      out.appendCodePoint(cps[i]);
    }
    return out.toString();
  }

  /** Han ideographs, CJK punctuation and full-width forms that NFKC left alone. */
  static boolean isCjk(int cp) {
    Character.UnicodeScript script = Character.UnicodeScript.of(cp);
    if (script == Character.UnicodeScript.HAN) {
      return true;
    }
    Character.UnicodeBlock block = Character.UnicodeBlock.of(cp);
    return block == Character.UnicodeBlock.CJK_SYMBOLS_AND_PUNCTUATION
        || block == Character.UnicodeBlock.HALFWIDTH_AND_FULLWIDTH_FORMS;
  }
}
