package dev.ocrgate.bench.streaming;

import com.google.common.util.concurrent.FutureCallback;
import com.google.common.util.concurrent.Futures;
import com.google.common.util.concurrent.MoreExecutors;
import com.google.protobuf.ByteString;
import dev.ocrgate.api.v1.Image;
import dev.ocrgate.api.v1.OcrServiceGrpc;
import dev.ocrgate.api.v1.PixelFormat;
import dev.ocrgate.api.v1.RawImage;
import dev.ocrgate.api.v1.RecognizeRequest;
import dev.ocrgate.api.v1.RecognizeResponse;
import dev.ocrgate.server.testing.TestTls;
import io.grpc.CallCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.StreamObserver;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * The client side of {@link RemoteBench}: one TLS channel to a server in another process, every
 * call carrying a real bearer token, N concurrent StreamFrames calls (every frame OCR'd, sent as
 * fast as flow control allows, like {@link StreamLoad}) or N unary Recognize calls in flight.
 * Samples the server process's heap, RSS and CPU during each run.
 */
final class RemoteLoad implements AutoCloseable {
  /** One run against the server. {@code rejected}: non-OK statuses by code (calls and frames). */
  record Run(String mode, int concurrency, int items, double perSecond, Histogram latencyMicros,
      Histogram serverMicros, Map<String, Long> rejected, ServerUsage.Peak server, double clientCpuPercent,
      Map<String, Double> clientCpuSecondsByThread) {
    /** The server's CPU time per answered item, ms (all cores). */
    double serverCpuMsPerItem() {
      return cpuMsPerItem(server.cpuPercent());
    }

    /** This load generator's CPU time per answered item, ms (all cores). */
    double clientCpuMsPerItem() {
      return cpuMsPerItem(clientCpuPercent);
    }

    private double cpuMsPerItem(double percentOfAllCores) {
      return percentOfAllCores / 100 * Runtime.getRuntime().availableProcessors() * 1000 / perSecond;
    }
  }

  private final ServerProcess server;
  private final List<ByteString> frames;
  /** One Recognize request per frame, built once. */
  private final List<RecognizeRequest> requests;
  private final ManagedChannel channel;
  private final CallCredentials bearer;

