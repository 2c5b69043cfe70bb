package dev.ocrgate.client;

import dev.ocrgate.api.v1.Cue;
import dev.ocrgate.api.v1.FrameResult;
import io.grpc.StatusRuntimeException;

/**
 * Receives what a {@link FrameStream} produces. Calls are made one at a time (never concurrently)
 * on a gRPC callback thread; keep them short — a slow listener slows the stream down (inbound
 * flow control), it never makes results pile up.
 *
 * <p>Every frame sent gets exactly one {@link #onResult}, in {@code seq} order, even across the
 * stream's transparent reconnections. Then exactly one of {@link #onCompleted} or
 * {@link #onError} is called.
 */
public interface FrameListener {
  /** The result of one frame, exactly once per frame, in order. */
  void onResult(FrameResult result);

  /**
   * A subtitle cue computed by the server (only when {@code StreamConfig.emit_cues} is set). The
   * server keeps cue state per connection: after a reconnection a cue that spans it may arrive
   * split in two, and numbering restarts. {@link SubtitleCues} builds cues on the client side
   * from the results instead, which reconnections do not affect.
   */
  default void onCue(Cue cue) {}

  /** Every frame has its result and the server closed the stream normally. */
  void onCompleted();

  /**
   * The stream failed for good: a status that is not retried (e.g. PERMISSION_DENIED,
   * INVALID_ARGUMENT), the retry budget was spent (the last status, unchanged), or it was
   * cancelled (CANCELLED).
   */
  void onError(StatusRuntimeException error);
}
