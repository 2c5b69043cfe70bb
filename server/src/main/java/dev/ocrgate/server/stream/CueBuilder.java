package dev.ocrgate.server.stream;

import dev.ocrgate.api.v1.Cue;
import dev.ocrgate.api.v1.FrameResult;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Turns per-frame texts, fed in seq order, into subtitle cues. Consecutive frames whose text is
 * similar enough ({@link TextSimilarity} ≥ the ratio, against the run's most frequent text) form
 * one cue spanning [first pts, last pts + frame interval]. A cue is emitted when the text changes,
 * when a frame is empty, or at {@link #finish()}. Empty frames start no cue. The cue's text is the
 * run's most frequent exact text (first seen wins a tie), which irons out single-frame OCR noise.
 *
 * The stream feeds only frames it could read: a frame answered with an error is skipped and does
 * not split a cue. The client SDK's {@code SubtitleCues} follows the same rules (checked by the
 * CLI's {@code CueParityTest}).
 *
 * <p>The frame interval is the configured one, else the smallest positive pts step seen so far.
 * Not thread-safe: one per stream, used from the stream's serialised context.
 */
public final class CueBuilder {
  private final double similarity;
  private final long configuredIntervalMs;
  private long inferredIntervalMs = Long.MAX_VALUE;
  private long previousPts = Long.MIN_VALUE;
  private int nextIndex = 1;
  private Run run;

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

  /**
   * @param similarity in (0, 1]
   * @param frameIntervalMs the interval between sampled frames, or 0 to infer it from pts
   */
  public CueBuilder(double similarity, long frameIntervalMs) {
    this.similarity = similarity;
    this.configuredIntervalMs = frameIntervalMs;
  }

  /**
   * Feeds one frame's result: its lines (stripped, empty ones left out) joined with "\n"; a
   * result with an error is skipped (it says nothing about whether the subtitle changed).
   */
  public Optional<Cue> accept(FrameResult result) {
    if (result.hasError()) {
      return Optional.empty();
    }
    String text = result.getLinesList().stream().map(l -> l.getText().strip()).filter(t -> !t.isEmpty())
        .collect(Collectors.joining("\n"));
    return accept(result.getSeq(), result.getPtsMs(), text);
  }

  /** Feeds one frame's text (lines joined with "\n"; empty = no text); returns a finished cue. */
  public Optional<Cue> accept(long seq, long ptsMs, String text) {
    if (previousPts != Long.MIN_VALUE && ptsMs > previousPts) {
      inferredIntervalMs = Math.min(inferredIntervalMs, ptsMs - previousPts);
    }
    previousPts = ptsMs;
    int[] normalized = TextSimilarity.normalize(text);
    boolean empty = normalized.length == 0;
    if (run != null && !empty && TextSimilarity.similarity(run.bestNormalized, normalized) >= similarity) {
      run.add(seq, ptsMs, text, normalized);
      return Optional.empty();
    }
    Optional<Cue> finished = close();
    run = empty ? null : new Run(seq, ptsMs, text, normalized);
    return finished;
  }

  /** Ends the stream: the open cue, if any. */
  public Optional<Cue> finish() {
    return close();
  }

  private Optional<Cue> close() {
    if (run == null) {
      return Optional.empty();
    }
    Run r = run;
    run = null;
    return Optional.of(Cue.newBuilder()
        .setStartMs(r.startMs)
        .setEndMs(r.lastPts + intervalMs())
        .setText(r.best)
        .setFirstSeq(r.firstSeq)
        .setLastSeq(r.lastSeq)
        .setIndex(nextIndex++)
        .build());
  }

  private long intervalMs() {
    if (configuredIntervalMs > 0) {
      return configuredIntervalMs;
    }
    return inferredIntervalMs == Long.MAX_VALUE ? 0 : inferredIntervalMs;
  }
}
