package dev.ocrgate.bench.subtitles;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VideoProbeTest {

  @TempDir Path dir;

  @Test
  void rate_readsFractionsAndPlainNumbers() {
    assertThat(VideoProbe.rate("25/1")).isEqualTo(25.0);
    assertThat(VideoProbe.rate("30000/1001")).isCloseTo(29.97, org.assertj.core.data.Offset.offset(0.001));
    assertThat(VideoProbe.rate("12.5")).isEqualTo(12.5);
  }

  @Test
  void of_readsSizeAndRateOfARealVideo_andNamesAFileFfprobeCannotRead() throws Exception {
    Path video = dir.resolve("v.mp4");
    Process ffmpeg = new ProcessBuilder("ffmpeg", "-nostdin", "-loglevel", "error", "-f", "lavfi",
        "-i", "testsrc2=size=96x54:rate=15", "-t", "0.4", "-pix_fmt", "yuv420p", video.toString())
        .redirectErrorStream(true).start();
    ffmpeg.getInputStream().readAllBytes();
    assertThat(ffmpeg.waitFor()).isZero();
    assertThat(VideoProbe.of(video)).isEqualTo(new VideoProbe(96, 54, 15.0));

    Path junk = Files.writeString(dir.resolve("junk.mp4"), "not a video");
    assertThatThrownBy(() -> VideoProbe.of(junk)).isInstanceOf(IOException.class).hasMessageContaining("junk.mp4");
  }
}
