package dev.ocrgate.server.auth.issuer;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.crypto.factories.DefaultJWSVerifierFactory;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jwt.SignedJWT;
import dev.ocrgate.server.auth.SigningKey;
import dev.ocrgate.server.auth.SigningKeys;
import dev.ocrgate.server.auth.TokenMinter;
import dev.ocrgate.server.testing.MutableClock;
import io.jsonwebtoken.Jwts;
import io.jsonwebtoken.security.Jwks;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.Key;
import java.security.PublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Rotation on disk, hot reload, the three algorithms, and the HTTP JWKS endpoint. */
class KeyRingTest {
  @TempDir Path dir;
  private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));

  @Test
  void rotate_keepsOldKeyPublishedUntilItsTokensExpired_thenDropsIt() throws Exception {
    KeyRing first = KeyRing.ensure(dir, "RS256", clock);
    String oldKid = first.current().kid();
    String oldToken = TokenMinter.of(first.current()).mint("alice", List.of("ocr:recognize"), Duration.ofMinutes(15), "ocrgate", null);

    KeyRing second = KeyRing.rotate(dir, "RS256", Duration.ofMinutes(16), clock);

    assertThat(second.current().kid()).isNotEqualTo(oldKid);
    assertThat(second.kids()).containsExactly(second.current().kid(), oldKid);
    assertThat(verifiesWith(second.jwksJson(), oldToken)).isTrue();
    assertThat(Files.readString(dir.resolve("jwks.json"))).contains(oldKid);

    clock.advance(Duration.ofMinutes(17));
    KeyRing later = KeyRing.load(dir, clock);
    assertThat(later.kids()).containsExactly(second.current().kid());
    assertThat(verifiesWith(later.jwksJson(), oldToken)).isFalse();

    KeyRing third = KeyRing.rotate(dir, "ES256", Duration.ofMinutes(16), clock);
    assertThat(Files.exists(dir.resolve(oldKid))).isFalse(); // expired key material deleted
    assertThat(third.kids()).hasSize(2);
    assertThat(third.jwksJson()).doesNotContain("\"d\"").doesNotContain("\"p\"");
  }

  @Test
  void ensure_eachAlgorithm_signsTokensThatNimbusVerifies() throws Exception {
    for (String alg : List.of("RS256", "ES256", "EdDSA")) {
      Path d = dir.resolve(alg);
      KeyRing ring = KeyRing.ensure(d, alg, clock);
      String token = TokenMinter.of(ring.current()).mint("bob", List.of(), Duration.ofMinutes(5), "ocrgate", "t1");

      assertThat(ring.current().algorithm()).isEqualTo(alg);
      assertThat(verifiesWith(ring.jwksJson(), token)).as(alg).isTrue();
      assertThat(KeyRing.ensure(d, alg, clock).current().kid()).isEqualTo(ring.current().kid()); // reused
    }
  }

  @Test
  void reloadingKeyRing_picksUpRotationAfterTheCheckInterval() throws Exception {
    KeyRing initial = KeyRing.ensure(dir, "RS256", clock);
    ReloadingKeyRing reloading = new ReloadingKeyRing(dir, initial, clock, 1000);
    Files.setLastModifiedTime(dir.resolve(KeyRing.RING_FILE), FileTime.fromMillis(1));

    KeyRing rotated = KeyRing.rotate(dir, "RS256", Duration.ofMinutes(16), clock);
    assertThat(reloading.get().current().kid()).isEqualTo(initial.current().kid()); // not yet checked

    clock.advance(Duration.ofSeconds(1));
    assertThat(reloading.get().current().kid()).isEqualTo(rotated.current().kid());
  }

  @Test
  void ensure_adoptsASingleKeyFolder_withoutMakingANewKey() throws Exception {
    SigningKey single = SigningKeys.generate("EdDSA");
    SigningKeys.write(single, dir);

    KeyRing ring = KeyRing.ensure(dir, "RS256", clock);

    assertThat(ring.current().kid()).isEqualTo(single.kid());
    assertThat(SigningKeys.loadCurrent(dir).kid()).isEqualTo(single.kid());
    assertThat(dir.resolve(SigningKeys.PRIVATE_KEY_FILE)).as("one layout only").doesNotExist();
  }

  @Test
  void reloadingKeyRing_prunesARetiredKeyFromJwksJson_whenItsTimeHasPassed() throws Exception {
    KeyRing first = KeyRing.ensure(dir, "RS256", clock);
    KeyRing second = KeyRing.rotate(dir, "RS256", Duration.ofMinutes(16), clock);
    ReloadingKeyRing reloading = new ReloadingKeyRing(dir, second, clock, 1000);
    assertThat(second.nextRetirement()).isEqualTo(clock.instant().plus(Duration.ofMinutes(16)));

    clock.advance(Duration.ofMinutes(15));
    assertThat(reloading.get().kids()).contains(first.current().kid());
    clock.advance(Duration.ofMinutes(2));

    assertThat(reloading.get().kids()).containsExactly(second.current().kid());
    assertThat(Files.readString(dir.resolve("jwks.json"))).as("verifiers reading the file drop it too")
        .doesNotContain(first.current().kid()).contains(second.current().kid());
    assertThat(dir.resolve(first.current().kid())).doesNotExist();
  }

  @Test
  void jwksHttpEndpoint_servesTheSet_andNothingElse() throws Exception {
    KeyRing ring = KeyRing.ensure(dir, "RS256", clock);
    try (JwksHttpEndpoint http = JwksHttpEndpoint.start("127.0.0.1", 0, ring::jwksJson)) {
      HttpClient client = HttpClient.newHttpClient();
      String base = "http://127.0.0.1:" + http.port();

      HttpResponse<String> ok = client.send(HttpRequest.newBuilder(URI.create(base + JwksHttpEndpoint.PATH)).build(),
          HttpResponse.BodyHandlers.ofString());
      HttpResponse<String> other = client.send(HttpRequest.newBuilder(URI.create(base + "/keys")).build(),
          HttpResponse.BodyHandlers.ofString());
      HttpResponse<String> post = client.send(HttpRequest.newBuilder(URI.create(base + JwksHttpEndpoint.PATH))
          .POST(HttpRequest.BodyPublishers.ofString("x")).build(), HttpResponse.BodyHandlers.ofString());

      assertThat(ok.statusCode()).isEqualTo(200);
      assertThat(ok.headers().firstValue("content-type")).hasValue("application/json");
      assertThat(JWKSet.parse(ok.body()).getKeyByKeyId(ring.current().kid())).isNotNull();
      assertThat(other.statusCode()).isEqualTo(404);
      assertThat(post.statusCode()).isEqualTo(405);
    }
  }

  private static boolean verifiesWith(String jwks, String token) throws Exception {
    SignedJWT jwt = SignedJWT.parse(token);
    var jwk = JWKSet.parse(jwks).getKeyByKeyId(jwt.getHeader().getKeyID());
    if (jwk == null) {
      return false;
    }
    Key key = switch (jwk.getKeyType().getValue()) {
      case "RSA" -> jwk.toRSAKey().toPublicKey();
      case "EC" -> jwk.toECKey().toPublicKey();
      default -> null;
    };
    if (key == null) { // OKP (Ed25519): nimbus needs Tink for it, so jjwt checks this one
      var set = Jwks.setParser().build().parse(jwks);
      var pub = (PublicKey) set.getKeys().stream()
          .filter(k -> jwk.getKeyID().equals(k.getId())).findFirst().orElseThrow().toKey();
      Jwts.parser().verifyWith(pub).build().parseSignedClaims(token);
      return true;
    }
    return jwt.verify(new DefaultJWSVerifierFactory().createJWSVerifier(jwt.getHeader(), key));
  }
}
