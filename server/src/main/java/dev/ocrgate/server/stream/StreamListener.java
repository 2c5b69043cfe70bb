package dev.ocrgate.server.stream;

import io.grpc.Status;

/**
 * Metrics hooks of StreamFrames (the observability package binds them to Micrometer). Called from
 * each stream's serialised context; implementations must be thread-safe and cheap. Every method
 * has an empty default.
 */
public interface StreamListener {
  /** A listener that records nothing. */
  StreamListener NONE = new StreamListener() {};

  /** Frames accepted (read from the client) and not yet answered, after every change. */
  default void onPending(int pending) {}

  /**
   * A frame was answered.
   *
   * @param reused its result was reused from an earlier frame without inference
   * @param code OK, or the frame's error code
   */
  default void onFrameAnswered(boolean reused, Status.Code code) {}

  /** A cue was emitted. */
  default void onCue() {}
}
