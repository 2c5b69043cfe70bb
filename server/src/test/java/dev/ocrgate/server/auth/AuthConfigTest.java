package dev.ocrgate.server.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ocrgate.server.ServerAssembly;
import dev.ocrgate.server.config.ConfigException;
import dev.ocrgate.server.config.ConfigLoader;
import dev.ocrgate.server.config.OcrgateConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Startup refusals and the YAML section. */
class AuthConfigTest {
  @TempDir Path dir;
  final Clock clock = Clock.systemUTC();

  @Test
  void assemble_noKeySource_notDev_isConfigException() {
    OcrgateConfig c = new OcrgateConfig();
    c.auth.hs256_secret_env = "OCRGATE_TEST_SURELY_UNSET_VARIABLE";
    assertThatThrownBy(() -> ServerAssembly.assemble(c)).isInstanceOf(ConfigException.class)
        .hasMessageContaining("no key source configured");
  }

  @Test
  void shortSecret_isRefusedAtStartup_withoutEchoingIt() {
    OcrgateConfig c = new OcrgateConfig();
    c.auth.algorithms = List.of("HS256");
    String secret = "too-short-secret-31-bytes-long!";
    assertThatThrownBy(() -> JwtAuth.fromConfig(c.auth, Map.of("OCRGATE_JWT_SECRET", secret)::get, null,
        InMemoryRevocationStore.create(clock), clock))
        .isInstanceOf(ConfigException.class).hasMessageContaining("at least 32 bytes").hasMessageNotContaining(secret);
  }

  @Test
  void hs256Listed_withoutSecret_isRefused() {
    OcrgateConfig c = new OcrgateConfig();
    c.auth.algorithms = List.of("HS256");
    c.auth.pem_keys = List.of();
    assertThatThrownBy(() -> JwtAuth.fromConfig(c.auth, k -> null, null, InMemoryRevocationStore.create(clock), clock))
        .isInstanceOf(ConfigException.class).hasMessageContaining("HS256");
  }

  @Test
  void secretSet_butHs256NotInAlgorithms_enablesNoHmacTokens() throws Exception {
    OcrgateConfig c = new OcrgateConfig();
    Path jwks = dir.resolve("jwks.json");
    Files.writeString(jwks, SigningKeys.generate("EdDSA").publicJwksJson());
    c.auth.jwks_file = jwks.toString();
    String secret = "0123456789abcdef0123456789abcdef-hs";
    SigningKey hmac = SigningKey.hmac(null, new javax.crypto.spec.SecretKeySpec(secret.getBytes(java.nio.charset.StandardCharsets.UTF_8), "HmacSHA256"));
    String token = TokenMinter.of(hmac).mint("mallory", List.of("ocr:recognize"), java.time.Duration.ofMinutes(1), "ocrgate", null);
    try (JwtAuth auth = JwtAuth.fromConfig(c.auth, Map.of("OCRGATE_JWT_SECRET", secret)::get, null,
        InMemoryRevocationStore.create(clock), clock)) {
      assertThatThrownBy(() -> auth.interceptor().authenticate(bearer(token)))
          .isInstanceOfSatisfying(TokenRejectedException.class,
              e -> assertThat(e.reason()).isEqualTo(TokenRejectedException.Reason.UNSUPPORTED_ALGORITHM));
      assertThat(auth.summary()).doesNotContain("HS256").doesNotContain("hs256");
    }
    c.auth.algorithms = List.of("EdDSA", "HS256");
    try (JwtAuth auth = JwtAuth.fromConfig(c.auth, Map.of("OCRGATE_JWT_SECRET", secret)::get, null,
        InMemoryRevocationStore.create(clock), clock)) {
      assertThat(auth.interceptor().authenticate(bearer(token)).subject()).as("listed: accepted").isEqualTo("mallory");
    }
  }

  @Test
  void defaults_refuseTypJwt() throws Exception {
    OcrgateConfig c = new OcrgateConfig();
    SigningKey rsa = SigningKeys.generate("RS256");
    Path jwks = dir.resolve("jwks.json");
    Files.writeString(jwks, rsa.publicJwksJson());
    c.auth.jwks_file = jwks.toString();
    String idToken = new Tokens(clock).sign(rsa, b -> b.header().type("JWT"));
    try (JwtAuth auth = JwtAuth.fromConfig(c.auth, k -> null, null, InMemoryRevocationStore.create(clock), clock)) {
      assertThatThrownBy(() -> auth.interceptor().authenticate(bearer(idToken)))
          .isInstanceOfSatisfying(TokenRejectedException.class,
              e -> assertThat(e.reason()).isEqualTo(TokenRejectedException.Reason.INVALID_TYPE));
    }
    c.auth.strict_typ = false;
    try (JwtAuth auth = JwtAuth.fromConfig(c.auth, k -> null, null, InMemoryRevocationStore.create(clock), clock)) {
      assertThat(auth.interceptor().authenticate(bearer(idToken))).as("lenient only when asked").isNotNull();
    }
  }

