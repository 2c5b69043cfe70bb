package dev.ocrgate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ocrgate.server.testing.ExternalTools;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The ffmpeg command line {@link FfmpegVideo} runs, and what the fast decoding gives on a real
 * H.264 video with B-frames: the same sampled frames as exact decoding.
 */
class FfmpegVideoTest {
  private static final FfmpegVideo.Crop BAND = new FfmpegVideo.Crop(0, 90, 160, 30);

  @TempDir Path dir;

  @Test
  void verify_fastCommand_skipsLoopFilterAndUnreferencedFrames_beforeTheInput() {
    List<String> cmd = FfmpegVideo.command("ffmpeg", Path.of("in.mp4"), 5, BAND, FfmpegVideo.Decoding.FAST);

    int input = cmd.indexOf("-i");
    assertThat(cmd.get(input + 1)).isEqualTo("in.mp4");
    assertThat(cmd.subList(0, input)).containsSequence("-skip_loop_filter", "all").containsSequence("-skip_frame", "noref");
    assertThat(cmd.subList(input, cmd.size())).doesNotContain("-skip_loop_filter", "-skip_frame");
  }

  @Test
  void verify_exactCommand_skipsNothing() {
    List<String> cmd = FfmpegVideo.command("ffmpeg", Path.of("in.mp4"), 5, BAND, FfmpegVideo.Decoding.EXACT);

    assertThat(cmd).doesNotContain("-skip_loop_filter", "-skip_frame");
    assertThat(cmd.get(0)).isEqualTo("ffmpeg");
  }

  @Test
  void verify_filterChain_samplesBeforeCropping_andWritesRawRgbToStdout() {
    List<String> cmd = FfmpegVideo.command("/opt/ff", Path.of("a b.mkv"), 2.5, BAND, FfmpegVideo.Decoding.FAST);

    assertThat(cmd.get(0)).isEqualTo("/opt/ff");
    assertThat(cmd).containsSequence("-vf", "fps=2.5,crop=160:30:0:90");
    assertThat(cmd).contains("-nostdin", "-an", "-sn", "-dn");
    assertThat(cmd.subList(cmd.size() - 5, cmd.size())).containsExactly("-f", "rawvideo", "-pix_fmt", "rgb24", "pipe:1");
  }

  @Test
  void verify_fastDecoding_ofH264WithBFrames_samplesTheSameFramesAsExact() throws Exception {
    String ffmpeg = ExternalTools.require("ffmpeg", "ffmpeg");
    Path video = dir.resolve("bframes.mp4");
    // 4 s at 25 fps, one key frame, 3 B-frames: moving pattern on top, a band that is red from
    // 1.1 s to 2.3 s and black otherwise (changes between samples, which are 200 ms apart).
    Process p = new ProcessBuilder(
        ffmpeg, "-nostdin", "-v", "error", "-y",
        "-f", "lavfi", "-i", "testsrc2=s=160x120:d=4:r=25",
        "-f", "lavfi", "-i", "color=c=black:s=160x30:d=4:r=25",
        "-f", "lavfi", "-i", "color=c=red:s=160x30:d=4:r=25",
        "-filter_complex", "[0][1]overlay=0:90[a];[a][2]overlay=0:90:enable='between(t,1.1,2.3)'",
        "-c:v", "libx264", "-preset", "veryfast", "-bf", "3", "-g", "250", "-pix_fmt", "yuv420p", video.toString())
        .redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0).as(out).isTrue();

    List<Boolean> exact = redSamples(ffmpeg, video, FfmpegVideo.Decoding.EXACT);
    List<Boolean> fast = redSamples(ffmpeg, video, FfmpegVideo.Decoding.FAST);

    assertThat(exact).hasSize(20);
    assertThat(exact.subList(6, 12)).containsOnly(true); // 1.2 s .. 2.2 s
    assertThat(exact.subList(0, 6)).containsOnly(false);
    assertThat(exact.subList(12, 20)).containsOnly(false);
    assertThat(fast).isEqualTo(exact);
  }

  @Test
  void verify_grayPixels_oneBytePerPixel_writtenAsGray() {
    List<String> cmd = FfmpegVideo.command("ffmpeg", Path.of("in.mp4"), 5, BAND, FfmpegVideo.Decoding.FAST,
        FfmpegVideo.Pixels.GRAY);

    assertThat(cmd.subList(cmd.size() - 5, cmd.size())).containsExactly("-f", "rawvideo", "-pix_fmt", "gray", "pipe:1");
  }

  @Test
  void verify_grayFrames_areTheLumaOfTheSameSamples() throws Exception {
    String ffmpeg = ExternalTools.require("ffmpeg", "ffmpeg");
    Path video = dir.resolve("band.mp4");
    // 2 s at 25 fps: a band that is white from 0.5 s to 1.3 s and black otherwise.
    Process p = new ProcessBuilder(
        ffmpeg, "-nostdin", "-v", "error", "-y",
        "-f", "lavfi", "-i", "color=c=gray:s=160x120:d=2:r=25",
        "-f", "lavfi", "-i", "color=c=black:s=160x30:d=2:r=25",
        "-f", "lavfi", "-i", "color=c=white:s=160x30:d=2:r=25",
        "-filter_complex", "[0][1]overlay=0:90[a];[a][2]overlay=0:90:enable='between(t,0.5,1.3)'",
        "-c:v", "libx264", "-preset", "veryfast", "-pix_fmt", "yuv420p", video.toString())
        .redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0).as(out).isTrue();

    List<Integer> gray = new ArrayList<>();
    try (FfmpegVideo v = FfmpegVideo.open(ffmpeg, video, 5, BAND, FfmpegVideo.Decoding.FAST, FfmpegVideo.Pixels.GRAY)) {
      assertThat(v.frameBytes()).isEqualTo(BAND.width() * BAND.height());
      for (byte[] f; (f = v.next()) != null; ) {
        assertThat(f).hasSize(v.frameBytes());
        long sum = 0;
        for (byte b : f) {
          sum += b & 0xff;
        }
        gray.add((int) (sum / f.length));
      }
      v.finish();
    }
    assertThat(gray).hasSize(10);
    assertThat(gray.subList(3, 6)).allMatch(g -> g > 200); // 0.6 s .. 1.0 s: white
    assertThat(gray.subList(0, 2)).allMatch(g -> g < 40);
    assertThat(gray.subList(7, 10)).allMatch(g -> g < 40);
  }

  /** Per sampled frame at 5 fps: is the band red? */
  private static List<Boolean> redSamples(String ffmpeg, Path video, FfmpegVideo.Decoding decoding) throws Exception {
    List<Boolean> red = new ArrayList<>();
    try (FfmpegVideo v = FfmpegVideo.open(ffmpeg, video, 5, BAND, decoding)) {
      for (byte[] f; (f = v.next()) != null; ) {
        assertThat(f).hasSize(v.frameBytes());
        long r = 0;
        long g = 0;
        for (int i = 0; i < f.length; i += 3) {
          r += f[i] & 0xff;
          g += f[i + 1] & 0xff;
        }
        int pixels = f.length / 3;
        red.add(r / pixels > 150 && g / pixels < 60);
      }
      v.finish();
    }
    return red;
  }
}
