package dev.ocrgate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ocrgate config check FILE}: with a real environment in a child process where the
 * environment matters, in-process otherwise (a child JVM costs seconds on a shared machine).
 */
class ConfigCheckCommandTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(60);
  @TempDir Path dir;

  /** Runs the CLI in-process; returns {exit status, stdout, stderr}. */
  private static Object[] run(String... args) {
    java.io.StringWriter out = new java.io.StringWriter();
    java.io.StringWriter err = new java.io.StringWriter();
    int status = new picocli.CommandLine(new Main())
        .setOut(new java.io.PrintWriter(out, true))
        .setErr(new java.io.PrintWriter(err, true))
        .execute(args);
    return new Object[] {status, out.toString(), err.toString()};
  }

  private Path file(String yaml) throws Exception {
    Path f = dir.resolve("ocrgate.yaml");
    Files.writeString(f, yaml);
    return f;
  }

  @Test
  void verify_check_printsEffectiveConfigWithEnvironmentApplied_andSecretsMasked() throws Exception {
    Path f = file("server:\n  port: 9000\n  drain_timeout_seconds: 5\ntls:\n  cert_chain: /etc/ocrgate/tls.crt\n");
    try (CliProcess p = CliProcess.start(dir, Map.of(
        "OCRGATE_SERVER_PORT", "9100",
        "OCRGATE_TLS_PRIVATE_KEY", "/run/secrets/hunter2-key.pem",
        "OCRGATE_HOME", "/opt/ocrgate"), "config", "check", f.toString())) {
      assertThat(p.await(TIMEOUT)).as(p.stderrText()).isZero();
      assertThat(p.stdoutText())
          .contains("port: 9100")
          .contains("drain_timeout_seconds: 5")
          .contains("cert_chain: /etc/ocrgate/tls.crt")
          .contains("private_key: '****'")
          .doesNotContain("hunter2");
      assertThat(p.stderrText()).contains("is valid").doesNotContain("hunter2");
    }
  }

  @Test
  void verify_check_ignoreEnv_showsTheFileAlone() throws Exception {
    Path f = file("server:\n  port: 9000\n");
    Object[] r = run("config", "check", "--ignore-env", f.toString());
    assertThat(r[0]).isEqualTo(0);
    assertThat((String) r[1]).contains("port: 9000").contains("format: text");
  }

  @Test
  void verify_check_unknownFileKey_exits2AndNamesIt() throws Exception {
    Path f = file("server:\n  prot: 9000\n");
    Object[] r = run("config", "check", "--ignore-env", f.toString());
    assertThat(r[0]).isEqualTo(2);
    assertThat((String) r[2]).contains("unknown config key 'prot'");
    assertThat((String) r[1]).isEmpty();
  }

  @Test
  void verify_check_mistypedVariable_exits2AndNamesItButNotItsValue() throws Exception {
    Path f = file("{}\n");
    try (CliProcess p = CliProcess.start(dir, Map.of("OCRGATE_METRICS_PROT", "s3cret-ish"),
        "config", "check", f.toString())) {
      assertThat(p.await(TIMEOUT)).isEqualTo(2);
      assertThat(p.stderrText()).contains("OCRGATE_METRICS_PROT").doesNotContain("s3cret");
    }
  }

  @Test
  void verify_check_missingFile_exits2() throws Exception {
    Object[] r = run("config", "check", dir.resolve("nope.yaml").toString());
    assertThat(r[0]).isEqualTo(2);
    assertThat((String) r[2]).contains("config file not found");
  }
}
