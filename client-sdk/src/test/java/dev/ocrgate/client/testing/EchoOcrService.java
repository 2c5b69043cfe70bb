package dev.ocrgate.client.testing;

import dev.ocrgate.api.v1.FrameResult;
import dev.ocrgate.api.v1.OcrServiceGrpc;
import dev.ocrgate.api.v1.RecognizeRequest;
import dev.ocrgate.api.v1.RecognizeResponse;
import dev.ocrgate.api.v1.StreamFramesRequest;
import dev.ocrgate.api.v1.StreamFramesResponse;
import dev.ocrgate.api.v1.TextLine;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A test OcrService: Recognize answers one line "echo:&lt;bytes&gt;"; StreamFrames answers every frame
 * with a FrameResult carrying one line "frame &lt;seq&gt;". Knobs for fault injection: answer some
 * results twice, or hold results until permits are released. Thread-safe.
 */
public final class EchoOcrService extends OcrServiceGrpc.OcrServiceImplBase {
  public final AtomicInteger recognizeCalls = new AtomicInteger();
  public final AtomicInteger framesReceived = new AtomicInteger();
  public final AtomicInteger streamsOpened = new AtomicInteger();
  /** Results wait for a permit each; release to let them go. */
  public final Semaphore resultPermits = new Semaphore(Integer.MAX_VALUE);
  /** When > 0, the result of every frame with seq % duplicateEvery == 0 is sent twice. */
  public volatile int duplicateEvery;

  @Override
  public void recognize(RecognizeRequest request, StreamObserver<RecognizeResponse> out) {
    recognizeCalls.incrementAndGet();
    int size = request.getImage().hasEncoded()
        ? request.getImage().getEncoded().getData().size()
        : request.getImage().getRaw().getData().size();
    out.onNext(
        RecognizeResponse.newBuilder()
            .addLines(TextLine.newBuilder().setText("echo:" + size).setConfidence(1f))
            .setImageWidth(request.getImage().getRaw().getWidth())
            .setImageHeight(request.getImage().getRaw().getHeight())
            .setModel("echo")
            .build());
    out.onCompleted();
  }

  @Override
  public StreamObserver<StreamFramesRequest> streamFrames(StreamObserver<StreamFramesResponse> out) {
    streamsOpened.incrementAndGet();
    return new StreamObserver<>() {
      boolean configured;

      @Override
      public void onNext(StreamFramesRequest request) {
        if (request.hasConfig()) {
          configured = true;
          return;
        }
        if (!configured) {
          out.onError(Status.INVALID_ARGUMENT.withDescription("config first").asRuntimeException());
          return;
        }
        framesReceived.incrementAndGet();
        long seq = request.getFrame().getSeq();
        resultPermits.acquireUninterruptibly();
        StreamFramesResponse response = StreamFramesResponse.newBuilder()
            .setResult(
                FrameResult.newBuilder()
                    .setSeq(seq)
                    .setPtsMs(request.getFrame().getPtsMs())
                    .addLines(TextLine.newBuilder().setText("frame " + seq).setConfidence(1f)))
            .build();
        out.onNext(response);
        int dup = duplicateEvery;
        if (dup > 0 && seq % dup == 0) {
          out.onNext(response);
        }
      }

      @Override
      public void onError(Throwable t) {}

      @Override
      public void onCompleted() {
        out.onCompleted();
      }
    };
  }
}
