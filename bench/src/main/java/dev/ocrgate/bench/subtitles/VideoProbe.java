package dev.ocrgate.bench.subtitles;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/** Size and frame rate of a video's first video stream, as ffprobe reports them. */
record VideoProbe(int width, int height, double fps) {

  static VideoProbe of(Path video) throws IOException, InterruptedException {
    Process p = new ProcessBuilder("ffprobe", "-v", "error", "-select_streams", "v:0",
        "-show_entries", "stream=width,height,r_frame_rate", "-of", "csv=p=0", video.toString()).start();
    String[] out = new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).strip().split(",");
    if (p.waitFor() != 0 || out.length != 3) {
      throw new IOException("ffprobe failed on " + video);
    }
    return new VideoProbe(Integer.parseInt(out[0]), Integer.parseInt(out[1]), rate(out[2]));
  }

  /** A frame rate written as {@code num/den} or as a plain number. */
  static double rate(String fraction) {
    String[] nd = fraction.split("/");
    return nd.length == 2 ? Double.parseDouble(nd[0]) / Double.parseDouble(nd[1]) : Double.parseDouble(nd[0]);
  }
}
