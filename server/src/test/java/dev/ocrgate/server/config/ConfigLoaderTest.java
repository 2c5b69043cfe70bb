package dev.ocrgate.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {
  @TempDir Path tmp;

  @Test
  void load_knownKeys_overrideDefaults() throws Exception {
    Path f = tmp.resolve("c.yaml");
    Files.writeString(f, "server:\n  port: 9443\n  drain_timeout_seconds: 5\n");

    OcrgateConfig c = ConfigLoader.load(f);

    assertThat(c.server.port).isEqualTo(9443);
    assertThat(c.server.drain_timeout_seconds).isEqualTo(5);
    assertThat(c.server.host).isEqualTo("127.0.0.1");
  }

  @Test
  void load_unknownKey_isAnErrorNamingIt() throws Exception {
    Path f = tmp.resolve("c.yaml");
    Files.writeString(f, "server:\n  prot: 9443\n");

    assertThatThrownBy(() -> ConfigLoader.load(f))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("unknown config key 'server.prot' (did you mean 'server.port'?)");
  }

  @Test
  void load_missingFile_isAnError() {
    assertThatThrownBy(() -> ConfigLoader.load(tmp.resolve("nope.yaml")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("not found");
  }
}
