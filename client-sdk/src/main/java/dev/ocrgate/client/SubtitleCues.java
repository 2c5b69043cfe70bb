package dev.ocrgate.client;

import dev.ocrgate.api.v1.FrameResult;
import dev.ocrgate.api.v1.TextLine;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Builds subtitle cues on the client from a stream's frame results (in order), so a resumed
 * stream yields the same cues as an uninterrupted one.
 *
 * <p>A run of consecutive frames whose texts are similar (1 − edit distance / longer length ≥
 * {@code similarity}) is one cue, from the first frame's pts to the last frame's pts plus the
 * frame interval. Its text is the one read most often in the run (OCR noise differs from frame
 * to frame; ties go to the earliest). A frame with no text or an error ends the run.
 *
 * <p>Not thread-safe: feed it from the listener (one call at a time), read it after the end.
 */
public final class SubtitleCues {
  private final double similarity;
  private final long frameIntervalMs;
  private final List<SubtitleCue> cues = new ArrayList<>();
  private Run run;

  /**
   * @param similarity in (0, 1]; 0.8 is a good default
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
    String text = result.hasError() ? "" : text(result.getLinesList());
    if (run != null && !text.isEmpty() && similar(run.reference, text)) {
      run.add(text, result.getPtsMs());
      return;
    }
    closeRun();
    if (!text.isEmpty()) {
      run = new Run(text, result.getPtsMs());
    }
  }

  /** Closes the last cue and returns every cue, in order. */
  public List<SubtitleCue> finish() {
    closeRun();
    return List.copyOf(cues);
  }

  private void closeRun() {
    if (run != null) {
      cues.add(new SubtitleCue(run.startMs, run.lastMs + frameIntervalMs, run.bestText()));
      run = null;
    }
  }

  private boolean similar(String a, String b) {
    int longer = Math.max(a.length(), b.length());
    return 1.0 - (double) editDistance(a, b) / longer >= similarity;
  }

  private static String text(List<TextLine> lines) {
    return lines.stream()
        .map(l -> l.getText().strip())
        .filter(t -> !t.isEmpty())
        .collect(Collectors.joining("\n"));
  }

  /** Levenshtein distance over UTF-16 units, two rows. */
  static int editDistance(String a, String b) {
    int[] prev = new int[b.length() + 1];
    int[] cur = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      prev[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      cur[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
      }
      int[] t = prev;
      prev = cur;
      cur = t;
    }
    return prev[b.length()];
  }

  /** Consecutive similar frames. The first text is the reference for similarity. */
  private static final class Run {
    final String reference;
    final long startMs;
    long lastMs;
    final Map<String, Integer> votes = new LinkedHashMap<>();

    Run(String text, long ptsMs) {
      this.reference = text;
      this.startMs = ptsMs;
      add(text, ptsMs);
    }

    void add(String text, long ptsMs) {
      lastMs = ptsMs;
      votes.merge(text, 1, Integer::sum);
    }

    String bestText() {
      String best = reference;
      int most = 0;
      for (Map.Entry<String, Integer> e : votes.entrySet()) {
        if (e.getValue() > most) {
          best = e.getKey();
          most = e.getValue();
        }
      }
      return best;
    }
  }
}
