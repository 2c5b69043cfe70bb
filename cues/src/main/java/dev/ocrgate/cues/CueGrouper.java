package dev.ocrgate.cues;

import dev.ocrgate.api.v1.FrameResult;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
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
 *   <li>A frame's lines are first sorted into subtitle text and junk ({@link SubtitleLines}:
 *       confidence, size and place; boxes side by side on one row are joined into one line first);
 *       only the subtitle lines count. Its text is those lines, stripped, blank ones left out,
 *       joined with "\n"; texts are compared
 *       {@link TextSimilarity#normalize normalised} (NFKC, lower case, letters and digits) by
 *       {@link CueSimilarity} against the cue's most frequent text.
 *   <li>A text starts a cue only after {@link CueRules#confirmFrames} consecutive similar frames
 *       (a <em>candidate</em> until then; a different text or an empty frame drops it); the cue
 *       starts at the candidate's first frame, and confirming it ends the cue before it.
 *   <li>Inside a cue, up to {@link CueRules#gapFrames} consecutive frames without its text (empty,
 *       misread, a flicker of junk, an unconfirmed candidate) are bridged when the text returns;
 *       one more ends the cue at its last frame showing the text.
 *   <li>A cue spans [first pts, last pts + frame interval]; its text is its most frequent exact
 *       text among the frames <em>read</em> (first seen wins a tie): a frame answered with
 *       {@code reused_from_seq} repeats an earlier reading and adds no vote, so one misread that
 *       later frames reuse cannot outvote readings made from several frames. A candidate still
 *       unconfirmed at the end is dropped.
 * </ul>
 *
 * <p>Invariant: {@code run} (the open cue) and {@code candidate} never hold the same frame; every
 * frame after {@code run}'s last one is counted in {@code sinceRun}. A cue is returned by the
 * call that ends it (a later frame than its last one) or by {@link #finish}.
 *
 * <p>The frame interval is the configured one, else the smallest positive pts step seen so far.
 * Not thread-safe: one per stream, fed one frame at a time.
 */
public final class CueGrouper {
  private final CueRules rules;
  private final SubtitleLines lines;
  private final long configuredIntervalMs;
  private long inferredIntervalMs = Long.MAX_VALUE;
  private long previousPts = Long.MIN_VALUE;
  private int nextIndex = 1;
  private Run run;
  private int sinceRun;
  private Run candidate;

  /**
   * @param frameIntervalMs the interval between sampled frames, ms, or 0 to infer it from pts
   */
  public CueGrouper(CueRules rules, long frameIntervalMs) {
    if (rules == null) {
      throw new NullPointerException("rules");
    }
    if (frameIntervalMs < 0) {
      throw new IllegalArgumentException("frameIntervalMs must be >= 0, was " + frameIntervalMs);
    }
    this.rules = rules;
    this.lines = new SubtitleLines(rules);
    this.configuredIntervalMs = frameIntervalMs;
  }

  /** The default rules with this similarity. */
  public CueGrouper(CueSimilarity similarity, long frameIntervalMs) {
    this(CueRules.builder().similarity(similarity).build(), frameIntervalMs);
  }

  /** Feeds one frame's result; returns the cue it finished, if any. */
  public Optional<CueSpan> accept(FrameResult result) {
    if (result.hasError()) {
      return Optional.empty();
    }
    List<CueLine> frameLines = new ArrayList<>(result.getLinesCount());
    result.getLinesList().forEach(l -> frameLines.add(CueLine.of(l)));
    return accept(result.getSeq(), result.getPtsMs(), frameLines, result.getReusedFromSeq() == 0);
  }

  /**
   * Feeds one frame's text, lines joined with "\n" (empty = no text), lines without geometry at
   * full confidence; returns the cue it finished, if any.
   */
  public Optional<CueSpan> accept(long seq, long ptsMs, String text) {
    List<CueLine> frameLines = new ArrayList<>();
    for (String l : text.split("\n")) {
      frameLines.add(CueLine.textOnly(l));
    }
    return accept(seq, ptsMs, frameLines);
  }

  /** Feeds one frame's lines (in reading order), read from it; returns the cue it finished, if any. */
  public Optional<CueSpan> accept(long seq, long ptsMs, List<CueLine> frameLines) {
    return accept(seq, ptsMs, frameLines, true);
  }

  /**
   * Feeds one frame's lines (in reading order); {@code read}: false when they repeat an earlier
   * frame's reading (they count for the cue's frames, not for its text). Returns the cue it
   * finished, if any.
   */
  public Optional<CueSpan> accept(long seq, long ptsMs, List<CueLine> frameLines, boolean read) {
    int votes = read ? 1 : 0;
    if (previousPts != Long.MIN_VALUE && ptsMs > previousPts) {
      inferredIntervalMs = Math.min(inferredIntervalMs, ptsMs - previousPts);
    }
    previousPts = ptsMs;
    List<CueLine> kept = lines.subtitle(frameLines);
    String text = text(kept);
    int[] normalized = TextSimilarity.normalize(text);
    if (normalized.length == 0) {
      candidate = null;
      return afterMiss();
    }
    if (run != null && run.matches(normalized, rules.similarity())) {
      run.add(seq, ptsMs, text, normalized, votes);
      lines.learn(kept);
      candidate = null;
      sinceRun = 0;
      return Optional.empty();
    }
    if (candidate != null && candidate.matches(normalized, rules.similarity())) {
      candidate.add(seq, ptsMs, text, normalized, votes);
    } else {
      candidate = new Run(seq, ptsMs, text, normalized, votes);
    }
    if (candidate.frames < rules.confirmFrames()) {
      return afterMiss();
    }
    Optional<CueSpan> finished = close();
    run = candidate;
    candidate = null;
    sinceRun = 0;
    lines.learn(kept);
    return finished;
  }

  /** Ends the stream: the open cue, if any (an unconfirmed candidate is dropped). */
  public Optional<CueSpan> finish() {
    candidate = null;
    return close();
  }

  /** A frame's text as the cue rules see it: stripped lines, blank ones left out, "\n"-joined. */
  public static String text(FrameResult result) {
    return result.getLinesList().stream()
        .map(l -> l.getText().strip())
        .filter(t -> !t.isEmpty())
        .collect(Collectors.joining("\n"));
  }

  private static String text(List<CueLine> kept) {
    return kept.stream().map(l -> l.text().strip()).filter(t -> !t.isEmpty()).collect(Collectors.joining("\n"));
  }

  /** A frame without the open cue's text: one more gap frame; too many end the cue. */
  private Optional<CueSpan> afterMiss() {
    if (run == null) {
      return Optional.empty();
    }
    sinceRun++;
    return sinceRun > rules.gapFrames() ? close() : Optional.empty();
  }

  private Optional<CueSpan> close() {
    if (run == null) {
      return Optional.empty();
    }
    Run r = run;
    run = null;
    sinceRun = 0;
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
    int frames;
    final Map<String, Integer> texts = new LinkedHashMap<>();
    String best;
    int[] bestNormalized;
    int bestCount;

    Run(long seq, long pts, String text, int[] normalized, int votes) {
      firstSeq = seq;
      startMs = pts;
      add(seq, pts, text, normalized, votes);
    }

    boolean matches(int[] normalized, CueSimilarity similarity) {
      return similarity.accepts(bestNormalized, normalized);
    }

    /** One more frame showing {@code text}; {@code votes} 0 (a reused reading) or 1. */
    void add(long seq, long pts, String text, int[] normalized, int votes) {
      lastSeq = seq;
      lastPts = pts;
      frames++;
      int n = texts.merge(text, votes, Integer::sum);
      if (best == null || n > bestCount) {
        best = text;
        bestNormalized = normalized;
        bestCount = n;
      }
    }
  }
}
