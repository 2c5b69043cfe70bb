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
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicReference;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code ocrgate subtitles VIDEO}: burned-in subtitles to an SRT or WebVTT file. ffmpeg samples
 * the video at {@code --fps}, crops the {@code --roi} band if one is given (else the server finds
 * the subtitles in the whole frame, and the SDK sends only the rows around the band it answered
 * with, see OcrClient.Builder#cropSubtitleFrames) and pipes raw RGB frames; they are
 * streamed through the SDK (which survives token expiry and server restarts) and the results are
 * turned into cues on the client. Exit status: 0 done, 1 failed, 2 bad usage, 3 ffmpeg missing.
 */
@Command(
    name = "subtitles",
    mixinStandardHelpOptions = true,
    description = "Extracts burned-in subtitles from a video (needs ffmpeg) into SRT or WebVTT.")
final class SubtitlesCommand implements Callable<Integer> {
  static final int EXIT_FAILED = 1;
  static final int EXIT_NO_FFMPEG = 3;

  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "VIDEO", description = "Video file (anything ffmpeg reads).")
  Path video;

  @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "Output file (default: standard output).")
  Path output;

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
    SubtitleFormat fmt = format != null ? format : output != null ? SubtitleFormat.forFileName(output.toString()) : SubtitleFormat.SRT;
    try {
      List<SubtitleCue> cues = extract(region);
      write(cues, fmt);
      err.println("subtitles: " + cues.size() + " cues" + (output != null ? " written to " + output : ""));
      return 0;
    } catch (FfmpegVideo.MissingToolException e) {
      err.println("ocrgate subtitles: " + e.getMessage());
      return EXIT_NO_FFMPEG;
    } catch (IOException e) {
      err.println("ocrgate subtitles: " + e.getMessage());
      return EXIT_FAILED;
    } catch (StatusRuntimeException e) {
      err.println("ocrgate subtitles: the server ended the stream: " + client.describe(e));
      return EXIT_FAILED;
    }
  }

  /**
   * Opens the stream first, so that connecting (TLS, token, HTTP/2) runs on the SDK's threads while
   * ffprobe reads the video here; then starts ffmpeg and sends its frames.
   */
  private List<SubtitleCue> extract(double[] region) throws Exception {
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
    try (OcrClient c = client.build(b -> b.cropSubtitleFrames(!wholeFrames))) {
      FrameStream stream = c.streamFrames(config(intervalMs, region != null), listener);
      try {
        FfmpegVideo.Probe probe = FfmpegVideo.probe(ffprobe, video);
        FfmpegVideo.Crop crop = FfmpegVideo.Crop.of(region == null ? new double[] {0, 0, 1, 1} : region,
            probe.width(), probe.height());
        progress.set(new Progress(err, terminal != null ? terminal : System.console() != null, System::nanoTime,
            probe.durationMs()));
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
    }
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

  private void write(List<SubtitleCue> cues, SubtitleFormat fmt) throws IOException {
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
