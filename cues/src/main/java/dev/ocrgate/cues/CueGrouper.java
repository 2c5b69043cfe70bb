package dev.ocrgate.cues;

import dev.ocrgate.api.v1.FrameResult;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The subtitle cue rules, in one place: the server's {@code emit_cues} and the client SDK's
 * {@code SubtitleCues} both feed frame results, in seq order, through this class.
 *
 * <ul>
 *   <li>A frame answered with an error is skipped: it says nothing about whether the subtitle
 *       changed.
 *   <li>A frame's text is its lines, stripped, blank ones left out, joined with "\n"; texts are
 *       compared {@link TextSimilarity#normalize normalised} (NFKC, lower case, letters and digits).
 *   <li>Consecutive frames whose text is similar ({@link CueSimilarity}) to the run's most
 *       frequent text form one cue spanning [first pts, last pts + frame interval]; its text is the
 *       run's most frequent exact text (first seen wins a tie).
 *   <li>A frame with no letters or digits ends the run and starts none.
 * </ul>
 *
 * <p>The frame interval is the configured one, else the smallest positive pts step seen so far.
 * Not thread-safe: one per stream, fed one frame at a time.
 */
public final class CueGrouper {
  private final CueSimilarity similarity;
  private final long configuredIntervalMs;
  private long inferredIntervalMs = Long.MAX_VALUE;
  private long previousPts = Long.MIN_VALUE;
  private int nextIndex = 1;
  private Run run;

  /**
   * @param frameIntervalMs the interval between sampled frames, ms, or 0 to infer it from pts
   */
  public CueGrouper(CueSimilarity similarity, long frameIntervalMs) {
    if (similarity == null) {
      throw new NullPointerException("similarity");
    }
    if (frameIntervalMs < 0) {
      throw new IllegalArgumentException("frameIntervalMs must be >= 0, was " + frameIntervalMs);
    }
    this.similarity = similarity;
    this.configuredIntervalMs = frameIntervalMs;
  }

  /** Feeds one frame's result; returns the cue it finished, if any. */
  public Optional<CueSpan> accept(FrameResult result) {
    if (result.hasError()) {
      return Optional.empty();
    }
    return accept(result.getSeq(), result.getPtsMs(), text(result));
  }

  /** Feeds one frame's text (lines joined with "\n"; empty = no text); returns a finished cue. */
  public Optional<CueSpan> accept(long seq, long ptsMs, String text) {
    if (previousPts != Long.MIN_VALUE && ptsMs > previousPts) {
      inferredIntervalMs = Math.min(inferredIntervalMs, ptsMs - previousPts);
    }
    previousPts = ptsMs;
    int[] normalized = TextSimilarity.normalize(text);
    boolean empty = normalized.length == 0;
    if (run != null && !empty && similarity.accepts(run.bestNormalized, normalized)) {
      run.add(seq, ptsMs, text, normalized);
      return Optional.empty();
    }
    Optional<CueSpan> finished = close();
    run = empty ? null : new Run(seq, ptsMs, text, normalized);
    return finished;
  }

  /** Ends the stream: the open cue, if any. */
  public Optional<CueSpan> finish() {
    return close();
  }

  /** A frame's text as the cue rules see it: stripped lines, blank ones left out, "\n"-joined. */
  public static String text(FrameResult result) {
    return result.getLinesList().stream()
        .map(l -> l.getText().strip())
        .filter(t -> !t.isEmpty())
        .collect(Collectors.joining("\n"));
  }

  private Optional<CueSpan> close() {
    if (run == null) {
      return Optional.empty();
    }
    Run r = run;
    run = null;
    return Optional.of(new CueSpan(nextIndex++, r.firstSeq, r.lastSeq, r.startMs, r.lastPts + intervalMs(), r.best));
  }

  private long intervalMs() {
    if (configuredIntervalMs > 0) {
      return configuredIntervalMs;
    }
    return inferredIntervalMs == Long.MAX_VALUE ? 0 : inferredIntervalMs;
  }

  /** Consecutive similar frames; compared against the most frequent text so far. */
  private static final class Run {
    final long firstSeq;
    final long startMs;
    long lastSeq;
    long lastPts;
    final Map<String, Integer> texts = new LinkedHashMap<>();
    String best;
    int[] bestNormalized;
    int bestCount;

    Run(long seq, long pts, String text, int[] normalized) {
      firstSeq = seq;
      startMs = pts;
      add(seq, pts, text, normalized);
    }

    void add(long seq, long pts, String text, int[] normalized) {
      lastSeq = seq;
      lastPts = pts;
      int n = texts.merge(text, 1, Integer::sum);
      if (n > bestCount) {
        best = text;
        bestNormalized = normalized;
        bestCount = n;
      }
    }
  }
}
