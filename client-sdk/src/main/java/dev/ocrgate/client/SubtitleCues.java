package dev.ocrgate.client;

import dev.ocrgate.api.v1.FrameResult;
import dev.ocrgate.api.v1.TextLine;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Locale;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Builds subtitle cues on the client from a stream's frame results (in order), so a resumed
 * stream yields the same cues as an uninterrupted one. Same rules as the server's cues
 * ({@code StreamConfig.emit_cues}), so a backend gets the same subtitles either way.
 *
 * <p>Texts are compared in normalised form: NFKC, lower case, letters and digits only (OCR often
 * drops or adds a space, reads punctuation differently, or picks up a stray number from the
 * picture). A run of consecutive frames whose normalised text is similar to the run's most
 * frequent text (1 − edit distance / longer length ≥ {@code similarity}) is one cue, from the
 * first frame's pts to the last frame's pts plus the frame interval. Its text is the exact text
 * read most often in the run (ties go to the earliest). A frame with no letters or digits ends
 * the run and starts none. A frame the server could not read (error) is skipped: it says nothing
 * about whether the subtitle changed.
 *
 * <p>Not thread-safe: feed it from the listener (one call at a time), read it after the end.
 */
public final class SubtitleCues {
  private final double similarity;
  private final long frameIntervalMs;
  private final List<SubtitleCue> cues = new ArrayList<>();
  private Run run;

  /**
   * @param similarity in (0, 1]; 0.8 is a good default (the server's default too)
   * @param frameIntervalMs time between sampled frames, ms, > 0
   */
  public SubtitleCues(double similarity, long frameIntervalMs) {
    if (!(similarity > 0 && similarity <= 1)) {
      throw new IllegalArgumentException("similarity must be in (0, 1], was " + similarity);
    }
    if (frameIntervalMs <= 0) {
      throw new IllegalArgumentException("frameIntervalMs must be > 0, was " + frameIntervalMs);
    }
    this.similarity = similarity;
    this.frameIntervalMs = frameIntervalMs;
  }

  /** Adds the next frame's result. */
  public void accept(FrameResult result) {
    if (result.hasError()) {
      return;
    }
    String text = text(result.getLinesList());
    int[] normalized = normalize(text);
    if (normalized.length == 0) {
      closeRun();
      return;
    }
    if (run != null && similarity(run.bestNormalized, normalized) >= similarity) {
      run.add(text, normalized, result.getPtsMs());
      return;
    }
    closeRun();
    run = new Run(text, normalized, result.getPtsMs());
  }

  /** Closes the last cue and returns every cue, in order. */
  public List<SubtitleCue> finish() {
    closeRun();
    return List.copyOf(cues);
  }

  private void closeRun() {
    if (run != null) {
      cues.add(new SubtitleCue(run.startMs, run.lastMs + frameIntervalMs, run.best));
      run = null;
    }
  }

  private static String text(List<TextLine> lines) {
    return lines.stream()
        .map(l -> l.getText().strip())
        .filter(t -> !t.isEmpty())
        .collect(Collectors.joining("\n"));
  }

  /** NFKC, lower case, letters and digits only, as code points. */
  static int[] normalize(String text) {
    String n = Normalizer.normalize(text, Normalizer.Form.NFKC).toLowerCase(Locale.ROOT);
    return n.codePoints().filter(Character::isLetterOrDigit).toArray();
  }

  /** 1 − edit distance / longer length; both non-empty here. */
  private static double similarity(int[] a, int[] b) {
    return 1.0 - (double) editDistance(a, b) / Math.max(a.length, b.length);
  }

  /** Levenshtein distance over code points, two rows. */
  static int editDistance(int[] a, int[] b) {
    int[] prev = new int[b.length + 1];
    int[] cur = new int[b.length + 1];
    for (int j = 0; j <= b.length; j++) {
      prev[j] = j;
    }
    for (int i = 1; i <= a.length; i++) {
      cur[0] = i;
      for (int j = 1; j <= b.length; j++) {
        int cost = a[i - 1] == b[j - 1] ? 0 : 1;
        cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
      }
      int[] t = prev;
      prev = cur;
      cur = t;
    }
    return prev[b.length];
  }

  /** Consecutive similar frames; compared against the most frequent text so far. */
  private static final class Run {
    final long startMs;
    long lastMs;
    final Map<String, Integer> votes = new HashMap<>();
    String best;
    int[] bestNormalized;
    int bestVotes;

    Run(String text, int[] normalized, long ptsMs) {
      this.startMs = ptsMs;
      add(text, normalized, ptsMs);
    }

    void add(String text, int[] normalized, long ptsMs) {
      lastMs = ptsMs;
      int n = votes.merge(text, 1, Integer::sum);
      if (n > bestVotes) {
        best = text;
        bestNormalized = normalized;
        bestVotes = n;
      }
    }
  }
}
