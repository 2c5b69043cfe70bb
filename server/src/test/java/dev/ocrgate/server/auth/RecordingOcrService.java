package dev.ocrgate.server.auth;

import dev.ocrgate.api.v1.OcrServiceGrpc;
import dev.ocrgate.api.v1.RecognizeRequest;
import dev.ocrgate.api.v1.RecognizeResponse;
import dev.ocrgate.api.v1.StreamFramesRequest;
import dev.ocrgate.api.v1.StreamFramesResponse;
import io.grpc.Context;
import io.grpc.stub.StreamObserver;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A test-only OcrService: records how often each handler ran and the Principal it saw. Recognize
 * answers an empty response; StreamFrames answers each request with an empty response and never
 * ends the stream by itself.
 */
public final class RecordingOcrService extends OcrServiceGrpc.OcrServiceImplBase {
  public final AtomicInteger recognizeCalls = new AtomicInteger();
  public final AtomicInteger streamCalls = new AtomicInteger();
  public final CopyOnWriteArrayList<Principal> principals = new CopyOnWriteArrayList<>();
  public final CountDownLatch streamContextCancelled = new CountDownLatch(1);

  public int handlerRuns() {
    return recognizeCalls.get() + streamCalls.get();
  }

  @Override
  public void recognize(RecognizeRequest request, StreamObserver<RecognizeResponse> out) {
    recognizeCalls.incrementAndGet();
    Principal p = Principal.current();
    if (p != null) {
      principals.add(p);
    }
    out.onNext(RecognizeResponse.getDefaultInstance());
    out.onCompleted();
  }

  @Override
  public StreamObserver<StreamFramesRequest> streamFrames(StreamObserver<StreamFramesResponse> out) {
    streamCalls.incrementAndGet();
    Principal p = Principal.current();
    if (p != null) {
      principals.add(p);
    }
    Context.current().addListener(ctx -> streamContextCancelled.countDown(), Runnable::run);
    return new StreamObserver<>() {
      @Override
      public void onNext(StreamFramesRequest value) {
        out.onNext(StreamFramesResponse.getDefaultInstance());
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
