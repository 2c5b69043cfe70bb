package dev.ocrgate.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Golden files for the SRT and WebVTT writers. */
class SubtitleFormatTest {
  private static final List<SubtitleCue> CUES =
      List.of(
          new SubtitleCue(3_723_004, 3_725_500, "Tom & Jerry <live>\n-->  here"),
          new SubtitleCue(0, 1_500, "你好，世界"),
          new SubtitleCue(1_500, 2_000, "line one\n\n\nline two"));

  @Test
  void verify_srt_golden() {
    assertThat(SubtitleFormat.SRT.render(CUES))
        .isEqualTo(
            "1\n00:00:00,000 --> 00:00:01,500\n你好，世界\n\n"
                + "2\n00:00:01,500 --> 00:00:02,000\nline one\nline two\n\n"
                + "3\n01:02:03,004 --> 01:02:05,500\nTom & Jerry <live>\n-->  here\n\n");
  }

  @Test
  void verify_vtt_golden_escapesAmpersandAndAngleBrackets() {
    assertThat(SubtitleFormat.VTT.render(CUES))
        .isEqualTo(
            "WEBVTT\n\n"
                + "1\n00:00:00.000 --> 00:00:01.500\n你好，世界\n\n"
                + "2\n00:00:01.500 --> 00:00:02.000\nline one\nline two\n\n"
                + "3\n01:02:03.004 --> 01:02:05.500\nTom &amp; Jerry &lt;live&gt;\n--&gt;  here\n\n");
  }

  @Test
  void verify_times_hoursGrowPast99() {
    assertThat(SubtitleFormat.SRT.time(100L * 3_600_000 + 59_999)).isEqualTo("100:00:59,999");
    assertThat(SubtitleFormat.VTT.time(61_001)).isEqualTo("00:01:01.001");
  }

  @Test
  void verify_emptyList_isJustTheHeader() {
    assertThat(SubtitleFormat.SRT.render(List.of())).isEmpty();
    assertThat(SubtitleFormat.VTT.render(List.of())).isEqualTo("WEBVTT\n\n");
  }

  @Test
  void verify_negativeOrInvertedTimes_areRejected() {
    assertThatThrownBy(() -> new SubtitleCue(-1, 10, "x")).isInstanceOf(IllegalArgumentException.class).hasMessageContaining(">= 0");
    assertThatThrownBy(() -> new SubtitleCue(500, 400, "x")).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("after its start");
    assertThatThrownBy(() -> new SubtitleCue(500, 500, "x")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new SubtitleCue(0, 10, "  ")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void verify_formatForFileName() {
    assertThat(SubtitleFormat.forFileName("out.VTT")).isEqualTo(SubtitleFormat.VTT);
    assertThat(SubtitleFormat.forFileName("out.srt")).isEqualTo(SubtitleFormat.SRT);
  }
}
