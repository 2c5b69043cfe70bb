package dev.ocrgate.bench.subtitles;

import com.google.protobuf.ByteString;
import dev.ocrgate.api.v1.Frame;
import dev.ocrgate.api.v1.FrameResult;
import dev.ocrgate.api.v1.Image;
import dev.ocrgate.api.v1.NormalizedRect;
import dev.ocrgate.api.v1.OcrServiceGrpc;
import dev.ocrgate.api.v1.PixelFormat;
import dev.ocrgate.api.v1.RawImage;
import dev.ocrgate.api.v1.Region;
import dev.ocrgate.api.v1.StreamConfig;
import dev.ocrgate.api.v1.StreamFramesRequest;
import dev.ocrgate.api.v1.StreamFramesResponse;
import dev.ocrgate.api.v1.StreamMode;
import dev.ocrgate.api.v1.TextLine;
import dev.ocrgate.server.OcrgateServer;
import dev.ocrgate.server.batch.BatchListener;
import dev.ocrgate.server.config.EngineSection;
import dev.ocrgate.server.config.OcrgateConfig;
import dev.ocrgate.server.engine.OnnxEngine;
import dev.ocrgate.server.ocr.BatchedOcrPipeline;
import dev.ocrgate.server.ocr.BatchingSpec;
import dev.ocrgate.server.ocr.ModelRepository;
import dev.ocrgate.server.stream.StreamFramesService;
import dev.ocrgate.server.stream.StreamListener;
import dev.ocrgate.server.testing.TestTls;
import dev.ocrgate.server.vision.ImageDecoder;
import dev.ocrgate.server.vision.ImageLimits;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Audits the stream's "same subtitle as the last read frame" decisions on a subtitle set: each
 * video is sampled and cropped as {@code ocrgate subtitles} does by default (ffmpeg {@code fps},
 * bottom quarter) and streamed to an in-process server (real TLS, real models, the server's
 * default streaming settings); every answer's {@code reused_from_seq} is checked against the truth
 * SRT.
 *
 * <p>A sampled frame n (pts n × T) shows the last source frame before (n + ½) × T (ffmpeg's fps
 * filter keeps, for each output slot, the last input frame rounded to it), so its truth is the
 * text at that source frame's time. libass keeps cue times in centiseconds, so a cue boundary
 * within 10 ms of that time leaves the frame's truth open. A reuse is <b>false</b> when the two
 * frames' truths differ, <b>possible</b> when they may differ only through such an open boundary.
 *
 * <p>Usage: {@code ChangeAudit --set DIR --results FILE [--models DIR] [--fps 5]
 * [--gap-frames read|learn|reuse]}; every video's decisions also go to
 * {@code <video>.decisions.tsv} next to the results file.
 */
public final class ChangeAudit {
  /**
   * {@code verified}: frames answered by rereading the last read lines (the server's listener);
   * {@code sameText}: frames not reused whose truth surely changed from the frame before and
   * whose answer is exactly the frame before's text (a reread that verified a changed subtitle,
   * or a read that misread it as the old text).
   */
  record Row(String video, int sampled, int read, int reused, int falseReuses, int possible, int errors,
      int verified, int sameText) {}

  private final ManagedChannel channel;
  private final OcrgateServer server;
  private final BatchedOcrPipeline pipeline;
  private final OnnxEngine onnx;
  private final AtomicInteger verified = new AtomicInteger();

  private ChangeAudit(Path models, String gapFrames) throws IOException {
    BatchingSpec spec = ModelRepository.load(models).config().batching;
    EngineSection engine = new EngineSection();
    engine.provider = "cpu";
    onnx = OnnxEngine.create(engine);
    pipeline = BatchedOcrPipeline.create(ModelRepository.load(models), onnx, spec.cpu,
        BatchListener.NONE, BatchListener.NONE, false);
    pipeline.warmUp();
    OcrgateConfig config = new OcrgateConfig();
    config.server.port = 0;
    config.streaming.gap_frames = gapFrames;
    TestTls.certs().applyTo(config.tls);
    ImageLimits limits = new ImageLimits(20_000_000, 40_000_000);
    ExecutorService prepare = StreamFramesService.preparationExecutor();
    StreamFramesService streams = StreamFramesService.create(pipeline,
        image -> ImageDecoder.decode(image, limits), prepare, config.streaming,
        config.streaming.framesInFlight(pipeline.detectionBatcher().policy().queueCapacity()),
        new StreamListener() {
          @Override
          public void onFrameAnswered(Answer answer, Status.Code code) {
            if (answer == Answer.VERIFIED && code == Status.Code.OK) {
              verified.incrementAndGet();
            }
          }
        });
    server = OcrgateServer.builder(config).onClose(prepare::shutdown).addService(new OcrServiceGrpc.OcrServiceImplBase() {
      @Override
      public StreamObserver<StreamFramesRequest> streamFrames(StreamObserver<StreamFramesResponse> r) {
        return streams.open(r);
      }
    }).build().start();
    channel = NettyChannelBuilder.forAddress("localhost", server.port(), TestTls.clientCredentials()).build();
  }

