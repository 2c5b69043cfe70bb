package dev.ocrgate.cues;

/**
 * The settings of the cue rules ({@link CueGrouper}, {@link SubtitleLines}), validated once;
 * immutable. {@link #defaults()} are the values the server's {@code emit_cues} and the SDK's
 * {@code SubtitleCues} use, chosen on the tune part of the subtitle bench (bench/subtitles).
 *
 * <ul>
 *   <li>{@code similarity}: two frames' texts belong to one cue at or above it (default 0.8).
 *   <li>{@code confirmFrames}: a new text starts a cue only once this many consecutive frames
 *       showed it (default 2), so a one-frame misread or flicker of junk starts nothing; the cue
 *       is back-dated to the first of them. A text shown for fewer frames than this is lost, the
 *       price of the rule (a subtitle lasts seconds, a sampled frame a fifth of one).
 *   <li>{@code gapFrames}: up to this many consecutive frames that do not show the cue's text
 *       (empty, misread, junk) inside a cue are bridged when the text comes back (default 2).
 *   <li>{@code minConfidence}: lines the recogniser is less sure of are not subtitle text
 *       (default 0.8), unless they reach 0.75 of it at the subtitle's place with its size
 *       ({@link SubtitleLines}).
 * </ul>
 *
 * @see SubtitleLines for the geometric rules and their fixed ratios
 */
public final class CueRules {
  private final CueSimilarity similarity;
  private final int confirmFrames;
  private final int gapFrames;
  private final float minConfidence;

  private CueRules(Builder b) {
    this.similarity = b.similarity;
    this.confirmFrames = b.confirmFrames;
    this.gapFrames = b.gapFrames;
    this.minConfidence = b.minConfidence;
  }

  /** The defaults: similarity 0.8, confirm 2 frames, bridge 2 frames, line confidence 0.8. */
  public static CueRules defaults() {
    return builder().build();
  }

  public static Builder builder() {
    return new Builder();
  }

  public Builder toBuilder() {
    return new Builder().similarity(similarity).confirmFrames(confirmFrames).gapFrames(gapFrames)
        .minConfidence(minConfidence);
  }

  public CueSimilarity similarity() {
    return similarity;
  }

  public int confirmFrames() {
    return confirmFrames;
  }

  public int gapFrames() {
    return gapFrames;
  }

  public float minConfidence() {
    return minConfidence;
  }

  @Override
  public String toString() {
    return "CueRules{similarity=" + similarity + ", confirmFrames=" + confirmFrames + ", gapFrames=" + gapFrames
        + ", minConfidence=" + minConfidence + "}";
  }

  /** Setters validate at once. */
  public static final class Builder {
    private CueSimilarity similarity = CueSimilarity.of(0.8);
    private int confirmFrames = 2;
    private int gapFrames = 2;
    private float minConfidence = 0.8f;

    private Builder() {}

    public Builder similarity(CueSimilarity similarity) {
      if (similarity == null) {
        throw new NullPointerException("similarity");
      }
      this.similarity = similarity;
      return this;
    }

    /** Frames a new text must show before it starts a cue, in [1, 25]; 1 = at once. */
    public Builder confirmFrames(int frames) {
      if (frames < 1 || frames > 25) {
        throw new IllegalArgumentException("confirmFrames must be in [1, 25], was " + frames);
      }
      this.confirmFrames = frames;
      return this;
    }

    /** Frames without the cue's text bridged inside a cue, in [0, 25]; 0 = none. */
    public Builder gapFrames(int frames) {
      if (frames < 0 || frames > 25) {
        throw new IllegalArgumentException("gapFrames must be in [0, 25], was " + frames);
      }
      this.gapFrames = frames;
      return this;
    }

    /** Lines below this confidence are left out, in [0, 1]; 0 = keep all. */
    public Builder minConfidence(float confidence) {
      if (!(confidence >= 0 && confidence <= 1)) {
        throw new IllegalArgumentException("minConfidence must be in [0, 1], was " + confidence);
      }
      this.minConfidence = confidence;
      return this;
    }

    public CueRules build() {
      return new CueRules(this);
    }
  }
}
