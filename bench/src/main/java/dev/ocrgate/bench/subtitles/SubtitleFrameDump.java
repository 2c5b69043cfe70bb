package dev.ocrgate.bench.subtitles;

import com.google.protobuf.ByteString;
import dev.ocrgate.api.v1.Frame;
import dev.ocrgate.api.v1.FrameResult;
import dev.ocrgate.api.v1.Image;
import dev.ocrgate.api.v1.NormalizedRect;
import dev.ocrgate.api.v1.PixelFormat;
import dev.ocrgate.api.v1.RawImage;
import dev.ocrgate.api.v1.Region;
import dev.ocrgate.api.v1.StreamConfig;
import dev.ocrgate.api.v1.StreamMode;
import dev.ocrgate.client.BlockingFrameStream;
import dev.ocrgate.client.OcrClient;
import dev.ocrgate.client.TokenSources;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;

/**
 * Tuning aid for the cue rules: streams a video's sampled frames (whole frames, the band given as
 * the stream's region, no result reuse) through a running server and writes every
 * {@link FrameResult} (length-delimited protobuf) so cue rules can be replayed offline
 * ({@link SubtitleReplay}) without OCR'ing the video again.
 *
 * <p>Usage: {@code SubtitleFrameDump VIDEO OUT.frames FPS BAND_Y TARGET CA TOKEN}: BAND_Y is the top
 * of the band read, as a fraction of the frame height (the band reaches the bottom). The file
 * starts with the frame width and height (two delimited FrameResults whose seq hold them).
 */
public final class SubtitleFrameDump {
  private SubtitleFrameDump() {}

  public static void main(String[] args) throws Exception {
    Path video = Path.of(args[0]), out = Path.of(args[1]);
    double fps = Double.parseDouble(args[2]);
    float bandY = Float.parseFloat(args[3]);
    String[] size = new String(new ProcessBuilder("ffprobe", "-v", "error", "-select_streams", "v:0",
        "-show_entries", "stream=width,height", "-of", "csv=p=0", video.toString()).start()
        .getInputStream().readAllBytes()).strip().split(",");
    int w = Integer.parseInt(size[0]), h = Integer.parseInt(size[1]);
    Process ffmpeg = new ProcessBuilder("ffmpeg", "-nostdin", "-loglevel", "error", "-i", video.toString(), "-an",
        "-vf", "fps=" + fps, "-f", "rawvideo", "-pix_fmt", "rgb24", "-")
        .redirectError(ProcessBuilder.Redirect.INHERIT).start();
    StreamConfig config = StreamConfig.newBuilder()
        .setRegion(Region.newBuilder().setNormalized(NormalizedRect.newBuilder().setX(0).setY(bandY).setWidth(1).setHeight(1 - bandY)))
        .setMode(StreamMode.STREAM_MODE_SUBTITLE)
        .setChangeThreshold(-1)
        .setFrameIntervalMs((int) Math.round(1000 / fps))
        .build();
    try (OcrClient client = OcrClient.builder().target(args[4]).trustedCertificates(Path.of(args[5]))
            .tokenSource(TokenSources.staticToken(args[6])).build();
        BlockingFrameStream stream = client.openFrameStream(config);
        OutputStream o = Files.newOutputStream(out);
        InputStream in = ffmpeg.getInputStream()) {
      FrameResult.newBuilder().setSeq(w).build().writeDelimitedTo(o);
      FrameResult.newBuilder().setSeq(h).build().writeDelimitedTo(o);
      CompletableFuture<Void> reader = CompletableFuture.runAsync(() -> {
        try {
          for (FrameResult r : stream) {
            r.writeDelimitedTo(o);
          }
        } catch (IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      });
      DataInputStream data = new DataInputStream(in);
      byte[] buffer = new byte[w * h * 3];
      for (long seq = 0; ; seq++) {
        try {
          data.readFully(buffer);
        } catch (EOFException e) {
          break;
        }
        stream.send(Frame.newBuilder().setSeq(seq).setPtsMs(Math.round(seq * 1000 / fps))
            .setImage(Image.newBuilder().setRaw(RawImage.newBuilder().setWidth(w).setHeight(h)
                .setFormat(PixelFormat.PIXEL_FORMAT_RGB8).setData(ByteString.copyFrom(buffer))))
            .build());
      }
      stream.complete();
      reader.join();
    }
    ffmpeg.waitFor();
  }
}
