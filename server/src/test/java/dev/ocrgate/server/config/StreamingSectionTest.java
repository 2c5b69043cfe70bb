package dev.ocrgate.server.config;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class StreamingSectionTest {
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
}
