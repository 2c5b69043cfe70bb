package dev.ocrgate.bench.streaming;

import com.google.protobuf.ByteString;
import dev.ocrgate.api.v1.Frame;
import dev.ocrgate.api.v1.Image;
import dev.ocrgate.api.v1.NormalizedRect;
import dev.ocrgate.api.v1.OcrServiceGrpc;
import dev.ocrgate.api.v1.PixelFormat;
import dev.ocrgate.api.v1.RawImage;
import dev.ocrgate.api.v1.Region;
import dev.ocrgate.api.v1.StreamConfig;
import dev.ocrgate.api.v1.StreamFramesRequest;
import dev.ocrgate.api.v1.StreamFramesResponse;
import dev.ocrgate.server.OcrgateServer;
import dev.ocrgate.server.config.OcrgateConfig;
import dev.ocrgate.server.ocr.BatchingSpec;
import dev.ocrgate.server.stream.StreamFramesService;
import dev.ocrgate.server.stream.StreamListener;
import dev.ocrgate.server.testing.TestTls;
import dev.ocrgate.server.vision.ImageDecoder;
import dev.ocrgate.server.vision.ImageLimits;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.StreamObserver;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * The streaming load test: a real TLS server (StreamFrames over the batched real-model pipeline;
 * the JWT interceptor is not bound, this measures streaming and inference) driven by N concurrent
 * streams × M rendered subtitle frames, every frame distinct (change threshold negative, so every
 * frame is OCR'd). Also the same pipeline in process ({@link PipelineLoad}, no gRPC) at the same
 * concurrency, the limit the service can reach with that batching policy. Client and server share
 * this JVM; {@link RemoteBench} drives a separate server process instead.
 */
final class StreamLoad implements AutoCloseable {
  static final int W = PipelineLoad.W;
  static final int H = PipelineLoad.H;

  /** One measured run. */
  record Result(String variant, String mode, int streams, int frames, double framesPerSecond,
      double p50Ms, double p99Ms, double serverP50Ms, double serverP99Ms, double detBatch,
      double recBatch, long heapMb, double cpuPercent) {}

  private final PipelineLoad local;
  private final OcrgateServer server;
  private final ManagedChannel channel;

  StreamLoad(String variant, Path modelDir, BatchingSpec.Provider spec) {
    local = new PipelineLoad(variant, modelDir, spec);
    OcrgateConfig config = new OcrgateConfig();
    config.server.port = 0;
    TestTls.certs().applyTo(config.tls);
    ImageLimits limits = new ImageLimits(20_000_000, 40_000_000);
    ExecutorService prepare = StreamFramesService.preparationExecutor();
    StreamFramesService streams = StreamFramesService.create(local.pipeline(),
        image -> ImageDecoder.decode(image, limits), prepare, config.streaming,
        config.streaming.framesInFlight(local.pipeline().detectionBatcher().policy().queueCapacity()),
        StreamListener.NONE);
    server = OcrgateServer.builder(config).onClose(prepare::shutdown).addService(new OcrServiceGrpc.OcrServiceImplBase() {
      @Override
      public StreamObserver<StreamFramesRequest> streamFrames(StreamObserver<StreamFramesResponse> r) {
        return streams.open(r);
      }
    }).build().start();
    channel = NettyChannelBuilder.forAddress("localhost", server.port(), TestTls.clientCredentials()).build();
  }

  /** N streams × M frames over TLS. */
  Result overTls(int streams, int framesPerStream) throws Exception {
    Recorder latencies = new Recorder(3);
    Recorder serverLatencies = new Recorder(3);
    local.resetCounts();
    Sampler sampler = Sampler.start();
    long t0 = System.nanoTime();
    List<FrameStreamClient> clients = new ArrayList<>();
    for (int s = 0; s < streams; s++) {
      FrameStreamClient c = new FrameStreamClient(messages(local.frames(), s, framesPerStream), latencies, serverLatencies);
      clients.add(c);
      OcrServiceGrpc.newStub(channel).streamFrames(c);
    }
    for (FrameStreamClient c : clients) {
      c.done.get(30, TimeUnit.MINUTES);
    }
    return result("TLS stream", streams, streams * framesPerStream, t0, latencies.getIntervalHistogram(),
        serverLatencies.getIntervalHistogram(), sampler);
  }

  /**
   * The messages of stream {@code s}: a config that makes every frame OCR'd (negative change
   * threshold: no reuse), then frames 1..M as raw RGB, cycling through the rendered ones.
   */
  static List<StreamFramesRequest> messages(List<ByteString> frames, int s, int framesPerStream) {
    List<StreamFramesRequest> msgs = new ArrayList<>();
    msgs.add(StreamFramesRequest.newBuilder()
        // The bottom quarter named explicitly: every run reads the same band (and answers every
        // line in it) whether or not the server finds subtitle regions itself.
        .setConfig(StreamConfig.newBuilder().setChangeThreshold(-1).setRegion(Region.newBuilder()
            .setNormalized(NormalizedRect.newBuilder().setX(0).setY(0.75f).setWidth(1).setHeight(0.25f))))
        .build());
    for (int i = 1; i <= framesPerStream; i++) {
      Image img = Image.newBuilder().setRaw(RawImage.newBuilder().setWidth(W).setHeight(H)
          .setFormat(PixelFormat.PIXEL_FORMAT_RGB8).setData(frames.get((s + i) % frames.size()))).build();
      msgs.add(StreamFramesRequest.newBuilder().setFrame(
          Frame.newBuilder().setSeq(i).setPtsMs(i * 40L).setImage(img)).build());
    }
    return msgs;
  }

  /** The same pipeline called in process with {@code concurrency} requests in flight. */
  Result inProcess(int concurrency, int total) throws Exception {
    Sampler sampler = Sampler.start();
    long t0 = System.nanoTime();
    PipelineLoad.Run run = local.run(PipelineLoad.Shape.STREAM_FRAME, concurrency, total);
    Histogram h = run.latencyMicros();
    return result("in-process", concurrency, total, t0, h, h, sampler);
  }

  private Result result(String mode, int streams, int frames, long t0, Histogram h, Histogram server,
      Sampler sampler) {
    double seconds = (System.nanoTime() - t0) / 1e9;
    Sampler.Usage u = sampler.stop();
    return new Result(local.variant, mode, streams, frames, frames / seconds,
        h.getValueAtPercentile(50) / 1000.0, h.getValueAtPercentile(99) / 1000.0,
        server.getValueAtPercentile(50) / 1000.0, server.getValueAtPercentile(99) / 1000.0,
        local.detBatch(), local.recBatch(), u.maxHeapMb(), u.cpuPercent());
  }

  @Override
  public void close() throws Exception {
    channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    server.shutdownGracefully();
    local.close();
  }

  /** Samples used heap every 100 ms and the process CPU time over the run. */
  static final class Sampler {
    record Usage(long maxHeapMb, double cpuPercent) {}

    private final Thread thread;
    private final long cpu0 = cpuNanos();
    private final long wall0 = System.nanoTime();
    private volatile boolean stop;
    private volatile long maxHeap;

    private Sampler() {
      thread = new Thread(() -> {
        while (!stop) {
          maxHeap = Math.max(maxHeap, ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
          try {
            Thread.sleep(100);
          } catch (InterruptedException e) {
            return;
          }
        }
      }, "sampler");
      thread.setDaemon(true);
    }

    static Sampler start() {
      Sampler s = new Sampler();
      s.thread.start();
      return s;
    }

    Usage stop() {
      stop = true;
      double wall = System.nanoTime() - wall0;
      double cpu = cpuNanos() - cpu0;
      int cores = Runtime.getRuntime().availableProcessors();
      return new Usage(maxHeap / (1024 * 1024), 100.0 * cpu / wall / cores);
    }

    private static long cpuNanos() {
      return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
          .getProcessCpuTime();
    }
  }
}
