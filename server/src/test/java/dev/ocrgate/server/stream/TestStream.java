package dev.ocrgate.server.stream;

import dev.ocrgate.api.v1.FrameResult;
import dev.ocrgate.api.v1.StreamFramesRequest;
import dev.ocrgate.api.v1.StreamFramesResponse;
import io.grpc.Status;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A client side of one StreamFrames call: sends its messages as fast as the transport lets it
 * (isReady), collects responses, and reads either automatically or only when told to.
 */
final class TestStream implements ClientResponseObserver<StreamFramesRequest, StreamFramesResponse> {
  final List<StreamFramesResponse> responses = Collections.synchronizedList(new ArrayList<>());
  final CompletableFuture<Status> done = new CompletableFuture<>();
  final AtomicInteger sent = new AtomicInteger();
  /** The error the stream ended with, trailers included (null while open or after OK). */
  volatile Throwable failure;
  private final List<StreamFramesRequest> toSend;
  private final boolean autoRead;
  private final boolean halfClose;
  private ClientCallStreamObserver<StreamFramesRequest> requests;
  private boolean completedSending;

  TestStream(List<StreamFramesRequest> toSend, boolean autoRead, boolean halfClose) {
    this.toSend = toSend;
    this.autoRead = autoRead;
    this.halfClose = halfClose;
  }

  @Override
  public void beforeStart(ClientCallStreamObserver<StreamFramesRequest> rs) {
    requests = rs;
    if (!autoRead) {
      rs.disableAutoRequestWithInitial(0);
    }
    rs.setOnReadyHandler(this::pump);
  }

  private synchronized void pump() {
    while (requests.isReady() && sent.get() < toSend.size()) {
      requests.onNext(toSend.get(sent.getAndIncrement()));
    }
    if (sent.get() == toSend.size() && halfClose && !completedSending) {
      completedSending = true;
      requests.onCompleted();
    }
  }

  void read(int n) {
    requests.request(n);
  }

  void cancel() {
    requests.cancel("client went away", null);
  }

  List<FrameResult> results() {
    synchronized (responses) {
      return responses.stream().filter(StreamFramesResponse::hasResult)
          .map(StreamFramesResponse::getResult).toList();
    }
  }

  List<dev.ocrgate.api.v1.Cue> cues() {
    synchronized (responses) {
      return responses.stream().filter(StreamFramesResponse::hasCue)
          .map(StreamFramesResponse::getCue).toList();
    }
  }

  @Override
  public void onNext(StreamFramesResponse value) {
    responses.add(value);
  }

  @Override
  public void onError(Throwable t) {
    failure = t;
    done.complete(Status.fromThrowable(t));
  }

  @Override
  public void onCompleted() {
    done.complete(Status.OK);
  }
}
