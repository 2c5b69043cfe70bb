package dev.ocrgate.server.vision;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ocrgate.server.testing.TextImages;
import java.awt.Color;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class InkColumnsTest {
  private static InkColumns render(Color bg, Color fg) {
    TextImages.Rendered r = TextImages.render(220, 60, bg, fg,
        List.of(new TextImages.Line("ill  mum", TextImages.latin(36), 10, 8)));
    return InkColumns.of(r.rgb());
  }

  @Test
  void verify_wordGap_isWiderThanEveryLetterGap_onEitherPolarity() {
    for (InkColumns ink : List.of(render(Color.WHITE, Color.BLACK), render(Color.BLACK, Color.WHITE))) {
      int wordGap = ink.widestGap(0, ink.width());
      int firstWord = ink.widestGap(30, 70);  // inside "ill"
      assertThat(wordGap).isGreaterThan(2 * firstWord);
      assertThat(ink.bodyHeight()).isBetween(10, 40);
      assertThat(ink.separation()).isGreaterThan(0.9);
    }
    InkColumns dark = render(Color.WHITE, Color.BLACK);
    InkColumns light = render(Color.BLACK, Color.WHITE);
    assertThat(light.widestGap(0, light.width())).isEqualTo(dark.widestGap(0, dark.width()));
  }

  @Test
  void verify_noise_splitsBadly_andAFlatCropHasNoInk() {
    byte[] noise = new byte[100 * 30 * 3];
    new Random(7).nextBytes(noise);
    assertThat(InkColumns.of(RgbImage.wrap(100, 30, noise)).separation()).isLessThan(0.8);
    InkColumns flat = InkColumns.of(RgbImage.wrap(50, 10, new byte[50 * 10 * 3]));
    assertThat(flat.separation()).isZero();
    assertThat(flat.widestGap(0, 50)).isEqualTo(50);
  }
}
