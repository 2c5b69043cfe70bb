package dev.ocrgate.server.ocr;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ocrgate.server.vision.RgbImage;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class LineCropsTest {

  /** A w × h crop of background {@code bg} with a band of {@code ink} through its middle rows. */
  private static RgbImage crop(int w, int h, int bg, int ink) {
    byte[] d = new byte[w * h * 3];
    Arrays.fill(d, (byte) bg);
    for (int y = h / 3; y < 2 * h / 3; y++) {
      Arrays.fill(d, y * w * 3, (y + 1) * w * 3, (byte) ink);
    }
    return RgbImage.wrap(w, h, d);
  }

  @Test
  void verify_printOnLightPaper_isLightBackground_textOverDarkVideo_isNot() {
    assertThat(LineCrops.lightBackground(crop(200, 30, 250, 10), 180)).isTrue();
    assertThat(LineCrops.lightBackground(crop(200, 30, 20, 255), 180)).as("white subtitle on dark").isFalse();
  }

  @Test
  void verify_threshold_isTheMedianOfTheEdgeRows() {
    assertThat(LineCrops.lightBackground(crop(100, 20, 180, 0), 180)).isTrue();
    assertThat(LineCrops.lightBackground(crop(100, 20, 179, 0), 180)).isFalse();
    // a dark glyph touching the top edge in a few columns does not change the median
    RgbImage c = crop(100, 20, 240, 0);
    Arrays.fill(c.data(), 0, 30 * 3, (byte) 0);
    assertThat(LineCrops.lightBackground(c, 180)).isTrue();
  }
}
