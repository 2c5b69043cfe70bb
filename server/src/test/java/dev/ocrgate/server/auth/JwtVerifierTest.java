package dev.ocrgate.server.auth;

import dev.ocrgate.server.testing.MutableClock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ocrgate.server.auth.TokenRejectedException.Reason;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Deterministic verifier rules with a fake clock. */
class JwtVerifierTest {
  static final SigningKey RSA = SigningKeys.generate("RS256");
  final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
  final Tokens tokens = new Tokens(clock);

  JwtVerifier verifier(boolean strictTyp) {
    return JwtVerifier.create(JwtVerifier.Settings.builder()
        .algorithms(List.of("RS256"))
        .issuers(List.of("ocrgate"))
        .audience("ocrgate")
        .skew(Duration.ofSeconds(60))
        .strictTyp(strictTyp)
        .tenantClaim("org")
        .build(), KeySet.of(List.of(VerificationKey.of(RSA.kid(), RSA.publicKey(), null))), clock);
  }

  @Test
  void verify_expiredWithinSkew_isAccepted_thenRejectedPastSkew() throws Exception {
    String t = tokens.sign(RSA, b -> b.expiration(Date.from(clock.instant().plusSeconds(10))));
    clock.advance(Duration.ofSeconds(69));
    assertThat(verifier(false).verify(t).subject()).isEqualTo("alice");
    clock.advance(Duration.ofSeconds(2));
    assertReason(verifier(false), t, Reason.EXPIRED);
  }

  @Test
  void verify_nbfWithinSkew_isAccepted() throws Exception {
    String t = tokens.sign(RSA, b -> b.notBefore(Date.from(clock.instant().plusSeconds(50))));
    assertThat(verifier(false).verify(t)).isNotNull();
    String later = tokens.sign(RSA, b -> b.notBefore(Date.from(clock.instant().plusSeconds(70))));
    assertReason(verifier(false), later, Reason.NOT_YET_VALID);
  }

  @Test
  void verify_iatJustBeyondSkew_isRejected() throws Exception {
    assertThat(verifier(false).verify(tokens.sign(RSA, b -> b.issuedAt(Date.from(clock.instant().plusSeconds(60)))))).isNotNull();
    assertReason(verifier(false), tokens.sign(RSA, b -> b.issuedAt(Date.from(clock.instant().plusSeconds(61)))),
        Reason.ISSUED_IN_FUTURE);
  }

  @Test
  void verify_strictTyp_acceptsOnlyAtJwt() throws Exception {
    String jwt = tokens.sign(RSA, b -> b.header().type("JWT"));
    assertThat(verifier(false).verify(jwt)).isNotNull();
    assertReason(verifier(true), jwt, Reason.INVALID_TYPE);
    assertThat(verifier(true).verify(tokens.sign(RSA))).isNotNull();
    assertReason(verifier(false), tokens.sign(RSA, b -> b.header().type(null)), Reason.INVALID_TYPE);
  }

