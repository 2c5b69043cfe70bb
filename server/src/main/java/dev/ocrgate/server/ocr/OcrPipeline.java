package dev.ocrgate.server.ocr;

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
}
