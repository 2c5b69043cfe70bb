package dev.ocrgate.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ocrgate.server.auth.JwtVerifier;
import dev.ocrgate.server.auth.KeySet;
import dev.ocrgate.server.auth.Principal;
import dev.ocrgate.server.auth.TokenRejectedException;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code keys generate} then {@code token}: the minted token verifies against the written JWKS. */
class KeysAndTokenCommandTest {
  @TempDir Path dir;

  @ParameterizedTest
  @ValueSource(strings = {"RS256", "ES256", "EdDSA"})
  void keysGenerateThenToken_mintsATokenTheJwksVerifies(String alg) throws Exception {
    Path keys = dir.resolve(alg);
    assertThat(run("keys", "generate", "--dir", keys.toString(), "--alg", alg).exit).isZero();
    assertThat(run("keys", "generate", "--dir", keys.toString()).exit).as("no silent overwrite").isEqualTo(2);

    Result r = run("token", "--keys-dir", keys.toString(), "--sub", "alice", "--scope", "ocr:recognize,ocr:stream",
        "--ttl", "PT10M", "--aud", "ocrgate", "--tenant", "acme");
    assertThat(r.exit).isZero();
    String token = r.out.strip();

    KeySet jwks = KeySet.parseJwks(Files.readString(keys.resolve("jwks.json")));
    JwtVerifier verifier = JwtVerifier.create(JwtVerifier.Settings.builder()
        .algorithms(List.of("RS256", "ES256", "EdDSA"))
        .issuers(List.of("ocrgate"))
        .audience("ocrgate")
        .skew(Duration.ofSeconds(60))
        .strictTyp(true)
        .tenantClaim("tenant_id")
        .build(), jwks, Clock.systemUTC());
    Principal p = verifier.verify(token);
    assertThat(p.subject()).isEqualTo("alice");
    assertThat(p.tenant()).isEqualTo("acme");
    assertThat(p.scopes()).containsExactlyInAnyOrder("ocr:recognize", "ocr:stream");
    assertThat(Duration.between(p.issuedAt(), p.expiresAt())).isEqualTo(Duration.ofMinutes(10));
    assertThat(p.tokenId()).isNotBlank();
  }

  /**
   * Issue 12: {@code keys generate} then {@code keys rotate} published only the new kid (the
   * generated key's tokens stopped verifying) and {@code token} then failed or signed with the old
   * private key under the new kid.
   */
  @Test
  void keysGenerateThenRotate_keepsTheGeneratedKeyVerifiable_andTokenSignsWithTheNewKey() throws Exception {
    Path keys = dir.resolve("rotated");
    assertThat(run("keys", "generate", "--dir", keys.toString()).exit).isZero();
    String before = mint(keys);

    Result rotated = run("keys", "rotate", "--keys-dir", keys.toString(), "--alg", "ES256");
    assertThat(rotated.exit).isZero();
    Result after = run("token", "--keys-dir", keys.toString(), "--sub", "alice", "--ttl", "PT10M");
    assertThat(after.exit).as("token after rotate").isZero();

    JwtVerifier verifier = verifier(keys);
    assertThat(verifier.verify(before).subject()).as("token of the generated key, after rotation").isEqualTo("alice");
    assertThat(verifier.verify(after.out.strip()).subject()).isEqualTo("alice");
    assertThat(kid(after.out.strip())).as("signed with the new current key").isNotEqualTo(kid(before))
        .startsWith("es256-");
    assertThat(rotated.out).contains("current kid " + kid(after.out.strip())).contains(kid(before));
    assertThat(run("keys", "generate", "--dir", keys.toString(), "--force").exit)
        .as("generate never clobbers a rotated folder").isEqualTo(2);

    // Rotating again keeps both earlier keys; rotating with --keep-for-seconds 0 (a leaked key)
    // drops the key it replaces at once.
    String second = after.out.strip();
    assertThat(run("keys", "rotate", "--keys-dir", keys.toString()).exit).isZero();
    String third = mint(keys);
    assertThat(verifier(keys).verify(before)).isNotNull();
    assertThat(verifier(keys).verify(second)).isNotNull();
    assertThat(run("keys", "rotate", "--keys-dir", keys.toString(), "--keep-for-seconds", "0").exit).isZero();
    assertThatThrownBy(() -> verifier(keys).verify(third)).isInstanceOf(TokenRejectedException.class);
    assertThat(verifier(keys).verify(second)).isNotNull();
    assertThat(verifier(keys).verify(mint(keys))).isNotNull();
  }

  private static String mint(Path keys) {
    Result r = run("token", "--keys-dir", keys.toString(), "--sub", "alice", "--ttl", "PT10M");
    assertThat(r.exit).isZero();
    return r.out.strip();
  }

  private static JwtVerifier verifier(Path keys) throws Exception {
    KeySet jwks = KeySet.parseJwks(Files.readString(keys.resolve("jwks.json")));
    return JwtVerifier.create(JwtVerifier.Settings.builder()
        .algorithms(List.of("RS256", "ES256", "EdDSA"))
        .issuers(List.of("ocrgate"))
        .audience("ocrgate")
        .skew(Duration.ofSeconds(60))
        .strictTyp(true)
        .tenantClaim("tenant_id")
        .build(), jwks, Clock.systemUTC());
  }

  private static String kid(String token) {
    String header = new String(Base64.getUrlDecoder().decode(token.substring(0, token.indexOf('.'))),
        StandardCharsets.UTF_8);
    Matcher m = Pattern.compile("\"kid\":\"([^\"]+)\"").matcher(header);
    assertThat(m.find()).isTrue();
    return m.group(1);
  }

  @Test
  void token_withoutKey_failsWithExitTwo() {
    assertThat(run("token", "--keys-dir", dir.resolve("none").toString(), "--sub", "a").exit).isEqualTo(2);
  }

  @Test
  void keysGenerate_unknownAlgorithm_failsWithExitTwo() {
    assertThat(run("keys", "generate", "--dir", dir.toString(), "--alg", "HS256").exit).isEqualTo(2);
  }

  record Result(int exit, String out) {}

  private static synchronized Result run(String... args) {
    PrintStream old = System.out;
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
    try {
      int exit = Main.run(args);
      return new Result(exit, buf.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(old);
    }
  }
}
