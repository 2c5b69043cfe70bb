package dev.ocrgate.bench.subtitles;

import dev.ocrgate.bench.accuracy.TextMetrics;
import dev.ocrgate.bench.accuracy.TextNormalizer;
import dev.ocrgate.cues.TextSimilarity;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Scores the cues produced for one video against its truth cues. Texts are compared after
 * {@link TextNormalizer} (so a line break and a space are the same), with the project's edit
 * distance ({@link TextMetrics}, {@link TextSimilarity}).
 *
 * <ul>
 *   <li>A produced cue <em>matches</em> a truth cue when they overlap in time (more than 0 ms) and
 *       the produced text's CER against the truth text is at most {@link #MAX_CER}.
 *   <li><b>found</b>: truth cues matched by at least one produced cue; recall = found / truth.
 *   <li><b>CER (all)</b>: every truth cue against its best overlapping produced cue (lowest CER;
 *       the empty text when none overlaps, i.e. CER 1), micro-averaged (errors / truth chars).
 *       <b>CER (found)</b>: the same over found cues only.
 *   <li><b>WER (Latin)</b>: word-level edit distance / truth words, micro-averaged, over truth cues
 *       without Han characters, against the same best overlapping cue.
 *   <li><b>extra</b>: produced cues that match no truth cue (junk, misreads, half cues).
 *   <li><b>split</b>: for each truth cue, matching produced cues beyond the first, summed.
 *   <li><b>start/end error</b>: over found cues, |truth start − earliest matching start| and
 *       |truth end − latest matching end| in ms, mean and max.
 * </ul>
 *
 * <p>Immutable result of a pure function; thread-safe.
 */
public record SubtitleScore(
    int truthCues,
    int producedCues,
    int found,
    TextMetrics.CharErrors charErrorsAll,
    TextMetrics.CharErrors charErrorsFound,
    int latinWordErrors,
    int latinWords,
    int extra,
    int split,
    long startErrorSumMs,
    long startErrorMaxMs,
    long endErrorSumMs,
    long endErrorMaxMs) {

  /** A produced cue whose CER against a truth cue is at most this (and overlaps it) matches it. */
  public static final double MAX_CER = 0.1;

  public static SubtitleScore of(List<Srt.Cue> truth, List<Srt.Cue> produced) {
    boolean[] producedMatches = new boolean[produced.size()];
    int found = 0, split = 0, latinErrors = 0, latinWords = 0;
    long startSum = 0, startMax = 0, endSum = 0, endMax = 0;
    TextMetrics.CharErrors all = new TextMetrics.CharErrors(0, 0);
    TextMetrics.CharErrors foundErrors = new TextMetrics.CharErrors(0, 0);
    for (Srt.Cue t : truth) {
      TextMetrics.CharErrors best = TextMetrics.charErrors(t.text(), "");
      String bestText = "";
      long start = Long.MAX_VALUE, end = Long.MIN_VALUE;
      int matching = 0;
      for (int i = 0; i < produced.size(); i++) {
        Srt.Cue p = produced.get(i);
        if (t.overlapMs(p) <= 0) {
          continue;
        }
        TextMetrics.CharErrors e = TextMetrics.charErrors(t.text(), p.text());
        if (e.errors() < best.errors()) {
          best = e;
          bestText = p.text();
        }
        if (e.rate() <= MAX_CER) {
          producedMatches[i] = true;
          matching++;
          start = Math.min(start, p.startMs());
          end = Math.max(end, p.endMs());
        }
      }
      all = all.plus(best);
      if (!isHan(t.text())) {
        latinErrors += wordErrors(t.text(), bestText);
        latinWords += words(t.text()).length;
      }
      if (matching > 0) {
        found++;
        split += matching - 1;
        foundErrors = foundErrors.plus(best);
        long ds = Math.abs(start - t.startMs()), de = Math.abs(end - t.endMs());
        startSum += ds;
        endSum += de;
        startMax = Math.max(startMax, ds);
        endMax = Math.max(endMax, de);
      }
    }
    int extra = 0;
    for (boolean m : producedMatches) {
      extra += m ? 0 : 1;
    }
    return new SubtitleScore(truth.size(), produced.size(), found, all, foundErrors, latinErrors, latinWords,
        extra, split, startSum, startMax, endSum, endMax);
  }

  /** Sums of two videos' scores (maxima take the larger), for a summary row. */
  public SubtitleScore plus(SubtitleScore o) {
    return new SubtitleScore(truthCues + o.truthCues, producedCues + o.producedCues, found + o.found,
        charErrorsAll.plus(o.charErrorsAll), charErrorsFound.plus(o.charErrorsFound),
        latinWordErrors + o.latinWordErrors, latinWords + o.latinWords, extra + o.extra, split + o.split,
        startErrorSumMs + o.startErrorSumMs, Math.max(startErrorMaxMs, o.startErrorMaxMs),
        endErrorSumMs + o.endErrorSumMs, Math.max(endErrorMaxMs, o.endErrorMaxMs));
  }

  public static SubtitleScore empty() {
    return of(List.of(), List.of());
  }

  public double recall() {
    return truthCues == 0 ? 1 : (double) found / truthCues;
  }

  /** NaN when there are no Latin truth words. */
  public double latinWer() {
    return latinWords == 0 ? Double.NaN : (double) latinWordErrors / latinWords;
  }

  public double meanStartErrorMs() {
    return found == 0 ? Double.NaN : (double) startErrorSumMs / found;
  }

  public double meanEndErrorMs() {
    return found == 0 ? Double.NaN : (double) endErrorSumMs / found;
  }

  static boolean isHan(String text) {
    return text.codePoints().anyMatch(cp -> Character.UnicodeScript.of(cp) == Character.UnicodeScript.HAN);
  }

  private static String[] words(String text) {
    String n = TextNormalizer.normalize(text);
    return n.isEmpty() ? new String[0] : n.split(" ");
  }

  /** Word-level Levenshtein distance: words become ids, then the project's edit distance. */
  static int wordErrors(String reference, String hypothesis) {
    Map<String, Integer> ids = new HashMap<>();
    return TextSimilarity.editDistance(ids(words(reference), ids), ids(words(hypothesis), ids));
  }

  private static int[] ids(String[] words, Map<String, Integer> ids) {
    List<Integer> out = new ArrayList<>();
    for (String w : words) {
      out.add(ids.computeIfAbsent(w, k -> ids.size()));
    }
    return out.stream().mapToInt(Integer::intValue).toArray();
  }
}
