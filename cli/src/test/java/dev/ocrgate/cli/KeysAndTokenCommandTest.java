package dev.ocrgate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ocrgate.server.auth.JwtVerifier;
import dev.ocrgate.server.auth.KeySet;
import dev.ocrgate.server.auth.Principal;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
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
    JwtVerifier verifier = JwtVerifier.create(JwtVerifier.Settings.of(List.of("RS256", "ES256", "EdDSA"),
        List.of("ocrgate"), "ocrgate", Duration.ofSeconds(60), true, "tenant_id"), jwks, Clock.systemUTC());
    Principal p = verifier.verify(token);
    assertThat(p.subject()).isEqualTo("alice");
    assertThat(p.tenant()).isEqualTo("acme");
    assertThat(p.scopes()).containsExactlyInAnyOrder("ocr:recognize", "ocr:stream");
    assertThat(Duration.between(p.issuedAt(), p.expiresAt())).isEqualTo(Duration.ofMinutes(10));
    assertThat(p.tokenId()).isNotBlank();
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
