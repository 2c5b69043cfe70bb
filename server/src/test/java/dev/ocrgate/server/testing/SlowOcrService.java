package dev.ocrgate.server.testing;

import dev.ocrgate.api.v1.OcrServiceGrpc;
import dev.ocrgate.api.v1.RecognizeRequest;
import dev.ocrgate.api.v1.RecognizeResponse;
import io.grpc.stub.StreamObserver;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Test-only stand-in for the OCR service: Recognize with {@code min_confidence} > 0 stays in the
 * handler until {@link #release} (at most {@code min_confidence} seconds, a bound for a test that
 * fails before releasing; the field is reused so that no test-only proto is needed), then answers
 * with the image width it was given. Tests hold a call in flight this way and let it finish at
 * the moment they choose, e.g. once the server has started draining.
 */
public final class SlowOcrService extends OcrServiceGrpc.OcrServiceImplBase {
  /** Counted down when a call has entered the handler. */
  public final CountDownLatch entered = new CountDownLatch(1);
  private final CountDownLatch released = new CountDownLatch(1);

  /** Lets every held call (and every later one) answer. */
  public void release() {
    released.countDown();
  }

  @Override
  public void recognize(RecognizeRequest request, StreamObserver<RecognizeResponse> response) {
    entered.countDown();
    if (request.getMinConfidence() > 0) {
      try {
        released.await((long) (request.getMinConfidence() * 1000), TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    response.onNext(
        RecognizeResponse.newBuilder()
            .setImageWidth(request.getImage().getRaw().getWidth())
            .setModel("slow-test")
            .build());
    response.onCompleted();
  }
}
