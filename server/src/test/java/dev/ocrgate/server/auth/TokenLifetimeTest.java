package dev.ocrgate.server.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ocrgate.server.ServerAssembly;
import dev.ocrgate.server.auth.TokenRejectedException.Reason;
import dev.ocrgate.server.config.ConfigException;
import dev.ocrgate.server.config.OcrgateConfig;
import dev.ocrgate.server.testing.MutableClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The maximum token lifetime ({@code auth.max_token_lifetime_seconds}) that bounds how long revocations are kept. */
class TokenLifetimeTest {
  static final SigningKey RSA = SigningKeys.generate("RS256");
  final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
  final Tokens tokens = new Tokens(clock);
  @TempDir Path dir;

  JwtVerifier verifier(Duration maxLifetime) {
    return JwtVerifier.create(JwtVerifier.Settings.builder()
        .algorithms(List.of("RS256"))
        .issuers(List.of("ocrgate"))
        .audience("ocrgate")
        .skew(Duration.ofSeconds(60))
        .strictTyp(false)
        .tenantClaim("tenant_id")
        .build().withMaxLifetime(maxLifetime),
        KeySet.of(List.of(VerificationKey.of(RSA.kid(), RSA.publicKey(), null))), clock);
  }

  String lifetime(Instant iat, Duration ttl) {
    return tokens.sign(RSA, b -> b.issuedAt(iat == null ? null : Date.from(iat))
        .expiration(Date.from((iat == null ? clock.instant() : iat).plus(ttl))));
  }

  @Test
  void verify_expMinusIatAboveTheMaximum_isLifetimeTooLong_evenLongAfterIssue() throws Exception {
    JwtVerifier v = verifier(Duration.ofHours(1));
    assertThat(v.verify(lifetime(clock.instant(), Duration.ofHours(1))).subject()).isEqualTo("alice");

    String twoHours = lifetime(clock.instant(), Duration.ofHours(1).plusSeconds(1));
    assertReason(v, twoHours, Reason.LIFETIME_TOO_LONG);
    clock.advance(Duration.ofMinutes(50)); // its remaining lifetime is short now; its lifetime is not
    assertReason(v, twoHours, Reason.LIFETIME_TOO_LONG);
  }

  @Test
  void verify_withoutIat_isMissingClaim_itsLifetimeCannotBeBounded() throws Exception {
    assertReason(verifier(Duration.ofHours(1)), lifetime(null, Duration.ofMinutes(5)), Reason.MISSING_CLAIM);
  }

  @Test
  void settings_default_isTwentyFourHours_andMustBePositive() {
    JwtVerifier.Settings s = JwtVerifier.Settings.builder()
        .algorithms(List.of("RS256"))
        .issuers(List.of("ocrgate"))
        .audience("ocrgate")
        .skew(Duration.ofSeconds(60))
        .strictTyp(false)
        .tenantClaim("tenant_id")
        .build();
    assertThat(s.maxLifetime()).isEqualTo(Duration.ofHours(24));
    assertThatThrownBy(() -> s.withMaxLifetime(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void config_nonPositiveMaximum_isRefusedAtStartup() {
    OcrgateConfig c = new OcrgateConfig();
    c.auth.max_token_lifetime_seconds = 0;
    // ConfigLoader's one validator refuses it, before the verifier is built.
    assertThatThrownBy(() -> ServerAssembly.assemble(c))
        .isInstanceOf(ConfigException.class).hasMessageContaining("max_token_lifetime_seconds");
  }

  @Test
  void config_issuerAccessTtlAboveTheMaximum_isRefusedAtStartup() throws Exception {
    OcrgateConfig c = new OcrgateConfig();
    c.issuer.enabled = true;
    c.issuer.clients_file = Files.writeString(dir.resolve("clients.yaml"), "clients: []\n").toString();
    c.issuer.keys_dir = dir.resolve("keys").toString();
    c.issuer.access_ttl_seconds = 7200;
    c.auth.max_token_lifetime_seconds = 3600;
    assertThatThrownBy(() -> ServerAssembly.assemble(c)).isInstanceOf(ConfigException.class)
        .hasMessageContaining("issuer.access_ttl_seconds (7200) exceeds auth.max_token_lifetime_seconds (3600)");
  }

  static void assertReason(JwtVerifier v, String token, Reason reason) {
    assertThatThrownBy(() -> v.verify(token)).isInstanceOfSatisfying(TokenRejectedException.class,
        e -> assertThat(e.reason()).isEqualTo(reason));
  }
}
