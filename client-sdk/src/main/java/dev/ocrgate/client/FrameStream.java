package dev.ocrgate.client;

import dev.ocrgate.api.v1.Frame;

/**
 * The sending side of a resumable {@code StreamFrames} call, from
 * {@link OcrClient#streamFrames}. Results go to the {@link FrameListener}.
 *
 * <p>Thread safety: safe to call from any thread, but frames must be sent in increasing
 * {@code seq} order, so one producer thread is the natural use.
 */
public interface FrameStream {
  /**
   * Sends one frame, blocking while the window is full: as many frames as the client's stream
   * window ({@link OcrClient.Builder#streamWindow}) are waiting for their results, or the
   * transport is not ready to take more bytes. Memory use is therefore bounded by the window.
   *
   * @throws IllegalArgumentException if {@code frame.seq} is not greater than the previous one
   * @throws IllegalStateException if {@link #complete} was called or the stream has ended
   * @throws InterruptedException if interrupted while waiting for room
   */
  void send(Frame frame) throws InterruptedException;

  /** No more frames: the stream completes once every frame sent has its result. */
  void complete();

  /** Abandons the stream; the listener gets {@code onError} with CANCELLED (unless already ended). */
  void cancel();
}
