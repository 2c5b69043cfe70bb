package dev.ocrgate.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Precedence defaults < file < environment, and what happens to names that are not keys. */
class EnvOverridesTest {
  @TempDir Path dir;

  private Path file(String yaml) throws Exception {
    Path f = dir.resolve("ocrgate.yaml");
    Files.writeString(f, yaml);
    return f;
  }

  @Test
  void verify_environment_overridesFile_andFileOverridesDefaults() throws Exception {
    Path f = file("server:\n  port: 8000\n  drain_timeout_seconds: 12\nmetrics:\n  port: 9999\n");
    OcrgateConfig c = ConfigLoader.load(f, Map.of(
        "OCRGATE_SERVER_PORT", "9000",
        "OCRGATE_SERVER_PLAINTEXT", "TRUE",
        "OCRGATE_METRICS_HOST", "0.0.0.0",
        "OCRGATE_MODELS", " models/a, ,models/b ",
        "OCRGATE_LOG_FORMAT", "json"));

    assertThat(c.server.port).isEqualTo(9000);
    assertThat(c.server.drain_timeout_seconds).isEqualTo(12);
    assertThat(c.server.plaintext).isTrue();
    assertThat(c.server.host).isEqualTo("127.0.0.1");
    assertThat(c.metrics.port).isEqualTo(9999);
    assertThat(c.metrics.host).isEqualTo("0.0.0.0");
    assertThat(c.models).containsExactly("models/a", "models/b");
    assertThat(c.log.format).isEqualTo("json");
  }

  @Test
  void verify_noFile_environmentOverridesDefaults() {
    OcrgateConfig c = ConfigLoader.load(null, Map.of("OCRGATE_TLS_CLIENT_AUTH", "require"));
    assertThat(c.tls.client_auth).isEqualTo("require");
    assertThat(c.server.port).isEqualTo(8443);
  }

  @Test
  void verify_typoInKnownSection_isAnError() {
    assertThatThrownBy(() -> ConfigLoader.load(null, Map.of("OCRGATE_SERVER_PROT", "1")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("OCRGATE_SERVER_PROT");
  }

  @Test
  void verify_badNumberOrBoolean_namesTheVariableButNeverTheValue() {
    assertThatThrownBy(() -> ConfigLoader.load(null, Map.of("OCRGATE_SERVER_PORT", "s3cr3t-value")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("OCRGATE_SERVER_PORT")
        .hasMessageNotContaining("s3cr3t");
    assertThatThrownBy(() -> ConfigLoader.load(null, Map.of("OCRGATE_DEV_ENABLED", "yes")))
        .hasMessageContaining("OCRGATE_DEV_ENABLED");
  }

  @Test
  void verify_nonConfigVariables_areIgnored_andOthersReportedForAWarning() {
    ObjectNode tree = ConfigLoader.yamlMapper().createObjectNode();
    List<String> ignored = EnvOverrides.apply(tree, Map.of(
        "OCRGATE_HOME", "/opt/ocrgate",
        "OCRGATE_JWT_SECRET", "x",
        "OCRGATE_DEV_CERT_DAYS", "30",
        "OCRGATE_REPO_ROOT", "/r",
        "OCRGATE_JAVA_OPTS", "-Xmx1g",
        "OCRGATE_SOMETHING", "1",
        "PATH", "/bin"));

    assertThat(ignored).containsExactly("OCRGATE_SOMETHING");
    assertThat(tree.isEmpty()).isTrue();
  }

  @Test
  void verify_secretVariableNamedByTheConfig_isNotTakenForAKey() throws Exception {
    Path f = file("auth:\n  hs256_secret_env: OCRGATE_AUTH_SIGNING_SECRET\n");
    OcrgateConfig c = ConfigLoader.load(f, Map.of("OCRGATE_AUTH_SIGNING_SECRET", "x".repeat(40)));
    assertThat(c.auth.hs256_secret_env).isEqualTo("OCRGATE_AUTH_SIGNING_SECRET");
    assertThatThrownBy(() -> ConfigLoader.load(null, Map.of("OCRGATE_AUTH_SIGNING_SECRET", "x")))
        .isInstanceOf(ConfigException.class);
  }

  @Test
  void verify_invalidLogFormat_isRefused() {
    assertThatThrownBy(() -> ConfigLoader.load(null, Map.of("OCRGATE_LOG_FORMAT", "xml")))
        .isInstanceOf(ConfigException.class).hasMessageContaining("log.format");
  }

  @Test
  void verify_unknownFileKey_isStillAnError() throws Exception {
    Path f = file("server:\n  prot: 1\n");
    assertThatThrownBy(() -> ConfigLoader.load(f, Map.of()))
        .isInstanceOf(ConfigException.class).hasMessageContaining("'server.prot'");
  }

  @Test
  void verify_everyKey_hasADistinctEnvironmentName_thatIsNotReserved() {
    Set<String> seen = new HashSet<>();
    for (ConfigSchema.Key k : ConfigSchema.get().keys()) {
      assertThat(seen.add(k.envName())).as("duplicate %s", k.envName()).isTrue();
      assertThat(EnvOverrides.NOT_CONFIG).doesNotContain(k.envName());
    }
    assertThat(seen).contains("OCRGATE_SERVER_PORT", "OCRGATE_SERVER_DRAIN_TIMEOUT_SECONDS",
        "OCRGATE_METRICS_PORT", "OCRGATE_LOG_FORMAT", "OCRGATE_MODELS");
  }

  @Test
  void verify_maskedYaml_hidesSecretsEverywhere_butKeepsOtherValues() throws Exception {
    OcrgateConfig c = ConfigLoader.defaults();
    Path key = Files.writeString(dir.resolve("server.key"), "k");
    Path crt = Files.writeString(dir.resolve("server.crt"), "c");
    c.tls.private_key = key.toString();
    c.tls.cert_chain = crt.toString();
    String yaml = ConfigPrinter.maskedYaml(c);

    assertThat(yaml).contains("private_key: '" + ConfigPrinter.MASK + "'")
        .doesNotContain("server.key")
        .contains("cert_chain: " + crt)
        .contains("port: 8443");
    // The printed YAML, with the masked value filled back in, is a valid config with the same values.
    OcrgateConfig back = ConfigLoader.load(file(yaml.replace("'" + ConfigPrinter.MASK + "'", key.toString())), Map.of());
    assertThat(back.server.port).isEqualTo(8443);
    assertThat(ConfigPrinter.isSecretName("client_secret_hash")).isTrue();
    assertThat(ConfigPrinter.isSecretName("redis_password")).isTrue();
    assertThat(ConfigPrinter.isSecretName("port")).isFalse();
    assertThat(ConfigPrinter.isSecretName("ocrgate.v1.AuthService/RevokeToken")).isFalse();
    assertThat(ConfigPrinter.isSecretName("refresh_token")).isTrue();
    assertThat(ConfigPrinter.isSecretName("hs256_secret_env")).as("a variable's name").isFalse();
    assertThat(ConfigPrinter.isSecretName("password_file")).as("a path").isFalse();
    assertThat(ConfigPrinter.maskInText("rediss://u:p%40ss@h:6380/1")).isEqualTo("rediss://u:****@h:6380/1");
    assertThat(ConfigPrinter.maskInText("redis://h:6379")).isEqualTo("redis://h:6379");
    assertThat(ConfigPrinter.maskInText("redis://:pw@h:6379")).isEqualTo("redis://:****@h:6379");
    assertThat(yaml).contains("ocrgate.v1.AuthService/RevokeToken");
  }
}
