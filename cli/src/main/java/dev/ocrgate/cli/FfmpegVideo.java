package dev.ocrgate.cli;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * A video decoded by {@code ffmpeg} in a subprocess: {@code ffprobe} gives the size and duration,
 * then ffmpeg samples {@code fps} frames per second, crops the region of interest and writes raw
 * {@code rgb24} frames to a pipe, read here one frame at a time, each into its own array (which
 * the caller may keep and hand on without copying: this class never touches it again).
 *
 * <p>Decoding cost: ffmpeg decodes every frame the codec needs, although only {@code fps} of them
 * per second are kept. {@link Decoding#FAST} (the default) lets the decoder skip what sampled
 * text does not need; {@link Decoding#EXACT} decodes every frame as encoded. See
 * {@link #command} and bench/results/subtitle-speed.md for what each costs.
 *
 * <p>Not thread-safe: one reader. {@link #close} ends ffmpeg if it still runs.
 */
final class FfmpegVideo implements AutoCloseable {
  /** What the decoder may skip. */
  enum Decoding {
    /**
     * {@code -skip_loop_filter all -skip_frame noref}: no in-loop deblocking filter (H.264/HEVC:
     * edges of compression blocks stay a little sharper; burned-in text is unaffected in our
     * measurements), and frames no other frame refers to (e.g. non-reference B-frames) are not
     * decoded at all, so a sample may show the kept frame next to the one due, at most a frame or
     * two of the source away (40–80 ms at 25 fps), far less than a sampling interval. Decoders
     * without these features ignore them.
     */
    FAST,
    /** Every frame decoded exactly as encoded, as {@code ffmpeg -i VIDEO} does. */
    EXACT
  }

  /** The pixels ffmpeg writes. */
  enum Pixels {
    /** {@code rgb24}: 3 bytes per pixel, the colours as decoded. */
    RGB("rgb24", 3),
    /**
     * {@code gray}: 1 byte per pixel, the luma plane (for YUV sources ffmpeg copies it, no colour
     * conversion): a third of the bytes to move, encrypt and parse.
     */
    GRAY("gray", 1);

    final String ffmpegName;
    final int bytesPerPixel;

    Pixels(String ffmpegName, int bytesPerPixel) {
      this.ffmpegName = ffmpegName;
      this.bytesPerPixel = bytesPerPixel;
    }
  }

  /** Thrown when ffmpeg or ffprobe is not installed. */
  static final class MissingToolException extends IOException {
    MissingToolException(String tool) {
      super(tool + " is not installed or not on PATH; install it (Debian/Ubuntu: apt-get install ffmpeg)");
    }
  }

  /** What ffprobe says about the first video stream. */
  record Probe(int width, int height, long durationMs) {}

  /** A crop in pixels. */
  record Crop(int x, int y, int width, int height) {
    /** The pixel crop of a normalised {@code x,y,w,h} region, clipped to the frame, at least 1×1. */
    static Crop of(double[] roi, int frameWidth, int frameHeight) {
      int x = clamp((int) Math.round(roi[0] * frameWidth), 0, frameWidth - 1);
      int y = clamp((int) Math.round(roi[1] * frameHeight), 0, frameHeight - 1);
      int w = clamp((int) Math.round(roi[2] * frameWidth), 1, frameWidth - x);
      int h = clamp((int) Math.round(roi[3] * frameHeight), 1, frameHeight - y);
      return new Crop(x, y, w, h);
    }

    private static int clamp(int v, int lo, int hi) {
      return Math.max(lo, Math.min(hi, v));
    }
  }

  private final Process process;
  private final DataInputStream frames;
  private final ByteArrayOutputStream stderr = new ByteArrayOutputStream();
  private final Thread stderrPump;
  private final Crop crop;
  private final Pixels pixels;

  private FfmpegVideo(Process process, Crop crop, Pixels pixels) {
    this.process = process;
    this.crop = crop;
    this.pixels = pixels;
    this.frames = new DataInputStream(process.getInputStream());
    this.stderrPump = new Thread(() -> pump(process.getErrorStream(), stderr), "ffmpeg-stderr");
    this.stderrPump.setDaemon(true);
    this.stderrPump.start();
  }

  /** Runs ffprobe on {@code video}. */
  static Probe probe(String ffprobe, Path video) throws IOException, InterruptedException {
    List<String> cmd = List.of(
        ffprobe, "-v", "error", "-select_streams", "v:0",
        "-show_entries", "stream=width,height:format=duration,format_name",
        "-of", "default=noprint_wrappers=1", video.toString());
    Process p = start(cmd, ffprobe);
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IOException("ffprobe cannot read " + video + ": " + err.strip());
    }
    int w = 0;
    int h = 0;
    double duration = 0;
    String format = "";
    for (String line : out.split("\n")) {
      String[] kv = line.strip().split("=", 2);
      if (kv.length == 2 && !kv[1].equals("N/A")) {
        switch (kv[0]) {
          case "width" -> w = Integer.parseInt(kv[1]);
          case "height" -> h = Integer.parseInt(kv[1]);
          case "duration" -> duration = Double.parseDouble(kv[1]);
          case "format_name" -> format = kv[1];
          default -> { }
        }
      }
    }
    if (w <= 0 || h <= 0) {
      throw new IOException(video + " has no video stream");
    }
    // ffmpeg reads single images with its image demuxers (png_pipe, jpeg_pipe, image2, ...), which
    // have no duration: one frame, no subtitles to time.
    if (duration <= 0 && (format.endsWith("_pipe") || format.equals("image2"))) {
      throw new IOException(video + " is a still image, not a video: read it with 'ocrgate recognize "
          + video + "'");
    }
    return new Probe(w, h, Math.round(duration * 1000));
  }

  /** Starts decoding {@code video} at {@code fps}, cropped to {@code crop}. */
  static FfmpegVideo open(String ffmpeg, Path video, double fps, Crop crop, Decoding decoding) throws IOException {
    return open(ffmpeg, video, fps, crop, decoding, Pixels.RGB);
  }

  /** Starts decoding {@code video} at {@code fps}, cropped to {@code crop}, as {@code pixels}. */
  static FfmpegVideo open(String ffmpeg, Path video, double fps, Crop crop, Decoding decoding, Pixels pixels)
      throws IOException {
    return new FfmpegVideo(start(command(ffmpeg, video, fps, crop, decoding, pixels), ffmpeg), crop, pixels);
  }

  /**
   * The ffmpeg command line: decoder options (before {@code -i}), no audio, subtitle or data
   * output, the video sampled by the {@code fps} filter first so that everything after it (crop,
   * conversion to {@code rgb24}) runs on the sampled frames only, then raw {@code rgb24} to
   * standard output.
   */
  static List<String> command(String ffmpeg, Path video, double fps, Crop crop, Decoding decoding) {
    return command(ffmpeg, video, fps, crop, decoding, Pixels.RGB);
  }

  /** As above, writing {@code pixels}. */
  static List<String> command(String ffmpeg, Path video, double fps, Crop crop, Decoding decoding, Pixels pixels) {
    List<String> cmd = new ArrayList<>(List.of(ffmpeg, "-nostdin", "-hide_banner", "-loglevel", "error"));
    if (decoding == Decoding.FAST) {
      cmd.addAll(List.of("-skip_loop_filter", "all", "-skip_frame", "noref"));
    }
    String filter = String.format(Locale.ROOT, "fps=%s,crop=%d:%d:%d:%d",
        trim(fps), crop.width(), crop.height(), crop.x(), crop.y());
    cmd.addAll(List.of("-i", video.toString(), "-an", "-sn", "-dn",
        "-vf", filter, "-f", "rawvideo", "-pix_fmt", pixels.ffmpegName, "pipe:1"));
    return List.copyOf(cmd);
  }

  Crop crop() {
    return crop;
  }

  Pixels pixels() {
    return pixels;
  }

  /** Bytes of one frame. */
  int frameBytes() {
    return crop.width() * crop.height() * pixels.bytesPerPixel;
  }

  /**
   * Reads the next frame: a new array of {@link #frameBytes()} bytes that this class does not
   * keep, so the caller may wrap it without a copy (one copy less per frame than a reused buffer
   * copied into the message; the allocation happened for that copy anyway).
   *
   * @return null at the end of the video
   * @throws IOException if ffmpeg stopped in the middle of a frame or failed
   */
  byte[] next() throws IOException {
    byte[] frame = new byte[frameBytes()];
    try {
      frames.readFully(frame);
      return frame;
    } catch (EOFException e) {
      return null;
    }
  }

  /** Waits for ffmpeg to exit; throws with its messages if it failed. */
  void finish() throws IOException, InterruptedException {
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new IOException("ffmpeg did not exit");
    }
    stderrPump.join(5_000);
    if (process.exitValue() != 0) {
      throw new IOException("ffmpeg failed (exit " + process.exitValue() + "): "
          + stderr.toString(StandardCharsets.UTF_8).strip());
    }
  }

  @Override
  public void close() {
    if (process.isAlive()) {
      process.destroy();
    }
  }

  private static Process start(List<String> cmd, String tool) throws IOException {
    try {
      return new ProcessBuilder(cmd).start();
    } catch (IOException e) {
      throw new MissingToolException(tool);
    }
  }

  private static String trim(double fps) {
    return fps == Math.rint(fps) ? Long.toString((long) fps) : Double.toString(fps);
  }

  private static void pump(InputStream in, ByteArrayOutputStream sink) {
    byte[] buf = new byte[4096];
    try {
      int n;
      while ((n = in.read(buf)) > 0) {
        synchronized (sink) {
          if (sink.size() < 64 * 1024) {
            sink.write(buf, 0, n);
          }
        }
      }
    } catch (IOException e) {
      // ffmpeg went away; its exit status tells the rest
    }
  }
}