  public static void main(String[] args) throws Exception {
    Path set = null;
    Path results = null;
    Path models = Path.of("models/ppocr-v4");
    double fps = 5;
    String gapFrames = new OcrgateConfig().streaming.gap_frames;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--set" -> set = Path.of(args[++i]);
        case "--results" -> results = Path.of(args[++i]);
        case "--models" -> models = Path.of(args[++i]);
        case "--fps" -> fps = Double.parseDouble(args[++i]);
        case "--gap-frames" -> gapFrames = args[++i];
        default -> throw new IllegalArgumentException("unknown argument " + args[i]);
      }
    }
    if (set == null || results == null) {
      throw new IllegalArgumentException("usage: ChangeAudit --set DIR --results FILE [--models DIR] [--fps N] [--gap-frames read|learn|reuse]");
    }
    List<Path> videos;
    try (Stream<Path> files = Files.list(set)) {
      videos = files.filter(p -> p.toString().endsWith(".mp4")).sorted().toList();
    }
    ChangeAudit audit = new ChangeAudit(models, gapFrames);
    List<Row> rows = new ArrayList<>();
    try {
      for (Path video : videos) {
        Row row = audit.run(video, fps, results.toAbsolutePath().getParent());
        System.err.println(row);
        rows.add(row);
      }
    } finally {
      audit.close();
    }
    Files.writeString(results, table(rows, String.join(" ", args)), StandardCharsets.UTF_8);
  }

  private Row run(Path video, double fps, Path decisions) throws Exception {
    List<Srt.Cue> truth = Srt.read(Path.of(video.toString().replaceAll("\\.mp4$", ".srt")));
    long interval = Math.round(1000 / fps);
    List<StreamFramesRequest> msgs = new ArrayList<>();
    msgs.add(StreamFramesRequest.newBuilder().setConfig(StreamConfig.newBuilder()
        .setRegion(Region.newBuilder().setNormalized(NormalizedRect.newBuilder().setWidth(1).setHeight(1)))
        .setMode(StreamMode.STREAM_MODE_SUBTITLE).setFrameIntervalMs((int) interval)).build());
    List<Long> pts = new ArrayList<>();
    VideoProbe probe = VideoProbe.of(video);
    double sourceFps = probe.fps();
    for (Image image : sample(video, fps, probe.width(), probe.height())) {
      long seq = pts.size() + 1;
      pts.add(Math.round((seq - 1) * 1000 / fps));
      msgs.add(StreamFramesRequest.newBuilder().setFrame(Frame.newBuilder()
          .setSeq(seq).setPtsMs(pts.get(pts.size() - 1)).setImage(image)).build());
    }
    Collector c = new Collector(msgs);
    int verifiedBefore = verified.get();
    OcrServiceGrpc.newStub(channel).streamFrames(c);
    Status status = c.done.get(30, TimeUnit.MINUTES);
    if (!status.isOk()) {
      throw new IllegalStateException(video + ": stream ended with " + status);
    }
    writeDecisions(decisions, video, c.results);
    return score(video.getFileName().toString(), c.results, truth, interval, sourceFps, verified.get() - verifiedBefore);
  }

  static Row score(String video, List<FrameResult> results, List<Srt.Cue> truth, long interval, double sourceFps,
      int verified) {
    int read = 0;
    int sameText = 0;
    FrameResult before = null;
    int reused = 0;
    int falseReuses = 0;
    int possible = 0;
    int errors = 0;
    for (FrameResult r : results) {
      if (r.hasError()) {
        errors++;
      } else if (!r.hasReusedFromSeq()) {
        read++;
        if (before != null && !before.hasError() && text(before).equals(text(r))) {
          Set<String> now = shown(truth, sourceTime(r.getSeq() - 1, interval, sourceFps));
          now.retainAll(shown(truth, sourceTime(before.getSeq() - 1, interval, sourceFps)));
          sameText += now.isEmpty() ? 1 : 0;
        }
      } else {
        reused++;
        Set<String> now = shown(truth, sourceTime(r.getSeq() - 1, interval, sourceFps));
        Set<String> from = shown(truth, sourceTime(r.getReusedFromSeq() - 1, interval, sourceFps));
        if (!now.equals(from)) {
          Set<String> common = new LinkedHashSet<>(now);
          common.retainAll(from);
          if (common.isEmpty()) {
            falseReuses++;
          } else {
            possible++;
          }
        }
      }
      before = r;
    }
    return new Row(video, results.size(), read, reused, falseReuses, possible, errors, verified, sameText);
  }

  private static String text(FrameResult r) {
    return r.getLinesList().stream().map(TextLine::getText).collect(Collectors.joining("\n"));
  }

  /** The time (ms) of the source frame that sampled frame {@code n} (from 0) shows. */
  static double sourceTime(long n, long interval, double sourceFps) {
    long k = (long) Math.ceil((n + 0.5) * interval / 1000.0 * sourceFps - 1e-9) - 1;
    return k * 1000.0 / sourceFps;
  }

  /** The truth texts shown within 10 ms of {@code t} ("" = none). */
  static Set<String> shown(List<Srt.Cue> truth, double t) {
    Set<String> texts = new LinkedHashSet<>();
    for (double u : new double[] {t - 10, t, t + 10}) {
      String text = "";
      for (Srt.Cue cue : truth) {
        if (cue.startMs() <= u && u < cue.endMs()) {
          text = cue.text();
        }
      }
      texts.add(text);
    }
    return texts;
  }

  /** The video's frames as {@code ocrgate subtitles} samples them by default: fps, bottom quarter. */
  private static List<Image> sample(Path video, double fps, int w, int fullH) throws Exception {
    int y = Math.round(fullH * 0.75f);
    int h = fullH - y;
    Process p = new ProcessBuilder("ffmpeg", "-nostdin", "-loglevel", "error", "-i", video.toString(), "-an",
        "-vf", String.format(Locale.ROOT, "fps=%s,crop=%d:%d:0:%d", fps, w, h, y),
        "-f", "rawvideo", "-pix_fmt", "rgb24", "-").redirectError(ProcessBuilder.Redirect.INHERIT).start();
    List<Image> frames = new ArrayList<>();
    try (InputStream in = p.getInputStream()) {
      for (byte[] buf = in.readNBytes(w * h * 3); buf.length == w * h * 3; buf = in.readNBytes(w * h * 3)) {
        frames.add(Image.newBuilder().setRaw(RawImage.newBuilder().setWidth(w).setHeight(h)
            .setFormat(PixelFormat.PIXEL_FORMAT_RGB8).setData(ByteString.copyFrom(buf))).build());
      }
    }
    if (p.waitFor() != 0) {
      throw new IOException("ffmpeg failed on " + video);
    }
    return frames;
  }

  /** seq, pts and reused_from_seq (0 = read) of every answer, into {@code dir}, for re-scoring. */
  private static void writeDecisions(Path dir, Path video, List<FrameResult> results) throws IOException {
    StringBuilder sb = new StringBuilder("seq\tpts_ms\treused_from_seq\n");
    for (FrameResult r : results) {
      sb.append(r.getSeq()).append('\t').append(r.getPtsMs()).append('\t').append(r.getReusedFromSeq()).append('\n');
    }
    Files.writeString(dir.resolve(video.getFileName() + ".decisions.tsv"), sb.toString());
  }

  static String table(List<Row> rows, String args) {
    StringBuilder sb = new StringBuilder();
    sb.append("| video | frames sampled | answered by OCR | of which verified by a reread | OCR'd / sampled | reused"
        + " | false reuses | possible (cue boundary within 10 ms) | answered with the previous text across a change"
        + " | errors |\n");
    sb.append("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n");
    int[] sum = new int[8];
    for (Row r : rows) {
      int[] v = {r.sampled(), r.read(), r.verified(), r.reused(), r.falseReuses(), r.possible(), r.sameText(), r.errors()};
      sb.append(line(r.video(), v));
      for (int i = 0; i < v.length; i++) {
        sum[i] += v[i];
      }
    }
    sb.append(line("**all**", sum));
    sb.append("\nCommand: `ChangeAudit ").append(args).append("`\n");
    return sb.toString();
  }

  /** {@code v}: sampled, answered by OCR, verified, reused, false reuses, possible, same text, errors. */
  private static String line(String video, int[] v) {
    return String.format(Locale.ROOT, "| %s | %d | %d | %d | %.2f | %d | %d | %d | %d | %d |%n", video, v[0], v[1],
        v[2], v[0] == 0 ? 0.0 : (double) (v[1] - v[2]) / v[0], v[3], v[4], v[5], v[6], v[7]);
  }

  private void close() throws InterruptedException {
    channel.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
    server.shutdownGracefully();
    pipeline.close();
    onnx.close();
  }

  /** Sends the messages as flow control allows; keeps every FrameResult in arrival order. */
  private static final class Collector implements ClientResponseObserver<StreamFramesRequest, StreamFramesResponse> {
    final CompletableFuture<Status> done = new CompletableFuture<>();
    final List<FrameResult> results = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final List<StreamFramesRequest> messages;
    private ClientCallStreamObserver<StreamFramesRequest> requests;
    private int next;

    Collector(List<StreamFramesRequest> messages) {
      this.messages = messages;
    }

    @Override
    public void beforeStart(ClientCallStreamObserver<StreamFramesRequest> rs) {
      requests = rs;
      rs.setOnReadyHandler(this::pump);
    }

    private synchronized void pump() {
      while (requests.isReady() && next < messages.size()) {
        requests.onNext(messages.get(next++));
        if (next == messages.size()) {
          requests.onCompleted();
        }
      }
    }

    @Override
    public void onNext(StreamFramesResponse r) {
      if (r.hasResult()) {
        results.add(r.getResult());
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
}
