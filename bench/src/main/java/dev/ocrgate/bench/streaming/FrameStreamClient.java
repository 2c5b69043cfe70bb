package dev.ocrgate.bench.streaming;

import dev.ocrgate.api.v1.StreamFramesRequest;
import dev.ocrgate.api.v1.StreamFramesResponse;
import io.grpc.Status;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.HdrHistogram.Recorder;

/**
 * One load-generating StreamFrames call: sends its frames as fast as flow control allows and
 * records each frame's latency (sent → its FrameResult received) into a shared recorder, and the
 * server's own time for it ({@code FrameResult.timing.total_us}: read by the server → answered)
 * into another.
 */
final class FrameStreamClient
    implements ClientResponseObserver<StreamFramesRequest, StreamFramesResponse> {
  final CompletableFuture<Status> done = new CompletableFuture<>();
  private final List<StreamFramesRequest> messages;
  private final long[] sentNanos;
  private final Recorder latencies;
  private final Recorder serverLatencies;
  private ClientCallStreamObserver<StreamFramesRequest> requests;
  private int next;
  private boolean halfClosed;
  volatile int answered;
  volatile int errors;

  FrameStreamClient(List<StreamFramesRequest> messages, Recorder latencies, Recorder serverLatencies) {
    this.messages = messages;
    this.sentNanos = new long[messages.size()];
    this.latencies = latencies;
    this.serverLatencies = serverLatencies;
  }

  @Override
  public void beforeStart(ClientCallStreamObserver<StreamFramesRequest> rs) {
    requests = rs;
    rs.setOnReadyHandler(this::pump);
  }

  private synchronized void pump() {
    while (requests.isReady() && next < messages.size()) {
      sentNanos[next] = System.nanoTime();
      requests.onNext(messages.get(next++));
    }
    if (next == messages.size() && !halfClosed) {
      halfClosed = true;
      requests.onCompleted();
    }
  }

  @Override
  public void onNext(StreamFramesResponse r) {
    if (r.hasResult()) {
      // Frame seq k is message k (message 0 is the config).
      int index = (int) r.getResult().getSeq();
      long sent;
      synchronized (this) {
        sent = sentNanos[index];
      }
      latencies.recordValue(Math.max(1, (System.nanoTime() - sent) / 1000));
      serverLatencies.recordValue(Math.max(1, r.getResult().getTiming().getTotalUs()));
      if (r.getResult().hasError()) {
        errors++;
      }
      answered++;
    }
  }

  @Override
  public void onError(Throwable t) {
    done.complete(Status.fromThrowable(t));
  }

  @Override
  public void onCompleted() {
    done.complete(Status.OK);
  }
}