  @Test
  void severalIssuers_eachKeySourceMustNameItsIssuer() throws Exception {
    OcrgateConfig c = new OcrgateConfig();
    Path jwks = dir.resolve("jwks.json");
    Files.writeString(jwks, SigningKeys.generate("EdDSA").publicJwksJson());
    c.auth.jwks_file = jwks.toString();
    c.auth.issuers = List.of("ocrgate", "https://idp.example");
    assertThatThrownBy(() -> JwtAuth.fromConfig(c.auth, k -> null, null, InMemoryRevocationStore.create(clock), clock))
        .isInstanceOf(ConfigException.class).hasMessageContaining("auth.jwks_file_issuer");
    c.auth.jwks_file_issuer = "https://elsewhere.example";
    assertThatThrownBy(() -> JwtAuth.fromConfig(c.auth, k -> null, null, InMemoryRevocationStore.create(clock), clock))
        .isInstanceOf(ConfigException.class).hasMessageContaining("not one of auth.issuers");
    c.auth.jwks_file_issuer = "https://idp.example";
    try (JwtAuth auth = JwtAuth.fromConfig(c.auth, k -> null, null, InMemoryRevocationStore.create(clock), clock)) {
      assertThat(auth.summary()).contains("iss=https://idp.example");
    }
  }

  @Test
  void algNone_isRefused() throws Exception {
    OcrgateConfig c = new OcrgateConfig();
    Path jwks = dir.resolve("jwks.json");
    Files.writeString(jwks, SigningKeys.generate("EdDSA").publicJwksJson());
    c.auth.jwks_file = jwks.toString();
    c.auth.algorithms = List.of("RS256", "none");
    assertThatThrownBy(() -> JwtAuth.fromConfig(c.auth, k -> null, null, InMemoryRevocationStore.create(clock), clock))
        .isInstanceOf(ConfigException.class);
  }

  @Test
  void devMode_withoutKeySource_makesAndUsesADevKey() throws Exception {
    OcrgateConfig c = new OcrgateConfig();
    Path devDir = DevKeys.dir(dir);
    try (JwtAuth auth = JwtAuth.fromConfig(c.auth, k -> null, devDir, InMemoryRevocationStore.create(clock), clock)) {
      assertThat(SigningKeys.exists(devDir)).isTrue();
      SigningKey key = SigningKeys.load(devDir);
      assertThat(auth.summary()).contains("jwks-file");
      String token = TokenMinter.of(key).mint("dev", List.of("ocr:recognize"), java.time.Duration.ofMinutes(1), "ocrgate", null);
      assertThat(auth.interceptor().authenticate(bearer(token)).subject()).isEqualTo("dev");
    }
    assertThat(DevKeys.ensure(devDir).kid()).as("reused, not regenerated").isEqualTo(SigningKeys.load(devDir).kid());
  }

  @Test
  void devMode_afterKeysRotate_signsWithTheNewKey_andStillVerifiesTheOldOne() throws Exception {
    Path devDir = DevKeys.dir(dir);
    SigningKey first = DevKeys.ensure(devDir);
    dev.ocrgate.server.auth.issuer.KeyRing.rotate(devDir, "ES256", java.time.Duration.ofHours(1), clock);
    SigningKey current = DevKeys.ensure(devDir);
    assertThat(current.kid()).isNotEqualTo(first.kid());
    try (JwtAuth auth = JwtAuth.fromConfig(new OcrgateConfig().auth, k -> null, devDir, InMemoryRevocationStore.create(clock), clock)) {
      for (SigningKey k : List.of(first, current)) {
        String token = TokenMinter.of(k).mint("dev", List.of(), java.time.Duration.ofMinutes(1), "ocrgate", null);
        assertThat(auth.interceptor().authenticate(bearer(token)).subject()).isEqualTo("dev");
      }
    }
  }

  @Test
  void pemKeys_areLoaded() throws Exception {
    SigningKey ed = SigningKeys.generate("EdDSA");
    Path pem = dir.resolve("ed.pem");
    Files.writeString(pem, SigningKeys.pem("PUBLIC KEY", ed.publicKey().getEncoded()));
    OcrgateConfig c = new OcrgateConfig();
    c.auth.pem_keys = List.of(new dev.ocrgate.server.config.AuthConfig.PemKey("ed-1", pem.toString()));
    try (JwtAuth auth = JwtAuth.fromConfig(c.auth, k -> null, null, InMemoryRevocationStore.create(clock), clock)) {
      SigningKey signer = SigningKey.asymmetric("EdDSA", "ed-1", (java.security.PrivateKey) ed.signingKey(), ed.publicKey());
      String token = TokenMinter.of(signer).mint("bob", List.of(), java.time.Duration.ofMinutes(1), "ocrgate", "t");
      assertThat(auth.interceptor().authenticate(bearer(token)).tenant()).isEqualTo("t");
    }
  }

  @Test
  void yaml_authSection_bindsSnakeCase_andRejectsUnknownKeys() throws Exception {
    Path yaml = dir.resolve("c.yaml");
    Files.writeString(yaml, "auth:\n  audience: api\n  clock_skew_seconds: 5\n  strict_typ: true\n"
        + "  method_scopes:\n    ocrgate.v1.OcrService/Recognize: [a, b]\n  stream_expiry: allow\n");
    OcrgateConfig c = ConfigLoader.load(yaml);
    assertThat(c.auth.audience).isEqualTo("api");
    assertThat(c.auth.clock_skew_seconds).isEqualTo(5);
    assertThat(c.auth.strict_typ).isTrue();
    assertThat(c.auth.method_scopes).containsEntry("ocrgate.v1.OcrService/Recognize", List.of("a", "b"));
    Files.writeString(yaml, "auth:\n  audiense: api\n");
    assertThatThrownBy(() -> ConfigLoader.load(yaml)).isInstanceOf(ConfigException.class).hasMessageContaining("audiense");
  }

  static io.grpc.Metadata bearer(String token) {
    io.grpc.Metadata md = new io.grpc.Metadata();
    md.put(JwtAuthInterceptor.AUTHORIZATION, "Bearer " + token);
    return md;
  }
}
