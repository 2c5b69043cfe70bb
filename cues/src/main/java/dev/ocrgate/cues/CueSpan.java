package dev.ocrgate.cues;

/**
 * One finished cue: frames {@code firstSeq..lastSeq} showed {@code text} from {@code startMs} to
 * {@code endMs} (the last frame's pts plus one frame interval). {@code index} counts from 1.
 */
public record CueSpan(int index, long firstSeq, long lastSeq, long startMs, long endMs, String text) {}
