package dev.ocrgate.server.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ocrgate.api.v1.NormalizedRect;
import dev.ocrgate.api.v1.PixelRect;
import dev.ocrgate.api.v1.Region;
import dev.ocrgate.api.v1.StreamConfig;
import dev.ocrgate.server.config.StreamingSection;
import dev.ocrgate.server.ocr.OcrRequest;
import org.junit.jupiter.api.Test;

class StreamPlanTest {
  private final StreamingSection defaults = new StreamingSection();

  @Test
  void verify_emptyConfig_takesDefaults_bottomBandSubtitleMode() {
    StreamPlan p = StreamPlan.of(StreamConfig.getDefaultInstance(), defaults);
    assertThat(p.mode()).isEqualTo(OcrRequest.Mode.SUBTITLE);
    assertThat(p.changeRule()).isInstanceOf(TextChangeRule.class);
    assertThat(p.cueSimilarity()).isEqualTo(dev.ocrgate.cues.CueSimilarity.of(0.8));
    assertThat(p.region().resolve(1280, 720))
        .isEqualTo(new dev.ocrgate.server.vision.PixelRect(0, 540, 1280, 180));
  }

  @Test
  void verify_fullMode_withoutRegion_readsTheWholeFrame_andARegionStillWins() {
    StreamPlan full = StreamPlan.of(StreamConfig.newBuilder()
        .setMode(dev.ocrgate.api.v1.StreamMode.STREAM_MODE_FULL).build(), defaults);
    assertThat(full.mode()).isEqualTo(OcrRequest.Mode.FULL);
    assertThat(full.changeRule()).isInstanceOf(PixelChangeRule.class);
    assertThat(full.region().resolve(1280, 720)).isEqualTo(new dev.ocrgate.server.vision.PixelRect(0, 0, 1280, 720));
    StreamPlan band = StreamPlan.of(StreamConfig.newBuilder()
        .setMode(dev.ocrgate.api.v1.StreamMode.STREAM_MODE_FULL)
        .setRegion(dev.ocrgate.api.v1.Region.newBuilder().setNormalized(StreamRegion.SUBTITLE_BAND)).build(), defaults);
    assertThat(band.region().resolve(1280, 720)).isEqualTo(new dev.ocrgate.server.vision.PixelRect(0, 540, 1280, 180));
  }

  @Test
  void verify_negativeThreshold_meansNeverReuse() {
    StreamPlan p = StreamPlan.of(StreamConfig.newBuilder().setChangeThreshold(-1).build(), defaults);
    assertThat(p.changeRule()).isNull();
  }

  @Test
  void verify_badNormalizedRegion_isRefused() {
    StreamConfig c = StreamConfig.newBuilder().setRegion(Region.newBuilder().setNormalized(
        NormalizedRect.newBuilder().setX(0.5f).setY(0).setWidth(0.8f).setHeight(1))).build();
    assertThatThrownBy(() -> StreamPlan.of(c, defaults))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("region");
  }

  @Test
  void verify_emptyPixelRegion_isRefused() {
    StreamConfig c = StreamConfig.newBuilder().setRegion(Region.newBuilder().setPixels(
        PixelRect.newBuilder().setX(0).setY(0).setWidth(0).setHeight(10))).build();
    assertThatThrownBy(() -> StreamPlan.of(c, defaults)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void verify_pixelRegion_isClippedPerFrame_andOutsideIsNull() {
    StreamConfig c = StreamConfig.newBuilder().setRegion(Region.newBuilder().setPixels(
        PixelRect.newBuilder().setX(-10).setY(90).setWidth(50).setHeight(50))).build();
    StreamPlan p = StreamPlan.of(c, defaults);
    assertThat(p.region().resolve(100, 100))
        .isEqualTo(new dev.ocrgate.server.vision.PixelRect(0, 90, 40, 10));
    assertThat(p.region().resolve(100, 80)).isNull();
  }

  @Test
  void verify_thresholdAboveOne_andBadSimilarity_areRefused() {
    assertThatThrownBy(() -> StreamPlan.of(StreamConfig.newBuilder().setChangeThreshold(2).build(), defaults))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> StreamPlan.of(StreamConfig.newBuilder().setCueSimilarity(1.5f).build(), defaults))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void verify_automaticRegion_onlyInSubtitleModeWithoutARegion_andWhenEnabled() {
    assertThat(StreamPlan.of(StreamConfig.getDefaultInstance(), defaults).autoRegion()).isTrue();
    assertThat(StreamPlan.of(StreamConfig.newBuilder().setRegion(Region.newBuilder()
        .setNormalized(StreamRegion.SUBTITLE_BAND)).build(), defaults).autoRegion()).isFalse();
    assertThat(StreamPlan.of(StreamConfig.newBuilder().setRegion(Region.getDefaultInstance()).build(), defaults)
        .autoRegion()).isTrue();
    assertThat(StreamPlan.of(StreamConfig.newBuilder()
        .setMode(dev.ocrgate.api.v1.StreamMode.STREAM_MODE_FULL).build(), defaults).autoRegion()).isFalse();
    StreamingSection off = new StreamingSection();
    off.subtitle_region.enabled = false;
    assertThat(StreamPlan.of(StreamConfig.getDefaultInstance(), off).autoRegion()).isFalse();
  }
}