  RemoteLoad(ServerProcess server, List<ByteString> frames) {
    this.server = server;
    this.frames = frames;
    this.requests = frames.stream().map(RemoteLoad::request).toList();
    this.channel = NettyChannelBuilder.forAddress("localhost", server.port(), TestTls.clientCredentials())
        .maxInboundMessageSize(16 << 20).build();
    String token = server.token("loadgen", List.of("ocr:recognize", "ocr:stream"));
    this.bearer = new CallCredentials() {
      @Override
      public void applyRequestMetadata(RequestInfo info, Executor executor, MetadataApplier applier) {
        Metadata md = new Metadata();
        md.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + token);
        applier.apply(md);
      }
    };
  }

  /** N streams × M frames. */
  Run streams(int streams, int framesPerStream) throws Exception {
    Recorder latencies = new Recorder(3);
    Recorder serverLatencies = new Recorder(3);
    ServerUsage usage = ServerUsage.start(server);
    long cpu0 = clientCpuNanos();
    ThreadCpu threads0 = ThreadCpu.of(ProcessHandle.current().pid());
    long t0 = System.nanoTime();
    List<FrameStreamClient> clients = new ArrayList<>();
    for (int s = 0; s < streams; s++) {
      FrameStreamClient c = new FrameStreamClient(StreamLoad.messages(frames, s, framesPerStream), latencies, serverLatencies);
      clients.add(c);
      OcrServiceGrpc.newStub(channel).withCallCredentials(bearer).streamFrames(c);
    }
    Map<String, Long> rejected = new TreeMap<>();
    for (FrameStreamClient c : clients) {
      Status status = c.done.get(30, TimeUnit.MINUTES);
      if (!status.isOk()) {
        rejected.merge("stream " + status.getCode(), 1L, Long::sum);
      }
      if (c.errors > 0) {
        rejected.merge("frame error", (long) c.errors, Long::sum);
      }
    }
    return finish("TLS stream", streams, streams * framesPerStream, t0, cpu0, threads0, latencies.getIntervalHistogram(),
        serverLatencies.getIntervalHistogram(), rejected, usage);
  }

  /**
   * {@code total} Recognize calls of one raw frame each, {@code concurrency} in flight, on the async
   * stub. The requests are built once (one per frame, the image bytes shared): per call the client
   * pays what any client pays, serialising and sending the message with its token and deadline.
   */
  Run recognize(int concurrency, int total) throws Exception {
    OcrServiceGrpc.OcrServiceStub stub = OcrServiceGrpc.newStub(channel).withCallCredentials(bearer);
    return unary("TLS Recognize", concurrency, total, (i, call) ->
        stub.withDeadlineAfter(5, TimeUnit.MINUTES).recognize(requests.get(i % requests.size()),
            new StreamObserver<RecognizeResponse>() {
              @Override
              public void onNext(RecognizeResponse r) {
                call.answered();
              }

              @Override
              public void onError(Throwable t) {
                call.failed(t);
              }

              @Override
              public void onCompleted() {
                call.ended();
              }
            }));
  }

  /**
   * The first version of {@link #recognize}, kept to measure what the leaner client saves: a
   * request built per call and the future stub with a callback.
   */
  Run recognizeBuildingEachRequest(int concurrency, int total) throws Exception {
    OcrServiceGrpc.OcrServiceFutureStub stub = OcrServiceGrpc.newFutureStub(channel).withCallCredentials(bearer);
    return unary("TLS Recognize, request built per call", concurrency, total, (i, call) ->
        Futures.addCallback(stub.withDeadlineAfter(5, TimeUnit.MINUTES).recognize(request(frames.get(i % frames.size()))),
            new FutureCallback<RecognizeResponse>() {
              @Override
              public void onSuccess(RecognizeResponse r) {
                call.answered();
                call.ended();
              }

              @Override
              public void onFailure(Throwable t) {
                call.failed(t);
              }
            }, MoreExecutors.directExecutor()));
  }

  /** Starts call {@code i}, reporting its answer and end to {@code call}. */
  @FunctionalInterface
  private interface UnaryStarter {
    void start(int i, UnaryCall call);
  }

  /** One call's bookkeeping: latency and count on an answer, its slot back when it ends. */
  private interface UnaryCall {
    void answered();

    void failed(Throwable t);

    void ended();
  }

  /** {@code total} calls started by {@code starter}, {@code concurrency} in flight, measured as one run. */
  private Run unary(String mode, int concurrency, int total, UnaryStarter starter) throws Exception {
    Recorder latencies = new Recorder(3);
    Map<String, Long> rejected = new ConcurrentHashMap<>();
    ServerUsage usage = ServerUsage.start(server);
    long cpu0 = clientCpuNanos();
    ThreadCpu threads0 = ThreadCpu.of(ProcessHandle.current().pid());
    Semaphore inFlight = new Semaphore(concurrency);
    CountDownLatch done = new CountDownLatch(total);
    AtomicLong ok = new AtomicLong();
    long t0 = System.nanoTime();
    for (int i = 0; i < total; i++) {
      inFlight.acquire();
      long start = System.nanoTime();
      starter.start(i, new UnaryCall() {
        @Override
        public void answered() {
          latencies.recordValue(Math.max(1, (System.nanoTime() - start) / 1000));
          ok.incrementAndGet();
        }

        @Override
        public void failed(Throwable t) {
          rejected.merge(Status.fromThrowable(t).getCode().toString(), 1L, Long::sum);
          ended();
        }

        @Override
        public void ended() {
          inFlight.release();
          done.countDown();
        }
      });
    }
    done.await(30, TimeUnit.MINUTES);
    return finish(mode, concurrency, (int) ok.get(), t0, cpu0, threads0, latencies.getIntervalHistogram(),
        null, new TreeMap<>(rejected), usage);
  }

  private static RecognizeRequest request(ByteString frame) {
    return RecognizeRequest.newBuilder().setImage(Image.newBuilder().setRaw(RawImage.newBuilder()
        .setWidth(PipelineLoad.W).setHeight(PipelineLoad.H).setFormat(PixelFormat.PIXEL_FORMAT_RGB8)
        .setData(frame))).build();
  }

  private static Run finish(String mode, int n, int items, long t0, long cpu0, ThreadCpu threads0, Histogram latency,
      Histogram serverLatency, Map<String, Long> rejected, ServerUsage usage) throws Exception {
    double wall = System.nanoTime() - t0;
    double clientCpu = 100.0 * (clientCpuNanos() - cpu0) / wall / Runtime.getRuntime().availableProcessors();
    return new Run(mode, n, items, items / (wall / 1e9), latency, serverLatency, rejected, usage.stop(), clientCpu,
        ThreadCpu.of(ProcessHandle.current().pid()).since(threads0));
  }

  static long clientCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  @Override
  public void close() throws InterruptedException {
    channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
  }
}
