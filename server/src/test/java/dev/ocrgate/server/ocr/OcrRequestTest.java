package dev.ocrgate.server.ocr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ocrgate.server.vision.RgbImage;
import org.junit.jupiter.api.Test;

class OcrRequestTest {
  private static final RgbImage IMAGE = RgbImage.wrap(2, 2, new byte[12]);

  @Test
  void verify_detectionScale_inZeroToMax_andWithDetectionScale_changesOnlyIt() {
    OcrRequest base = new OcrRequest(IMAGE, null, OcrRequest.Mode.SUBTITLE, 0.5f, false, null, 0.5, null);
    OcrRequest enlarged = base.withDetectionScale(OcrRequest.MAX_DETECTION_SCALE);
    assertThat(enlarged.detectionScale()).isEqualTo(4.0);
    assertThat(enlarged.withDetectionScale(0.5)).isEqualTo(base);
    for (double bad : new double[] {0, -1, 4.01, Double.NaN}) {
      assertThatThrownBy(() -> base.withDetectionScale(bad)).isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("detectionScale must be in (0, 4.0]");
    }
  }
}
