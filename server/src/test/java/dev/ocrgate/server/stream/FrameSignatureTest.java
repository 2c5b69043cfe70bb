package dev.ocrgate.server.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.ocrgate.server.vision.PixelRect;
import dev.ocrgate.server.vision.RgbImage;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class FrameSignatureTest {
  private static RgbImage solid(int w, int h, int gray) {
    byte[] d = new byte[w * h * 3];
    Arrays.fill(d, (byte) gray);
    return RgbImage.wrap(w, h, d);
  }

  @Test
  void verify_identicalRegions_haveZeroDifference() {
    RgbImage a = solid(320, 240, 40);
    PixelRect roi = new PixelRect(0, 180, 320, 60);
    assertThat(FrameSignature.of(a, roi).difference(FrameSignature.of(solid(320, 240, 40), roi)))
        .isZero();
  }

  @Test
  void verify_difference_isMeanAbsoluteGrayDifference_inUnitRange() {
    PixelRect roi = new PixelRect(0, 0, 320, 240);
    double d = FrameSignature.of(solid(320, 240, 0), roi)
        .difference(FrameSignature.of(solid(320, 240, 51), roi));
    assertThat(d).isCloseTo(51 / 255.0, within(1e-3));
  }

  @Test
  void verify_onlyTheRegionCounts() {
    RgbImage a = solid(100, 100, 0);
    byte[] changedTop = a.data().clone();
    Arrays.fill(changedTop, 0, 50 * 100 * 3, (byte) 255);
    RgbImage b = RgbImage.wrap(100, 100, changedTop);
    PixelRect bottom = new PixelRect(0, 50, 100, 50);
    assertThat(FrameSignature.of(a, bottom).difference(FrameSignature.of(b, bottom))).isZero();
    PixelRect all = new PixelRect(0, 0, 100, 100);
    assertThat(FrameSignature.of(a, all).difference(FrameSignature.of(b, all)))
        .isCloseTo(0.5, within(0.02));
  }

  @Test
  void verify_differentGrids_areFullyDifferent() {
    assertThat(FrameSignature.of(solid(10, 10, 0), new PixelRect(0, 0, 10, 10))
        .difference(FrameSignature.of(solid(100, 100, 0), new PixelRect(0, 0, 100, 100))))
        .isEqualTo(1.0);
  }
}
