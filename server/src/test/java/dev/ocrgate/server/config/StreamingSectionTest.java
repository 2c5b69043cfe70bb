package dev.ocrgate.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** The {@code streaming} knobs (subtitle region, change rule) are validated once, naming the bad key. */
class StreamingSectionTest {
  private static void rejects(Consumer<StreamingSection.SubtitleRegion> change, String key) {
    StreamingSection s = new StreamingSection();
    change.accept(s.subtitle_region);
    assertThatThrownBy(s::validate).isInstanceOf(ConfigException.class)
        .hasMessageContaining("streaming.subtitle_region." + key);
  }

  @Test
  void verify_defaultsAreValid() {
    StreamingSection s = new StreamingSection();
    s.validate();
    assertThat(s.subtitle_region.enabled).isTrue();
  }

  @Test
  void verify_badSubtitleRegionValues_areRefusedByName() {
    rejects(r -> r.search_top = 0.95f, "search_top");
    rejects(r -> r.search_top = Float.NaN, "search_top");
    rejects(r -> r.center_strip = 0, "center_strip");
    rejects(r -> r.min_line_height = 0, "min_line_height");
    rejects(r -> r.max_line_height = 0.01f, "max_line_height");
    rejects(r -> r.lock_frames = 0, "lock_frames");
    rejects(r -> r.research_after_ms = -1, "research_after_ms");
    rejects(r -> r.detection_line_height = 7, "detection_line_height");
    rejects(r -> r.detection_line_height = 257, "detection_line_height");
    rejects(r -> r.detection_line_height = -1, "detection_line_height");
  }

  @Test
  void verify_detectionLineHeight_zeroTurnsItOff_andTheBoundsAreAccepted() {
    for (int v : new int[] {0, 8, 256}) {
      StreamingSection s = new StreamingSection();
      s.subtitle_region.detection_line_height = v;
      assertThatCode(s::validate).as("detection_line_height %d", v).doesNotThrowAnyException();
    }
  }

  @Test
  void verify_aMissingSection_isRefused() {
    StreamingSection s = new StreamingSection();
    s.subtitle_region = null;
    assertThatThrownBy(s::validate).isInstanceOf(ConfigException.class).hasMessageContaining("subtitle_region");
  }

  @Test
  void verify_textChangeThreshold_outsideUnitRange_isRefusedNamingTheKey() {
    StreamingSection s = new StreamingSection();
    assertThatCode(s::validate).doesNotThrowAnyException();
    s.text_change_threshold = -0.1f;
    assertThatThrownBy(s::validate).isInstanceOf(ConfigException.class)
        .hasMessageContaining("streaming.text_change_threshold");
    s.text_change_threshold = Float.NaN;
    assertThatThrownBy(s::validate).isInstanceOf(ConfigException.class);
    s.text_change_threshold = 1.5f;
    assertThatThrownBy(s::validate).isInstanceOf(ConfigException.class);
  }

  @Test
  void verify_gapFrames_andRereadDelay_areValidatedNamingTheKey() {
    StreamingSection s = new StreamingSection();
    assertThat(s.gap_frames).isEqualTo("learn");
    for (String ok : new String[] {"read", "learn", "reuse"}) {
      s.gap_frames = ok;
      assertThatCode(s::validate).doesNotThrowAnyException();
    }
    for (String bad : new String[] {"LEARN", "always", ""}) {
      s.gap_frames = bad;
      assertThatThrownBy(s::validate).isInstanceOf(ConfigException.class).hasMessageContaining("streaming.gap_frames");
    }
    s.gap_frames = null;
    assertThatThrownBy(s::validate).isInstanceOf(ConfigException.class).hasMessageContaining("streaming.gap_frames");
    s.gap_frames = "learn";
    s.gap_reread_ms = 0;
    assertThatThrownBy(s::validate).isInstanceOf(ConfigException.class).hasMessageContaining("streaming.gap_reread_ms");
    s.gap_reread_ms = 60_001;
    assertThatThrownBy(s::validate).isInstanceOf(ConfigException.class).hasMessageContaining("streaming.gap_reread_ms");
  }

  @Test
  void verify_rereadLinesMs_zeroTurnsItOff_andOutsideTheRangeIsRefusedByName() {
    StreamingSection s = new StreamingSection();
    assertThat(s.reread_lines_ms).isEqualTo(1000);
    for (long ok : new long[] {0, 1, 60_000}) {
      s.reread_lines_ms = ok;
      assertThatCode(s::validate).doesNotThrowAnyException();
    }
    for (long bad : new long[] {-1, 60_001}) {
      s.reread_lines_ms = bad;
      assertThatThrownBy(s::validate).isInstanceOf(ConfigException.class)
          .hasMessageContaining("streaming.reread_lines_ms");
    }
  }

  @Test
  void verify_queueShare_outsideZeroToOne_isRefusedByName_andSizesTheFrameBudget() {
    StreamingSection s = new StreamingSection();
    assertThat(s.framesInFlight(256)).isEqualTo(192); // default 0.75
    s.queue_share = 1;
    assertThatCode(s::validate).doesNotThrowAnyException();
    assertThat(s.framesInFlight(256)).isEqualTo(256);
    s.queue_share = 0.001f;
    assertThat(s.framesInFlight(256)).isEqualTo(1); // never 0: a stream always gets a turn
    for (float bad : new float[] {0, -0.5f, 1.01f, Float.NaN}) {
      s.queue_share = bad;
      assertThatThrownBy(s::validate).isInstanceOf(ConfigException.class)
          .hasMessageContaining("streaming.queue_share must be in (0, 1]");
    }
  }

  @Test
  void verify_emptyRetryScale_outsideOneToFour_isRefusedByName() {
    StreamingSection s = new StreamingSection();
    assertThat(s.empty_retry_scale).isEqualTo(2.0);
    for (double ok : new double[] {1, 1.5, 4}) {
      s.empty_retry_scale = ok;
      assertThatCode(s::validate).doesNotThrowAnyException();
    }
    for (double bad : new double[] {0.99, 0, -1, 4.01, Double.NaN, Double.POSITIVE_INFINITY}) {
      s.empty_retry_scale = bad;
      assertThatThrownBy(s::validate).isInstanceOf(ConfigException.class)
          .hasMessageContaining("streaming.empty_retry_scale must be in [1, 4]");
    }
  }
}
