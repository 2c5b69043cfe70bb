package dev.ocrgate.server.ocr;

import dev.ocrgate.server.vision.Quad;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Asynchronous OCR of one decoded image: detection within a region, then recognition of each
 * detected line. Implemented on ONNX Runtime behind the dynamic batchers; the gRPC services
 * (Recognize, StreamFrames) depend only on this interface.
 *
 * <p>Contract:
 * <ul>
 *   <li>Never blocks the caller: work is queued and the future completes on an executor.
 *   <li>Fails the future with {@link io.grpc.StatusException}: RESOURCE_EXHAUSTED when the queue
 *       is full, DEADLINE_EXCEEDED when the request's deadline passes before inference,
 *       INVALID_ARGUMENT for a region outside the image, UNAVAILABLE when shutting down.
 *   <li>Cancelling the returned future removes the request's queued work.
 * </ul>
 */
public interface OcrPipeline {
  CompletableFuture<OcrResult> recognize(OcrRequest request);

  /** This pipeline can {@link #reread} known lines (a local one can; one forwarding to an upstream cannot). */
  default boolean rereads() {
    return false;
  }

  /**
   * Recognition alone: reads {@code lines} (boxes in the request image's pixels, as an earlier
   * result of this pipeline gave them) exactly as {@link #recognize} reads the lines it detects,
   * without detection; {@code request}'s {@code lines} selector and {@code detectionScale} are not
   * used. The result holds the lines read, under the same confidence and word rules, in reading
   * order. Same contract as {@link #recognize} otherwise. Only when {@link #rereads()}.
   *
   * @throws UnsupportedOperationException when this pipeline does not reread
   */
  default CompletableFuture<OcrResult> reread(OcrRequest request, List<Quad> lines) {
    throw new UnsupportedOperationException("this pipeline does not reread lines");
  }
}