  @Test
  void verify_claims_mapToPrincipal() throws Exception {
    Principal p = verifier(false).verify(tokens.sign(RSA, b -> b.id("j-1").claim("org", "t-9")
        .claim("scope", "a  b").claim("scp", List.of("c"))));
    assertThat(p.subject()).isEqualTo("alice");
    assertThat(p.tenant()).as("configured tenant claim").isEqualTo("t-9");
    assertThat(p.scopes()).containsExactlyInAnyOrder("a", "b", "c");
    assertThat(p.tokenId()).isEqualTo("j-1");
    assertThat(p.expiresAt()).isEqualTo(clock.instant().plus(Duration.ofMinutes(5)));
    assertThat(p.claims()).containsEntry("org", "t-9");
    assertThatThrownBy(() -> p.claims().put("x", 1)).isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void verify_keyBoundToAnotherIssuer_isUntrustedIssuer() throws Exception {
    KeySource keys = KeySet.of(List.of(VerificationKey.of(RSA.kid(), RSA.publicKey(), null).boundTo("https://b.example")));
    JwtVerifier v = JwtVerifier.create(JwtVerifier.Settings.builder()
        .algorithms(List.of("RS256"))
        .issuers(List.of("ocrgate", "https://b.example"))
        .audience("ocrgate")
        .skew(Duration.ofSeconds(60))
        .strictTyp(true)
        .tenantClaim("org")
        .build(), keys, clock);
    assertReason(v, tokens.sign(RSA), Reason.UNTRUSTED_ISSUER);
    assertThat(v.verify(tokens.sign(RSA, b -> b.issuer("https://b.example"))).subject()).isEqualTo("alice");
  }

  @Test
  void verify_scpString_isSpaceSeparated_likeScope() throws Exception {
    Principal p = verifier(true).verify(tokens.sign(RSA, b -> b.claim("scope", null)
        .claim("scp", "ocr:recognize ocr:stream")));
    assertThat(p.scopes()).containsExactlyInAnyOrder("ocr:recognize", "ocr:stream");
    Principal arrays = verifier(true).verify(tokens.sign(RSA, b -> b.claim("scope", List.of("a"))
        .claim("scp", List.of("b c", "d", 7))));
    assertThat(arrays.scopes()).as("arrays of such strings, by the same rule").containsExactlyInAnyOrder("a", "b", "c", "d");
  }

  @Test
  void verify_critHeader_isUnsupportedCritical_whateverItsShape() throws Exception {
    String payload = Tokens.b64(tokens.payloadJson(""));
    for (String header : List.of("{\"alg\":\"RS256\",\"typ\":\"at+jwt\",\"kid\":\"K\",\"crit\":[\"x\"],\"x\":1}",
        "{\"alg\":\"RS256\",\"typ\":\"at+jwt\",\"kid\":\"K\",\"crit\":\"x\"}")) {
      assertReason(verifier(true), Tokens.b64(header.replace("K", RSA.kid())) + "." + payload + ".c2ln", Reason.UNSUPPORTED_CRITICAL);
    }
    String signed = tokens.sign(RSA, b -> b.header().add("exp-x", 1).critical().add("exp-x"));
    assertReason(verifier(true), signed, Reason.UNSUPPORTED_CRITICAL);
  }

  @Test
  void verify_audienceArray_containingOurs_isAccepted() throws Exception {
    String t = tokens.sign(RSA, b -> b.audience().add("other").and());
    assertThat(verifier(false).verify(t)).isNotNull();
  }

  @Test
  void settings_none_isRefused() {
    assertThatThrownBy(() -> JwtVerifier.Settings.builder()
        .algorithms(List.of("RS256", "none"))
        .issuers(List.of("i"))
        .audience("a")
        .skew(Duration.ZERO)
        .strictTyp(false)
        .tenantClaim("t")
        .build()).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void settings_withoutAudience_isRefused_namingWhatWasSet() {
    assertThatThrownBy(() -> JwtVerifier.Settings.builder()
        .algorithms(List.of("RS256"))
        .issuers(List.of("ocrgate"))
        .build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("audience are required")
        .hasMessageContaining("set: algorithms issuers");
  }

  @Test
  void settings_defaults_areTheAuthSectionDefaults() {
    JwtVerifier.Settings s = JwtVerifier.Settings.builder()
        .algorithms(List.of("RS256")).issuers(List.of("ocrgate")).audience("ocrgate").build();
    assertThat(s.skew()).isEqualTo(Duration.ofSeconds(60));
    assertThat(s.maxLifetime()).isEqualTo(JwtVerifier.Settings.DEFAULT_MAX_LIFETIME);
  }

  @Test
  void verificationKey_rsaKey_isNeverUsableForHmac() {
    VerificationKey k = VerificationKey.of("k", RSA.publicKey(), null);
    assertThat(k.usableFor("HS256")).isFalse();
    assertThat(k.usableFor("RS256")).isTrue();
    assertThat(k.usableFor("ES256")).isFalse();
    assertThat(VerificationKey.of("k", RSA.publicKey(), "RS512").usableFor("RS256")).as("JWK alg pins").isFalse();
  }

  static void assertReason(JwtVerifier v, String token, Reason reason) {
    assertThatThrownBy(() -> v.verify(token)).isInstanceOfSatisfying(TokenRejectedException.class,
        e -> assertThat(e.reason()).isEqualTo(reason));
  }
}
