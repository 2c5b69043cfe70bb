package dev.ocrgate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ocrgate.server.auth.issuer.KeyRing;
import dev.ocrgate.server.auth.issuer.SecretHash;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClientsAndKeysRotateCommandTest {
  private static final Pattern HASH = Pattern.compile("secret_hash: '([^']+)'");
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private PrintStream savedOut;
  private InputStream savedIn;

  @TempDir Path dir;

  @BeforeEach
  void capture() {
    savedOut = System.out;
    savedIn = System.in;
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
  }

  @AfterEach
  void restore() {
    System.setOut(savedOut);
    System.setIn(savedIn);
  }

  @Test
  void hashSecret_fromStdin_printsAVerifyingHashButNotTheSecret() {
    System.setIn(new ByteArrayInputStream("my-client-secret\n".getBytes(StandardCharsets.UTF_8)));

    int code = Main.run("clients", "hash-secret");

    String printed = out.toString(StandardCharsets.UTF_8);
    assertThat(code).isZero();
    assertThat(printed).doesNotContain("my-client-secret");
    Matcher m = HASH.matcher(printed);
    assertThat(m.find()).isTrue();
    assertThat(SecretHash.parse(m.group(1)).matches("my-client-secret".toCharArray())).isTrue();
    assertThat(SecretHash.parse(m.group(1)).iterations()).isEqualTo(SecretHash.MIN_ITERATIONS);
  }

  @Test
  void hashSecret_generate_printsSecretOnceWithItsHash() {
    int code = Main.run("clients", "hash-secret", "--generate");

    String printed = out.toString(StandardCharsets.UTF_8);
    assertThat(code).isZero();
    Matcher s = Pattern.compile("client_secret: (\\S+)").matcher(printed);
    Matcher h = HASH.matcher(printed);
    assertThat(s.find()).isTrue();
    assertThat(h.find()).isTrue();
    assertThat(s.group(1)).hasSize(43);
    assertThat(SecretHash.parse(h.group(1)).matches(s.group(1).toCharArray())).isTrue();
  }

  @Test
  void hashSecret_secretOnCommandLineOrWeakIterations_isRefused() {
    assertThat(Main.run("clients", "hash-secret", "my-client-secret")).isEqualTo(2);
    assertThat(Main.run("clients", "hash-secret", "--iterations", "1000")).isEqualTo(2);
  }

  @Test
  void keysRotate_addsKidAndKeepsThePreviousOne() throws Exception {
    assertThat(Main.run("keys", "rotate", "--keys-dir", dir.toString())).isZero();
    String first = KeyRing.load(dir, Clock.systemUTC()).current().kid();

    assertThat(Main.run("keys", "rotate", "--keys-dir", dir.toString(), "--alg", "ES256")).isZero();

    KeyRing ring = KeyRing.load(dir, Clock.systemUTC());
    assertThat(ring.current().algorithm()).isEqualTo("ES256");
    assertThat(ring.kids()).containsExactly(ring.current().kid(), first);
    assertThat(Files.readString(dir.resolve("jwks.json"))).contains(first).contains(ring.current().kid());
    assertThat(Main.run("keys", "rotate", "--keys-dir", dir.toString(), "--alg", "HS999")).isEqualTo(2);
  }
}
