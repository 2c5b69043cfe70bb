package dev.ocrgate.cli;

import com.google.protobuf.UnsafeByteOperations;
import dev.ocrgate.api.v1.Frame;
import dev.ocrgate.api.v1.FrameResult;
import dev.ocrgate.api.v1.Image;
import dev.ocrgate.api.v1.NormalizedRect;
import dev.ocrgate.api.v1.PixelFormat;
import dev.ocrgate.api.v1.RawImage;
import dev.ocrgate.api.v1.Region;
import dev.ocrgate.api.v1.StreamConfig;
import dev.ocrgate.api.v1.StreamMode;
import dev.ocrgate.client.FrameListener;
import dev.ocrgate.client.FrameStream;
import dev.ocrgate.client.OcrClient;
import dev.ocrgate.client.SubtitleCue;
import dev.ocrgate.client.SubtitleCues;
import dev.ocrgate.client.SubtitleFormat;
import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicReference;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code ocrgate subtitles VIDEO...}: burned-in subtitles to an SRT or WebVTT file. ffmpeg samples
 * the video at {@code --fps}, crops the {@code --roi} band if one is given (else the server finds
 * the subtitles in the whole frame, and the SDK sends only the rows around the band it answered
 * with, see OcrClient.Builder#cropSubtitleFrames) and pipes raw RGB frames; they are
 * streamed through the SDK (which survives token expiry and server restarts) and the results are
 * turned into cues on the client. Several videos ({@code --output-dir}) share one JVM and one
 * connection, {@code --jobs} of them at a time; one that fails does not stop the others. Exit
 * status: 0 done, 1 failed (any video), 2 bad usage, 3 ffmpeg missing.
 */
@Command(
    name = "subtitles",
    mixinStandardHelpOptions = true,
    description = "Extracts burned-in subtitles from a video (needs ffmpeg) into SRT or WebVTT.")
final class SubtitlesCommand implements Callable<Integer> {
  static final int EXIT_FAILED = 1;
  static final int EXIT_NO_FFMPEG = 3;
  /** Upper bound of --jobs: each job holds an ffmpeg process and a stream's window of frames. */
  static final int MAX_JOBS = 8;

  @Spec CommandSpec spec;

  @Parameters(arity = "1..*", paramLabel = "VIDEO", description = "Video file(s) (anything ffmpeg reads); several need --output-dir.")
  List<Path> videos;

  @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "Output file of one video (default: standard output).")
  Path output;

  @Option(
      names = "--output-dir",
      paramLabel = "DIR",
      description = "Write each video's cues to DIR/NAME.srt (.vtt with --format vtt), NAME being the video's file name "
          + "without its extension; DIR is created if missing. Needed for several videos.")
  Path outputDir;

  @Option(
      names = "--jobs",
      paramLabel = "N",
      description = "Videos extracted at once, 1.." + MAX_JOBS + ", over one connection (default ${DEFAULT-VALUE}).",
      defaultValue = "1")
  int jobs;

  @Option(names = "--format", description = "srt or vtt (default: from the output file's extension, else srt).")
  SubtitleFormat format;

  @Option(names = "--fps", description = "Frames sampled per second, in (0, 30] (default ${DEFAULT-VALUE}).", defaultValue = "5")
  double fps;

  @Option(
      names = "--roi",
      paramLabel = "X,Y,W,H",
      description = "Region to read, as fractions of the frame, e.g. 0,0.75,1,0.25 for the bottom quarter "
          + "(default: none, the server finds the subtitles in the whole frame).")
  String roi;

  @Option(
      names = "--exact-decode",
      description = "Decode every frame exactly as encoded. By default ffmpeg skips the in-loop deblocking filter "
          + "and frames no other frame refers to, which makes decoding faster without changing the text read.")
  boolean exactDecode;

  @Option(
      names = "--pixels",
      paramLabel = "rgb|gray",
      description = "Pixels sent to the server: rgb (colour) or gray (luma only, a third of the bytes) "
          + "(default ${DEFAULT-VALUE}).",
      defaultValue = "rgb")
  String pixels;

  @Option(
      names = "--whole-frames",
      description = "Send every frame whole. By default, once the server has found the subtitle band, frames are sent "
          + "as the rows around it (and whole every 2 s of video), which the server reads the same way; "
          + "only to servers that say they read Frame.rows (older ones get every frame whole anyway). "
          + "No effect with --roi.")
  boolean wholeFrames;

  @Mixin ClientOptions client;

  PrintStream err = System.err;
  PrintStream out = System.out;
  Boolean terminal; // null: System.console() decides
  String ffmpeg = "ffmpeg"; // program names; tests point them elsewhere
  String ffprobe = "ffprobe";

  @Override
  public Integer call() throws Exception {
    double[] region = roi == null ? null : parseRoi();
    if (!(fps > 0 && fps <= 30)) {
      throw new ParameterException(spec.commandLine(), "--fps must be in (0, 30], was " + fps);
    }
    if (jobs < 1 || jobs > MAX_JOBS) {
      throw new ParameterException(spec.commandLine(), "--jobs must be in 1.." + MAX_JOBS + ", was " + jobs);
    }
    List<Target> targets = targets();
    if (outputDir != null) {
      Files.createDirectories(outputDir);
    }
    try (OcrClient c = client.build(b -> b.cropSubtitleFrames(!wholeFrames))) {
      if (targets.size() == 1) {
        return extractAndWrite(c, targets.get(0), region, null);
      }
      return extractAll(c, targets, region);
    }
  }

  /** Where one video's cues go: {@code output} null = standard output. */
  private record Target(Path video, Path output, SubtitleFormat format) {}

  /** The videos and their outputs, checked before any work starts (usage errors exit 2). */
  private List<Target> targets() {
    if (output != null && outputDir != null) {
      throw new ParameterException(spec.commandLine(), "-o and --output-dir exclude each other");
    }
    if (videos.size() > 1 && outputDir == null) {
      throw new ParameterException(spec.commandLine(),
          videos.size() + " videos need --output-dir DIR (each video's cues go to DIR/NAME." + defaultFormat().extension() + ")");
    }
    if (outputDir == null) {
      SubtitleFormat fmt = format != null ? format : output != null ? SubtitleFormat.forFileName(output.toString()) : SubtitleFormat.SRT;
      return List.of(new Target(videos.get(0), output, fmt));
    }
    SubtitleFormat fmt = defaultFormat();
    Map<Path, Path> byOutput = new LinkedHashMap<>();
    List<Target> targets = new ArrayList<>();
    for (Path v : videos) {
      Path out = outputDir.resolve(baseName(v) + "." + fmt.extension());
      Path before = byOutput.putIfAbsent(out, v);
      if (before != null) {
        throw new ParameterException(spec.commandLine(), before + " and " + v + " would both write " + out);
      }
      targets.add(new Target(v, out, fmt));
    }
    return targets;
  }

  private SubtitleFormat defaultFormat() {
    return format != null ? format : SubtitleFormat.SRT;
  }

  private static String baseName(Path video) {
    String name = video.getFileName().toString();
    int dot = name.lastIndexOf('.');
    return dot > 0 ? name.substring(0, dot) : name;
  }

  /**
   * Every video, {@code jobs} at a time; each reports on its own, a failed one does not stop the
   * others. Exit: ffmpeg missing if it was (no video can work), else failed if any video failed.
   */
  private int extractAll(OcrClient c, List<Target> targets, double[] region) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(Math.min(jobs, targets.size()), r -> {
      Thread t = new Thread(r, "subtitles-job");
      t.setDaemon(true);
      return t;
    });
    try {
      List<Future<Integer>> runs = new ArrayList<>();
      for (Target t : targets) {
        runs.add(pool.submit(() -> extractAndWrite(c, t, region, t.video().getFileName().toString())));
      }
      int exit = 0;
      int failed = 0;
      for (Future<Integer> run : runs) {
        int e = run.get();
        failed += e == 0 ? 0 : 1;
        exit = e == EXIT_NO_FFMPEG || exit == EXIT_NO_FFMPEG ? EXIT_NO_FFMPEG : Math.max(exit, e);
      }
      err.println("subtitles: " + (targets.size() - failed) + " of " + targets.size() + " videos done"
          + (failed > 0 ? ", " + failed + " failed" : "") + " (" + outputDir + ")");
      return exit;
    } finally {
      pool.shutdownNow();
    }
  }

  /** One video: its cues written, or why not on stderr ({@code label}: its name, with several). */
  private int extractAndWrite(OcrClient c, Target target, double[] region, String label) throws Exception {
    String named = label == null ? "" : label + ": ";
    String prefix = "ocrgate subtitles: " + named;
    try {
      List<SubtitleCue> cues = extract(c, target.video(), region, label);
      write(cues, target);
      err.println("subtitles: " + named + cues.size() + " cues"
          + (target.output() != null ? " written to " + target.output() : ""));
      return 0;
    } catch (FfmpegVideo.MissingToolException e) {
      err.println(prefix + e.getMessage());
      return EXIT_NO_FFMPEG;
    } catch (IOException e) {
      err.println(prefix + e.getMessage());
      return EXIT_FAILED;
    } catch (StatusRuntimeException e) {
      err.println(prefix + "the server ended the stream: " + client.describe(e));
      return EXIT_FAILED;
    }
  }

  /**
   * Opens the stream first, so that connecting (TLS, token, HTTP/2) runs on the SDK's threads while
   * ffprobe reads the video here; then starts ffmpeg and sends its frames.
   */
  private List<SubtitleCue> extract(OcrClient c, Path video, double[] region, String label) throws Exception {
    long intervalMs = Math.max(1, Math.round(1000 / fps));
    SubtitleCues cues = new SubtitleCues(0.8, intervalMs);
    AtomicReference<Progress> progress = new AtomicReference<>();
    CompletableFuture<Void> done = new CompletableFuture<>();
    FrameListener listener = new FrameListener() {
      @Override
      public void onResult(FrameResult result) {
        cues.accept(result);
        progress.get().frameDone(result.getPtsMs()); // set before the first frame is sent
      }

      @Override
      public void onCompleted() {
        done.complete(null);
      }

      @Override
      public void onError(StatusRuntimeException error) {
        done.completeExceptionally(error);
      }
    };
    FrameStream stream = c.streamFrames(config(intervalMs, region != null), listener);
    try {
      FfmpegVideo.Probe probe = FfmpegVideo.probe(ffprobe, video);
      FfmpegVideo.Crop crop = FfmpegVideo.Crop.of(region == null ? new double[] {0, 0, 1, 1} : region,
          probe.width(), probe.height());
      progress.set(new Progress(err, terminal != null ? terminal : System.console() != null, System::nanoTime,
          probe.durationMs(), label));
      try (FfmpegVideo decoder = FfmpegVideo.open(ffmpeg, video, fps, crop, decoding(), pixels())) {
        if (send(decoder, stream, done)) {
          decoder.finish();
        }
      }
    } catch (Exception e) {
      stream.cancel();
      throw e;
    }
    awaitEnd(done);
    progress.get().finish();
    return cues.finish();
  }

  private FfmpegVideo.Pixels pixels() {
    return switch (pixels) {
      case "rgb" -> FfmpegVideo.Pixels.RGB;
      case "gray" -> FfmpegVideo.Pixels.GRAY;
      default -> throw new ParameterException(spec.commandLine(), "--pixels must be rgb or gray, was " + pixels);
    };
  }

  private FfmpegVideo.Decoding decoding() {
    return exactDecode ? FfmpegVideo.Decoding.EXACT : FfmpegVideo.Decoding.FAST;
  }

  /** Sends every frame and completes the stream; false when the stream failed first. */
  private boolean send(FfmpegVideo decoder, FrameStream stream, CompletableFuture<Void> done) throws Exception {
    byte[] pixels;
    for (long seq = 0; !done.isDone() && (pixels = decoder.next()) != null; seq++) {
      RawImage raw = RawImage.newBuilder()
          .setWidth(decoder.crop().width())
          .setHeight(decoder.crop().height())
          .setFormat(decoder.pixels() == FfmpegVideo.Pixels.GRAY ? PixelFormat.PIXEL_FORMAT_GRAY8 : PixelFormat.PIXEL_FORMAT_RGB8)
          .setData(UnsafeByteOperations.unsafeWrap(pixels)) // a fresh array nobody writes again
          .build();
      Frame frame = Frame.newBuilder()
          .setSeq(seq)
          .setPtsMs(Math.round(seq * 1000 / fps))
          .setImage(Image.newBuilder().setRaw(raw))
          .build();
      try {
        stream.send(frame);
      } catch (IllegalStateException e) {
        // We never complete() before sending, so the stream has ended. The SDK marks it ended
        // before it calls the listener, so `done` may not be completed yet: awaitEnd waits for
        // the listener and reports the status (checking done.isDone() here raced with it and
        // let the exception escape to picocli, exit 1 with a stack trace).
        return false;
      }
    }
    if (done.isDone()) {
      return false;
    }
    stream.complete();
    return true;
  }

  private static void awaitEnd(CompletableFuture<Void> done) throws InterruptedException {
    try {
      done.get();
    } catch (ExecutionException e) {
      if (e.getCause() instanceof StatusRuntimeException s) {
        throw s;
      }
      throw new IllegalStateException(e.getCause());
    }
  }

  /**
   * Frames cropped by ffmpeg ({@code --roi}) are read whole; full frames are sent with no region,
   * so the server finds the subtitle band.
   */
  private static StreamConfig config(long intervalMs, boolean cropped) {
    StreamConfig.Builder c = StreamConfig.newBuilder()
        .setMode(StreamMode.STREAM_MODE_SUBTITLE)
        .setFrameIntervalMs((int) intervalMs);
    if (cropped) {
      c.setRegion(Region.newBuilder().setNormalized(NormalizedRect.newBuilder().setX(0).setY(0).setWidth(1).setHeight(1)));
    }
    return c.build();
  }

  private void write(List<SubtitleCue> cues, Target target) throws IOException {
    SubtitleFormat fmt = target.format();
    Path output = target.output();
    if (output == null) {
      Writer w = new OutputStreamWriter(out, StandardCharsets.UTF_8);
      fmt.write(cues, w);
      w.flush();
      return;
    }
    Path tmp = output.resolveSibling(output.getFileName() + ".part");
    try (Writer w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
      fmt.write(cues, w);
    }
    Files.move(tmp, output, StandardCopyOption.REPLACE_EXISTING);
  }

  private double[] parseRoi() {
    String[] parts = roi.split(",");
    double[] r = new double[4];
    try {
      if (parts.length != 4) {
        throw new NumberFormatException();
      }
      for (int i = 0; i < 4; i++) {
        r[i] = Double.parseDouble(parts[i].strip());
      }
    } catch (NumberFormatException e) {
      throw new ParameterException(spec.commandLine(), "--roi must be X,Y,W,H fractions, e.g. 0,0.75,1,0.25; was " + roi);
    }
    boolean ok = r[0] >= 0 && r[1] >= 0 && r[2] > 0 && r[3] > 0 && r[0] + r[2] <= 1.0001 && r[1] + r[3] <= 1.0001;
    if (!ok) {
      throw new ParameterException(spec.commandLine(), "--roi must satisfy x,y >= 0, w,h > 0, x+w <= 1, y+h <= 1; was " + roi);
    }
    return r;
  }
}
