package dev.ocrgate.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
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

  // --- one merge: defaults < file < environment < overrides (flags) ---

  private Path portFile() throws Exception {
    return Files.writeString(tmp.resolve("p.yaml"), "server:\n  port: 9001\n");
  }

  @Test
  void precedence_eachLayerAlone_setsTheKey() throws Exception {
    assertThat(ConfigLoader.load(null, Map.of(), Map.of()).server.port).isEqualTo(8443);
    assertThat(ConfigLoader.load(portFile(), Map.of(), Map.of()).server.port).isEqualTo(9001);
    assertThat(ConfigLoader.load(null, Map.of("OCRGATE_SERVER_PORT", "9002"), Map.of()).server.port).isEqualTo(9002);
    assertThat(ConfigLoader.load(null, Map.of(), Map.of("server.port", "9003")).server.port).isEqualTo(9003);
  }

  @Test
  void precedence_defaultBelowFileBelowEnvironmentBelowOverride() throws Exception {
    Map<String, String> env = Map.of("OCRGATE_SERVER_PORT", "9002");
    assertThat(ConfigLoader.load(portFile(), env, Map.of()).server.port).isEqualTo(9002);
    assertThat(ConfigLoader.load(portFile(), env, Map.of("server.port", "9003")).server.port).isEqualTo(9003);
    assertThat(ConfigLoader.load(portFile(), Map.of(), Map.of("server.port", "9003")).server.port).isEqualTo(9003);
    // a key no layer above sets keeps the lower layer's value
    assertThat(ConfigLoader.load(portFile(), env, Map.of("server.host", "::1")).server.port).isEqualTo(9002);
  }

  @Test
  void overrides_listsAndBooleans_parseAsTheEnvironmentDoes() {
    OcrgateConfig c = ConfigLoader.load(null, Map.of(),
        Map.of("models", "a, b", "server.plaintext", "true", "log.format", "json"));
    assertThat(c.models).containsExactly("a", "b");
    assertThat(c.server.plaintext).isTrue();
    assertThat(c.log.format).isEqualTo("json");
  }

  @Test
  void overrides_unknownKeyOrBadValue_isAnErrorNamingTheKeyNotTheValue() {
    assertThatThrownBy(() -> ConfigLoader.load(null, Map.of(), Map.of("server.prot", "1")))
        .isInstanceOf(ConfigException.class)
        .hasMessage("unknown config key 'server.prot' (did you mean 'server.port'?)");
    assertThatThrownBy(() -> ConfigLoader.load(null, Map.of(), Map.of("server.plaintext", "s3cr3t")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("server.plaintext").hasMessageNotContaining("s3cr3t");
    assertThatThrownBy(() -> ConfigLoader.load(null, Map.of(), Map.of("log.format", "xml")))
        .isInstanceOf(ConfigException.class).hasMessageContaining("log.format must be one of");
  }

  // --- one validator: what StreamFramesService, OcrModule, SharedState and ServerAssembly checked ---

  static Stream<Arguments> formerlyScatteredChecks() {
    return Stream.of(
        Arguments.of("streaming:\n  window: 0\n", "streaming.window must be in [1, 1024]"),
        Arguments.of("streaming:\n  queue_share: 1.5\n", "streaming.queue_share must be in (0, 1]"),
        Arguments.of("ocr:\n  max_image_bytes: 0\n", "ocr.max_image_bytes must be positive"),
        Arguments.of("redis:\n  url: http://redis:6379\n", "redis.url must start with redis://"),
        Arguments.of("issuer:\n  enabled: true\n", "issuer.clients_file is required"),
        Arguments.of("issuer:\n  enabled: true\n  clients_file: c.yaml\n  access_ttl_seconds: 7200\n"
            + "auth:\n  max_token_lifetime_seconds: 3600\n",
            "issuer.access_ttl_seconds (7200) exceeds auth.max_token_lifetime_seconds (3600)"),
        Arguments.of("auth:\n  stream_expiry: sometimes\n", "auth.stream_expiry must be close or allow"),
        Arguments.of("auth:\n  cache_max_entries: -1\n", "cache_max_entries must be >= 0"));
  }

  @ParameterizedTest
  @MethodSource("formerlyScatteredChecks")
  void validate_formerlyScatteredCheck_isReportedByLoadAndByTheServersCopy(String yaml, String message)
      throws Exception {
    Path f = Files.writeString(tmp.resolve("bad.yaml"), yaml);
    assertThatThrownBy(() -> ConfigLoader.load(f)).isInstanceOf(ConfigException.class)
        .hasMessageContaining(message);
    OcrgateConfig draft = ConfigLoader.yamlMapper().readValue(f.toFile(), OcrgateConfig.class);
    assertThatThrownBy(() -> ConfigLoader.validated(draft)).isInstanceOf(ConfigException.class)
        .hasMessageContaining(message);
  }

  @Test
  void checkFiles_redisCaFile_isAFileCheckNotAValueCheck() throws Exception {
    Path f = Files.writeString(tmp.resolve("r.yaml"),
        "redis:\n  url: rediss://redis:6380\n  tls_ca_file: " + tmp.resolve("missing.pem") + "\n");
    OcrgateConfig c = ConfigLoader.load(f); // a config for another machine may name files absent here
    assertThatThrownBy(() -> ConfigLoader.checkFiles(c)).isInstanceOf(ConfigException.class)
        .hasMessageContaining("redis.tls_ca_file: cannot read");
  }

  @Test
  void checkFiles_theIssuersOwnJwksFile_mayNotExistBeforeTheFirstStart() throws Exception {
    Path keys = tmp.resolve("keys");
    Path f = Files.writeString(tmp.resolve("i.yaml"), "issuer:\n  enabled: true\n  clients_file: c.yaml\n"
        + "  keys_dir: " + keys + "\nauth:\n  jwks_file: " + keys.resolve("jwks.json") + "\n");
    ConfigLoader.checkFiles(ConfigLoader.load(f)); // the issuer writes it when the server starts
    Path other = Files.writeString(tmp.resolve("o.yaml"), "issuer:\n  enabled: true\n  clients_file: c.yaml\n"
        + "  keys_dir: " + keys + "\nauth:\n  jwks_file: " + tmp.resolve("elsewhere.json") + "\n");
    assertThatThrownBy(() -> ConfigLoader.checkFiles(ConfigLoader.load(other))).isInstanceOf(ConfigException.class)
        .hasMessageContaining("auth.jwks_file: cannot read");
  }

  // --- frozen: the server's copy ---

  @Test
  void validated_isACopy_laterWritesToTheDraftDoNotReachIt() {
    OcrgateConfig draft = ConfigLoader.defaults();
    draft.server.port = 9100;
    OcrgateConfig frozen = ConfigLoader.validated(draft);
    draft.server.port = 9200;
    draft.auth.issuers.add("intruder");
    assertThat(frozen.server.port).isEqualTo(9100);
    assertThat(frozen.auth.issuers).containsExactly("ocrgate");
    assertThat(frozen).isNotSameAs(draft);
    assertThat(frozen.server).isNotSameAs(draft.server);
  }

  @Test
  void validated_listsAndMaps_cannotBeChanged() {
    OcrgateConfig draft = ConfigLoader.defaults();
    draft.auth.pem_keys.add(new AuthConfig.PemKey("k1", null));
    draft.rate_limit.tenants.put("t1", new RateLimitSection.Bucket(1, 2));
    OcrgateConfig frozen = ConfigLoader.validated(draft);
    assertThatThrownBy(() -> frozen.auth.issuers.add("x")).isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> frozen.auth.pem_keys.clear()).isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> frozen.models.set(0, "x")).isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> frozen.auth.method_scopes.put("m", List.of()))
        .isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> frozen.auth.method_scopes.values().iterator().next().add("x"))
        .isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> frozen.rate_limit.tenants.remove("t1"))
        .isInstanceOf(UnsupportedOperationException.class);
    assertThat(frozen.rate_limit.tenants.get("t1").burst).isEqualTo(2);
  }
}
