package dev.ocrgate.server.stream;

import dev.ocrgate.api.v1.StreamFramesRequest;
import dev.ocrgate.api.v1.StreamFramesResponse;
import dev.ocrgate.server.config.StreamingSection;
import dev.ocrgate.server.ocr.OcrPipeline;
import io.grpc.Context;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The StreamFrames method: the gRPC service implementation delegates {@code streamFrames} here.
 * Each call gets its own {@link StreamFramesCall}; this class only creates them and keeps the live
 * ones so that {@link #drain()} can tell them the server is going away. A call leaves the live set
 * however it ends: answered, drained, failed, cancelled by the client, past its deadline, or
 * closed by an interceptor (token expired or revoked), and then has no OCR work left queued. A
 * call that ends itself (answered, failed, drained) leaves the set before its client can see the
 * end; one closed elsewhere (cancelled, deadline, interceptor) leaves it when its context ends,
 * which the client may see after its status.
 *
 * <p>Admission: all calls share one {@link FrameBudget} of {@code maxFramesInFlight} frames; a
 * call requests a frame from its client only with a permit of it (see {@link StreamFramesCall}),
 * so the frames of all streams together never queue more than that many OCR requests, however
 * many streams there are: under overload streams slow down (HTTP/2 flow control) instead of
 * having frames refused. The assembly sizes the budget as a share of the pipeline's queue
 * ({@code streaming.queue_share}, default 0.75): stream frames hold at most that share of it, and
 * unary calls always find the rest.
 *
 * <p>Thread safety: {@link #open} is called concurrently by gRPC; the live set is concurrent.
 * Frames are decoded and fingerprinted on the {@code prepare} executor given at creation (shared by
 * all calls; the caller owns and shuts it down), never on a call's serialising context.
 */
public final class StreamFramesService {
  private final OcrPipeline pipeline;
  private final FrameDecoder decoder;
  private final Executor prepare;
  private final StreamingSection settings;
  private final FrameBudget budget;
  private final StreamListener listener;
  private final Set<StreamFramesCall> live = ConcurrentHashMap.newKeySet();
  private volatile boolean draining;

  private StreamFramesService(OcrPipeline pipeline, FrameDecoder decoder, Executor prepare,
      StreamingSection settings, FrameBudget budget, StreamListener listener) {
    this.pipeline = pipeline;
    this.decoder = decoder;
    this.prepare = prepare;
    this.settings = settings;
    this.budget = budget;
    this.listener = listener;
  }

  /**
   * A service decoding frames with {@code decoder} on {@code prepare} and OCR'ing them with
   * {@code pipeline}; {@code settings} come validated (ConfigLoader.validate). At most
   * {@code maxFramesInFlight} frames of all streams together are requested and not yet read
   * (≥ 1; {@link StreamingSection#framesInFlight} sizes it from the pipeline's queue). A frame
   * {@code prepare} rejects (shut down) is answered UNAVAILABLE.
   */
  public static StreamFramesService create(OcrPipeline pipeline, FrameDecoder decoder, Executor prepare,
      StreamingSection settings, int maxFramesInFlight, StreamListener listener) {
    return new StreamFramesService(
        Objects.requireNonNull(pipeline, "pipeline"), Objects.requireNonNull(decoder, "decoder"),
        Objects.requireNonNull(prepare, "prepare"), Objects.requireNonNull(settings, "settings"),
        FrameBudget.of(maxFramesInFlight), Objects.requireNonNull(listener, "listener"));
  }

  /**
   * The production preparation executor: one daemon thread per core ({@code
   * ocrgate-stream-prepare-N}), since decoding is CPU work; the caller shuts it down after the
   * streams have drained.
   */
  public static ExecutorService preparationExecutor() {
    AtomicInteger n = new AtomicInteger();
    return Executors.newFixedThreadPool(Runtime.getRuntime().availableProcessors(), r -> {
      Thread t = new Thread(r, "ocrgate-stream-prepare-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
  }

  /**
   * Starts one call. Must be called from the gRPC service method itself (it disables automatic
   * inbound flow control, which is only possible before the method returns).
   */
  public StreamObserver<StreamFramesRequest> open(StreamObserver<StreamFramesResponse> responses) {
    ServerCallStreamObserver<StreamFramesResponse> out =
        (ServerCallStreamObserver<StreamFramesResponse>) responses;
    StreamFramesCall call = new StreamFramesCall(
        out, pipeline, decoder, prepare, settings, budget, listener, Context.current().getDeadline(), live::remove);
    live.add(call);
    call.start(draining);
    return call;
  }

  /**
   * The server is shutting down: every stream stops reading new frames, answers the ones it has
   * accepted and then ends with UNAVAILABLE ("server shutting down") so clients reconnect
   * elsewhere; streams opened afterwards end the same way at once. Idempotent.
   */
  public void drain() {
    draining = true;
    live.forEach(StreamFramesCall::drain);
  }

  /** Streams currently open (for tests and metrics). */
  public int openStreams() {
    return live.size();
  }

  /** Frame permits held: frames of all streams requested or in OCR (for tests and metrics). */
  public int framesInFlight() {
    return budget.held();
  }

  /** Streams waiting for a frame permit (for tests and metrics). */
  public int streamsWaiting() {
    return budget.waiting();
  }
}
