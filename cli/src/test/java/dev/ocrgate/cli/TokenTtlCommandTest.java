package dev.ocrgate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ocrgate token --ttl}: nothing the server's default maximum lifetime would refuse. */
class TokenTtlCommandTest {
  @TempDir Path dir;

  @Test
  void ttlAboveTheServersMaximum_isRefusedWithExit2AndSaysWhy() {
    assertThat(Main.run("keys", "generate", "--dir", dir.toString())).isZero();

    Result r = run("token", "--keys-dir", dir.toString(), "--sub", "a", "--ttl", "PT24H1S");

    assertThat(r.exit).isEqualTo(2);
    assertThat(r.out).isEmpty();
    assertThat(r.err).contains("--ttl must be more than 0 and at most 86400 s").contains("auth.max_token_lifetime_seconds");
  }

  @Test
  void ttlOfExactlyTheMaximum_mintsAToken() {
    assertThat(Main.run("keys", "generate", "--dir", dir.toString())).isZero();

    Result r = run("token", "--keys-dir", dir.toString(), "--sub", "a", "--ttl", "86400");

    assertThat(r.exit).as(r.err).isZero();
    assertThat(r.out.strip().split("\\.")).hasSize(3);
  }

  record Result(int exit, String out, String err) {}

  private static synchronized Result run(String... args) {
    PrintStream oldOut = System.out;
    PrintStream oldErr = System.err;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    try {
      int exit = Main.run(args);
      return new Result(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(oldOut);
      System.setErr(oldErr);
    }
  }
}
