package dev.ocrgate.server.stream;

import java.util.ArrayDeque;

/**
 * Whether a SUBTITLE stream may reuse a frame between subtitles: neither it nor the last read
 * frame shows light text ({@link ChangeRule.Fingerprint#showsText}), so the text rule has nothing
 * to compare and only block colours, which moving footage always changes, would decide.
 *
 * <p>Policies ({@code streaming.gap_frames}):
 * <ul>
 *   <li>{@code read}: never (the block colours decide): safe for any subtitle, costly on moving footage.
 *   <li>{@code reuse}: always: blind to subtitles that are not light (dark, pale, coloured fill).
 *   <li>{@code learn} (default): only in a stream whose subtitles are light. The stream learns it from
 *       its own answers: after {@value #LIGHT_READS} read frames in a row that answered lines
 *       showed light text (a read answering no lines says nothing), gap frames may be reused; a read
 *       that answers lines <em>without</em> light text (a dark or pale subtitle, or text the mask
 *       misses) starts the count again. Even then a gap frame is read when its pts is
 *       {@code rereadMs} or more past the last read frame's, or not past it (pts are the client's;
 *       a stream without increasing pts gets no gap reuse), so a subtitle that is not light is
 *       read at most {@code rereadMs} after it appears, and, once read, turns the stream back.
 * </ul>
 *
 * <p>Determinism: like {@link SubtitleBand}, what the answer of the frame that arrived a-th teaches
 * applies from the (a + {@code lag})-th arrival on, {@code lag} being the stream's window: that
 * frame cannot have arrived before the a-th was answered (flow control), so every frame's decision
 * depends only on the frames and answers before it, never on how far OCR has progressed.
 *
 * <p>Cost: O(1) per frame; at most {@code lag} pending changes. Not thread-safe: confined to its
 * stream's serialising context.
 */
final class GapFrames {
  /** Read frames in a row with lines and light text before gap frames are reused ({@code learn}). */
  static final int LIGHT_READS = 2;

  enum Policy {
    READ, LEARN, REUSE;

    /** The policy named by a validated {@code streaming.gap_frames}. */
    static Policy named(String name) {
      return valueOf(name.toUpperCase(java.util.Locale.ROOT));
    }
  }

  /** From the {@code from}-th arrival on, the light-read count is {@code lightReads}. */
  private record Change(long from, int lightReads) {}

  private final Policy policy;
  private final long rereadMs;
  private final int lag;
  private final ArrayDeque<Change> changes = new ArrayDeque<>();
  /** Answer side: light reads in a row, as learned so far. */
  private int learned;
  /** Route side: the count in force for the frame being routed. */
  private int inForce;

  private GapFrames(Policy policy, long rereadMs, int lag) {
    this.policy = policy;
    this.rereadMs = rereadMs;
    this.lag = lag;
  }

  /** {@code lag}: the stream's window (see the class comment); {@code rereadMs} ≥ 1. */
  static GapFrames of(Policy policy, long rereadMs, int lag) {
    if (lag < 1 || rereadMs < 1) {
      throw new IllegalArgumentException("lag and rereadMs must be >= 1");
    }
    return new GapFrames(policy, rereadMs, lag);
  }

  /**
   * For the frame that arrived {@code arrival}-th (called in arrival order): may it pass as
   * unchanged from the last read frame when neither shows light text?
   */
  boolean textlessAlike(long arrival, long ptsMs, long lastReadPtsMs) {
    while (!changes.isEmpty() && changes.peekFirst().from() <= arrival) {
      inForce = changes.pollFirst().lightReads();
    }
    return switch (policy) {
      case READ -> false;
      case REUSE -> true;
      case LEARN -> inForce >= LIGHT_READS && ptsMs > lastReadPtsMs && ptsMs - lastReadPtsMs < rereadMs;
    };
  }

  /**
   * Learns from the answer of a frame that was read (in answer order, successful reads only):
   * {@code answeredLines} after the stream's own filtering, {@code lightText} its fingerprint's.
   */
  void learn(long arrival, boolean answeredLines, boolean lightText) {
    if (policy != Policy.LEARN || !answeredLines) {
      return;
    }
    int next = lightText ? Math.min(learned + 1, LIGHT_READS) : 0;
    if (next != learned) {
      learned = next;
      changes.addLast(new Change(arrival + lag, next));
    }
  }
}
