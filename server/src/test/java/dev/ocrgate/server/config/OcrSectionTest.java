package dev.ocrgate.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class OcrSectionTest {
  @Test
  void validate_defaults_pass_andTheBudgetIsAQuarterOfTheHeap() {
    OcrSection ocr = new OcrSection();
    assertThatCode(ocr::validate).doesNotThrowAnyException();
    assertThat(ocr.decodeMemoryBytes(4L << 30)).isEqualTo(1L << 30);
    ocr.decode_memory_bytes = 123_456;
    assertThat(ocr.decodeMemoryBytes(4L << 30)).isEqualTo(123_456);
  }

  @Test
  void validate_badValues_nameTheKey() {
    assertRefused(o -> o.decode_memory_bytes = -1, "ocr.decode_memory_bytes");
    assertRefused(o -> o.decode_wait_ms = -1, "ocr.decode_wait_ms");
    assertRefused(o -> o.max_image_pixels = 0, "ocr.max_image_pixels");
    // one decoded RGB image is one Java array: 3 bytes × pixels must fit
    assertRefused(o -> o.max_image_pixels = 800_000_000L, "ocr.max_image_pixels");
    assertRefused(o -> o.max_image_bytes = 0, "ocr.max_image_bytes");
  }

  private interface Change {
    void apply(OcrSection ocr);
  }

  private static void assertRefused(Change change, String key) {
    OcrSection ocr = new OcrSection();
    change.apply(ocr);
    assertThatThrownBy(ocr::validate).isInstanceOf(ConfigException.class).hasMessageStartingWith(key);
  }
}
