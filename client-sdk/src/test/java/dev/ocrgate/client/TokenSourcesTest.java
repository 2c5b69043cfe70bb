package dev.ocrgate.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ocrgate.server.testing.MutableClock;
import io.jsonwebtoken.Claims;
import io.jsonwebtoken.Jws;
import io.jsonwebtoken.Jwts;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TokenSourcesTest {
  @TempDir Path dir;

  private static String jwtWithExp(long exp) {
    Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
    return b64.encodeToString("{\"alg\":\"none\"}".getBytes(StandardCharsets.UTF_8)) + "."
        + b64.encodeToString(("{\"sub\":\"a\",\"exp\":" + exp + "}").getBytes(StandardCharsets.UTF_8)) + ".sig";
  }

  @Test
  void verify_staticJwt_expiryIsReadFromExp() throws Exception {
    AccessToken t = TokenSources.staticToken(jwtWithExp(1_900_000_000L)).fetch();

    assertThat(t.expiresAt()).contains(Instant.ofEpochSecond(1_900_000_000L));
    assertThat(TokenSources.staticToken("opaque").fetch().expiresAt()).isEmpty();
    assertThat(t.toString()).doesNotContain(t.value());
  }

  @Test
  void verify_tokenFile_isReReadWhenItChanges() throws Exception {
    Path file = dir.resolve("token");
    Files.writeString(file, "first\n");
    TokenSource source = TokenSources.file(file);
    assertThat(source.fetch().value()).isEqualTo("first");

    Files.writeString(file, "second-token");
    Files.setLastModifiedTime(file, FileTime.from(Instant.now().plusSeconds(5)));

    assertThat(source.fetch().value()).isEqualTo("second-token");
  }

  @Test
  void verify_emptyTokenFile_isAnIoError() throws Exception {
    Path file = dir.resolve("token");
    Files.writeString(file, "  \n");

    assertThatThrownBy(() -> TokenSources.file(file).fetch()).isInstanceOf(IOException.class).hasMessageContaining("empty");
  }

  @Test
  void verify_serviceAccountJwt_verifiesWithThePublicKey_andCarriesTheClaims() throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(new ECGenParameterSpec("secp256r1"));
    KeyPair keys = g.generateKeyPair();
    Path pem = dir.resolve("sa.pem");
    Files.writeString(pem, "-----BEGIN PRIVATE KEY-----\n"
        + Base64.getMimeEncoder().encodeToString(keys.getPrivate().getEncoded())
        + "\n-----END PRIVATE KEY-----\n");
    MutableClock clock = new MutableClock(Instant.now());
    TokenSource source = TokenSources.serviceAccount(
        PemKeys.privateKey(pem), "key-1", "svc-batch", "ocrgate", Duration.ofMinutes(10),
        List.of("ocr:stream"), clock);

    AccessToken token = source.fetch();
    Jws<Claims> jws = Jwts.parser().verifyWith(keys.getPublic()).build().parseSignedClaims(token.value());

    assertThat(jws.getHeader().getKeyId()).isEqualTo("key-1");
    assertThat(jws.getHeader().getAlgorithm()).isEqualTo("ES256");
    assertThat(jws.getHeader().getType()).isEqualTo("at+jwt");
    assertThat(jws.getPayload().getSubject()).isEqualTo("svc-batch");
    assertThat(jws.getPayload().getAudience()).containsExactly("ocrgate");
    assertThat(jws.getPayload().get("scope", String.class)).isEqualTo("ocr:stream");
    assertThat(token.expiresAt()).contains(jws.getPayload().getExpiration().toInstant());
    assertThat(source.fetch().value()).isNotEqualTo(token.value()); // fresh jti each time
  }

  @Test
  void verify_serviceAccount_rejectsLifetimeOverOneHour() throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(new ECGenParameterSpec("secp256r1"));
    var key = g.generateKeyPair().getPrivate();

    assertThatThrownBy(() -> TokenSources.serviceAccount(key, "k", "a", "aud", Duration.ofHours(2)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void verify_builder_validatesAtOnce() {
    OcrClient.Builder b = OcrClient.builder();
    assertThatThrownBy(() -> b.target(" ")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> b.keepAlive(Duration.ofSeconds(5), Duration.ofSeconds(5)))
        .hasMessageContaining(">= 20 s");
    assertThatThrownBy(() -> b.streamWindow(0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> b.defaultDeadline(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(b::build).isInstanceOf(IllegalStateException.class).hasMessageContaining("target");
    b.usePlaintext();
    assertThatThrownBy(() -> b.trustedCertificates(Path.of("/etc/hostname")))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("usePlaintext");
  }
}
