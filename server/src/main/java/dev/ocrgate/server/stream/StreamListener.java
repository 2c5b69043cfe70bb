package dev.ocrgate.server.stream;

import io.grpc.Status;

/**
 * Metrics hooks of StreamFrames (the observability package binds them to Micrometer). Called from
 * each stream's serialised context unless a method says otherwise; implementations must be thread-safe and cheap. Every method
 * has an empty default.
 */
public interface StreamListener {
  /** A listener that records nothing. */
  StreamListener NONE = new StreamListener() {};

  /** Frames accepted (read from the client) and not yet answered, after every change. */
  default void onPending(int pending) {}

  /** How an answered frame got its lines. */
  enum Answer {
    /** Detection and recognition ran on the frame. */
    RECOGNIZED,
    /** Its result was reused from an earlier frame without inference (the pixel rule). */
    REUSED,
    /** The last read frame's lines were read again at their boxes and came out the same. */
    VERIFIED
  }

  /**
   * A frame was answered.
   *
   * @param answer how it got its lines (meaningful when {@code code} is OK)
   * @param code OK, or the frame's error code
   */
  default void onFrameAnswered(Answer answer, Status.Code code) {}

  /**
   * The lines detected in a frame read with the automatic subtitle band, and how many of them go
   * on to recognition (the rest cannot be subtitle lines by their geometry). Called from the OCR
   * pipeline's threads, not the stream's context.
   */
  default void onLinesSelected(int detected, int recognised) {}

  /** A cue was emitted. */
  default void onCue() {}
}
