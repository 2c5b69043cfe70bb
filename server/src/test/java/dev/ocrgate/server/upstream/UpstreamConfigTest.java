package dev.ocrgate.server.upstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ocrgate.server.config.ConfigException;
import dev.ocrgate.server.config.ConfigLoader;
import dev.ocrgate.server.config.OcrgateConfig;
import dev.ocrgate.server.ocr.ModelRepository;
import dev.ocrgate.server.testing.RepoPaths;
import dev.ocrgate.server.testing.TestTls;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Clock;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The model set's configuration: the shipped example, validation, the API key's sources, TLS trust. */
class UpstreamConfigTest {
  @TempDir Path dir;

  @Test
  void example_configAndModelSet_loadAndValidate() {
    OcrgateConfig config = ConfigLoader.load(RepoPaths.root().resolve("examples/hunyuan/ocrgate.yaml"), Map.of());
    assertThat(config.models).hasSize(1);
    Path modelDir = RepoPaths.root().resolve(config.models.get(0));
    assertThat(UpstreamEngine.isUpstream(modelDir)).isTrue();
    assertThat(UpstreamEngine.isUpstream(RepoPaths.modelDir())).as("the PP-OCRv4 set").isFalse();
    UpstreamModelConfig model = UpstreamEngine.load(modelDir);
    assertThat(model.name).isEqualTo("hunyuan-ocr");
    assertThat(model.task()).isEqualTo(HunyuanTask.SPOTTING_JSON);
    assertThat(model.baseUri().toString()).isEqualTo("http://127.0.0.1:8000");
    assertThat(ModelRepository.resolve(config.models.get(0))).isNotNull();
  }

  @Test
  void load_badValues_areConfigErrorsNamingTheKey() throws Exception {
    assertRefused("  base_url: http://user:pw@127.0.0.1:8000\n", "must not contain credentials");
    assertRefused("  base_url: ftp://127.0.0.1\n", "http:// or https://");
    assertRefused("  base_url: http://127.0.0.1:8000\n  task: free_prompt\n", "upstream.task must be one of spotting_json");
    assertRefused("  base_url: http://127.0.0.1:8000\n  prompt: say hi\n", "unknown key 'prompt'");
    assertRefused("  base_url: http://127.0.0.1:8000\n  api_key_env: A\n  api_key_file: /x\n", "at most one of");
    assertRefused("  base_url: http://127.0.0.1:8000\n  max_in_flight: 0\n", "upstream.max_in_flight");
    assertRefused("  served_model: x\n", "upstream.base_url is required");
  }

  private void assertRefused(String upstreamBody, String message) throws Exception {
    Path m = Files.createDirectories(dir.resolve("m" + System.nanoTime()));
    Files.writeString(m.resolve("model.yaml"), "name: h\nengine: openai_chat\nupstream:\n" + upstreamBody);
    assertThatThrownBy(() -> UpstreamEngine.load(m)).isInstanceOf(ConfigException.class).hasMessageContaining(message);
  }

  @Test
  void apiKey_fromEnvOrFile_neverInMessagesOrToString() throws Exception {
    UpstreamModelConfig.Upstream u = new UpstreamModelConfig.Upstream();
    u.api_key_env = "HY_KEY";
    UpstreamKey fromEnv = UpstreamKey.load(u, Map.of("HY_KEY", " sk-secret-1 \n")::get);
    assertThat(fromEnv.authorization()).isEqualTo("Bearer sk-secret-1");
    assertThat(fromEnv.toString()).doesNotContain("sk-secret-1").contains("HY_KEY");
    assertThatThrownBy(() -> UpstreamKey.load(u, Map.<String, String>of()::get))
        .hasMessageContaining("HY_KEY").hasMessageContaining("unset");

    u.api_key_env = null;
    u.api_key_file = Files.writeString(dir.resolve("key"), "sk-secret-2\n").toString();
    UpstreamKey fromFile = UpstreamKey.load(u, k -> null);
    assertThat(fromFile.authorization()).isEqualTo("Bearer sk-secret-2");
    assertThat(fromFile.toString()).doesNotContain("sk-secret-2");
    Files.writeString(dir.resolve("key"), "sk with space\n");
    assertThatThrownBy(() -> UpstreamKey.load(u, k -> null)).hasMessageNotContaining("sk with space");
    assertThat(UpstreamKey.load(new UpstreamModelConfig.Upstream(), k -> null).present()).isFalse();
  }

  @Test
  void https_trustsTheConfiguredCa_andRefusesAServerTheJdkStoreDoesNotTrust() throws Exception {
    try (MockVllmServer vllm = MockVllmServer.startTls(serverContext(), UpstreamOcrPipelineTest.MODEL, null)) {
      vllm.answer(r -> MockVllmServer.ok(MockVllmServer.chatCompletion("over TLS", "stop", 1, 1)));
      String base = "https://localhost:" + vllm.port();
      UpstreamModelConfig trusting = UpstreamOcrPipelineTest.config(base, "text");
      trusting.upstream.ca_file = TestTls.certs().caCert().toString();
      trusting.upstream.connect_timeout_ms = 20_000; // also the probe's timeout: a TLS handshake on a loaded machine
      try (UpstreamEngine engine = UpstreamEngine.create(trusting, k -> "k", UpstreamListener.NONE, Clock.systemUTC())) {
        assertThat(engine.health().checkNow()).isTrue();
        assertThat(engine.pipeline().recognize(dev.ocrgate.server.ocr.OcrRequest.of(UpstreamOcrPipelineTest.gradient(8, 8)))
            .get(40, TimeUnit.SECONDS).lines().get(0).getText()).isEqualTo("over TLS");
      }
      UpstreamModelConfig jdkStore = UpstreamOcrPipelineTest.config(base, "text");
      jdkStore.upstream.connect_timeout_ms = 20_000;
      try (UpstreamClient client = UpstreamClient.create(jdkStore, UpstreamKey.load(jdkStore.upstream, k -> "k"))) {
        assertThatThrownBy(() -> client.probe().get(40, TimeUnit.SECONDS))
            .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(SSLHandshakeException.class);
      }
      UpstreamModelConfig missing = UpstreamOcrPipelineTest.config(base, "text");
      missing.upstream.ca_file = dir.resolve("none.pem").toString();
      assertThatThrownBy(() -> UpstreamEngine.create(missing, k -> "k", UpstreamListener.NONE, Clock.systemUTC()))
          .isInstanceOf(ConfigException.class).hasMessageContaining("upstream.ca_file");
    }
  }

  /** The dev server certificate (CN localhost, EC P-256) and key as a server SSL context. */
  private static SSLContext serverContext() throws Exception {
    Path certs = TestTls.certs().dir();
    Certificate[] chain = CertificateFactory.getInstance("X.509")
        .generateCertificates(Files.newInputStream(certs.resolve("server.crt"))).toArray(Certificate[]::new);
    String pem = Files.readString(certs.resolve("server.key"));
    byte[] der = Base64.getMimeDecoder().decode(pem.replaceAll("-----[A-Z ]+-----", ""));
    PrivateKey key = KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(der));
    KeyStore store = KeyStore.getInstance("PKCS12");
    store.load(null, null);
    store.setKeyEntry("server", key, new char[0], chain);
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(store, new char[0]);
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(kmf.getKeyManagers(), null, null);
    return ctx;
  }
}
