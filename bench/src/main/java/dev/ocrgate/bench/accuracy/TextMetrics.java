package dev.ocrgate.bench.accuracy;

import dev.ocrgate.cues.TextSimilarity;
import java.util.HashMap;
import java.util.Map;

/**
 * Character error rate and word F1 on {@link TextNormalizer normalised} text.
 *
 * <p>CER = Levenshtein distance (insert, delete, substitute, each cost 1, over Unicode code
 * points) / number of code points of the reference. It can exceed 1 when the hypothesis is much
 * longer than the reference. Word F1 compares the multisets of whitespace-separated words, so it
 * is insensitive to line order; it is meaningless for Chinese (no word spaces) and only reported
 * for English pages.
 *
 * <p>Stateless and thread-safe.
 */
public final class TextMetrics {
  private TextMetrics() {}

  /** Edit distance between the code point sequences of {@code a} and {@code b}. */
  public static int levenshtein(String a, String b) {
    int[] x = a.codePoints().toArray();
    int[] y = b.codePoints().toArray();
    // The server's implementation (cue grouping); its rows are as long as the second argument.
    return x.length < y.length ? TextSimilarity.editDistance(y, x) : TextSimilarity.editDistance(x, y);
  }

  /** Errors and reference length, so rates over a set are micro-averaged (total errors / total chars). */
  public record CharErrors(int errors, int referenceLength) {
    public double rate() {
      return referenceLength == 0 ? (errors == 0 ? 0 : 1) : (double) errors / referenceLength;
    }

    public CharErrors plus(CharErrors o) {
      return new CharErrors(errors + o.errors, referenceLength + o.referenceLength);
    }
  }

  /** Character errors of {@code hypothesis} against {@code reference}, both normalised here. */
  public static CharErrors charErrors(String reference, String hypothesis) {
    String ref = TextNormalizer.normalize(reference);
    String hyp = TextNormalizer.normalize(hypothesis);
    return new CharErrors(levenshtein(ref, hyp), ref.codePointCount(0, ref.length()));
  }

  /** Word matches for F1; summed over a set, then {@link #f1()}. */
  public record WordCounts(int matched, int referenceWords, int hypothesisWords) {
    public double f1() {
      int denominator = referenceWords + hypothesisWords;
      return denominator == 0 ? 1 : 2.0 * matched / denominator;
    }

    public WordCounts plus(WordCounts o) {
      return new WordCounts(
          matched + o.matched,
          referenceWords + o.referenceWords,
          hypothesisWords + o.hypothesisWords);
    }
  }

  /** Multiset word overlap of normalised texts (case-sensitive, punctuation kept). */
  public static WordCounts wordCounts(String reference, String hypothesis) {
    Map<String, Integer> ref = bag(TextNormalizer.normalize(reference));
    Map<String, Integer> hyp = bag(TextNormalizer.normalize(hypothesis));
    int matched = 0;
    for (Map.Entry<String, Integer> e : hyp.entrySet()) {
      matched += Math.min(e.getValue(), ref.getOrDefault(e.getKey(), 0));
    }
    return new WordCounts(matched, total(ref), total(hyp));
  }

  private static Map<String, Integer> bag(String text) {
    Map<String, Integer> bag = new HashMap<>();
    for (String w : text.split(" ")) {
      if (!w.isEmpty()) {
        bag.merge(w, 1, Integer::sum);
      }
    }
    return bag;
  }

  private static int total(Map<String, Integer> bag) {
    int n = 0;
    for (int v : bag.values()) {
      n += v;
    }
    return n;
  }
}
