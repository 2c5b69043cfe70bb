package dev.ocrgate.server.testing;

import dev.ocrgate.api.v1.OcrServiceGrpc;
import dev.ocrgate.api.v1.RecognizeRequest;
import dev.ocrgate.api.v1.RecognizeResponse;
import io.grpc.stub.StreamObserver;
import java.util.concurrent.CountDownLatch;

/**
 * Test-only stand-in for the OCR service: Recognize sleeps for {@code min_confidence} seconds
 * (a field reused as the delay so no test-only proto is needed) and answers with the image width
 * it was given, so tests can hold a call in flight while the server drains.
 */
public final class SlowOcrService extends OcrServiceGrpc.OcrServiceImplBase {
  /** Counted down when a call has entered the handler. */
  public final CountDownLatch entered = new CountDownLatch(1);

  @Override
  public void recognize(RecognizeRequest request, StreamObserver<RecognizeResponse> response) {
    entered.countDown();
    try {
      Thread.sleep((long) (request.getMinConfidence() * 1000));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    response.onNext(
        RecognizeResponse.newBuilder()
            .setImageWidth(request.getImage().getRaw().getWidth())
            .setModel("slow-test")
            .build());
    response.onCompleted();
  }
}
