package dev.ocrgate.cues;

import java.text.Normalizer;
import java.util.Locale;

/**
 * The text side of the cue rules: normalisation (NFKC, lower case, letters and digits only) and
 * the code-point edit distance that {@link CueSimilarity} compares against its threshold.
 */
public final class TextSimilarity {
  private TextSimilarity() {}

  /** NFKC, lower case, only letters and digits (as code points). */
  public static int[] normalize(String text) {
    String n = Normalizer.normalize(text, Normalizer.Form.NFKC).toLowerCase(Locale.ROOT);
    return n.codePoints().filter(Character::isLetterOrDigit).toArray();
  }

  /** Levenshtein distance over code points, two rows of memory. */
  public static int editDistance(int[] a, int[] b) {
    int[] prev = new int[b.length + 1];
    int[] cur = new int[b.length + 1];
    for (int j = 0; j <= b.length; j++) {
      prev[j] = j;
    }
    for (int i = 1; i <= a.length; i++) {
      cur[0] = i;
      for (int j = 1; j <= b.length; j++) {
        int sub = prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
        cur[j] = Math.min(sub, Math.min(prev[j] + 1, cur[j - 1] + 1));
      }
      int[] t = prev;
      prev = cur;
      cur = t;
    }
    return prev[b.length];
  }
}
