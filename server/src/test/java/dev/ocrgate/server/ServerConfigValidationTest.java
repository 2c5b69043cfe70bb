package dev.ocrgate.server;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ocrgate.server.config.ConfigException;
import dev.ocrgate.server.config.ConfigLoader;
import dev.ocrgate.server.config.OcrgateConfig;
import org.junit.jupiter.api.Test;

/**
 * A configuration built in code reaches the server only through ConfigLoader.validated: the checks
 * StreamFramesService, OcrModule and SharedState used to make on their own section now refuse it
 * before anything is built, with the message {@code config check} gives.
 */
class ServerConfigValidationTest {
  @Test
  void builder_badStreamingSection_isRefusedBeforeAnythingIsBuilt() {
    OcrgateConfig draft = ConfigLoader.defaults();
    draft.streaming.window = 0;
    assertThatThrownBy(() -> OcrgateServer.builder(draft)).isInstanceOf(ConfigException.class)
        .hasMessageContaining("streaming.window must be in [1, 1024], got 0");
  }

  @Test
  void assemble_badOcrOrRedisSection_isRefusedBeforeModelsOrRedisAreOpened() {
    OcrgateConfig ocr = ConfigLoader.defaults();
    ocr.ocr.decode_wait_ms = -1;
    assertThatThrownBy(() -> ServerAssembly.assemble(ocr)).isInstanceOf(ConfigException.class)
        .hasMessageContaining("ocr.decode_wait_ms must be in [0, 600000], got -1");
    OcrgateConfig redis = ConfigLoader.defaults();
    redis.redis.url = "redis://user:pw@redis:6379";
    assertThatThrownBy(() -> ServerAssembly.assemble(redis)).isInstanceOf(ConfigException.class)
        .hasMessageContaining("redis.url must not contain a user or password");
  }
}
