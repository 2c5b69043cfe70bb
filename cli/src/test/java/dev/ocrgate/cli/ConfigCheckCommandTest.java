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
    Path crt = Files.writeString(dir.resolve("tls.crt"), "not checked here, only that it is readable");
    Path key = Files.writeString(dir.resolve("hunter2-key.pem"), "x");
    Path f = file("server:\n  port: 9000\n  drain_timeout_seconds: 5\ntls:\n  cert_chain: " + crt
        + "\nauth:\n  jwks_url: https://ocrgate:hunter2pw@idp:8443/jwks\n");
    try (CliProcess p = CliProcess.start(dir, Map.of(
        "OCRGATE_SERVER_PORT", "9100",
        "OCRGATE_TLS_PRIVATE_KEY", key.toString(),
        "OCRGATE_HOME", "/opt/ocrgate"), "config", "check", f.toString())) {
      assertThat(p.await(TIMEOUT)).as(p.stderrText()).isZero();
      assertThat(p.stdoutText())
          .contains("port: 9100")
          .contains("drain_timeout_seconds: 5")
          .contains("cert_chain: " + crt)
          .contains("private_key: '****'")
          .contains("jwks_url: https://ocrgate:****@idp:8443/jwks")
          .contains("hs256_secret_env: OCRGATE_JWT_SECRET") // a variable's name, not a secret
          .contains("password_env: OCRGATE_REDIS_PASSWORD")
          .doesNotContain("hunter2");
      assertThat(p.stderrText()).contains("is valid").doesNotContain("hunter2");
    }
  }

  @Test
  void verify_check_redisUrlWithPassword_isRefusedAsServeRefusesIt_withoutPrintingIt() throws Exception {
    Path f = file("redis:\n  url: redis://ocrgate:hunter2pw@redis:6379/0\n");
    Object[] r = run("config", "check", "--ignore-env", f.toString());
    assertThat(r[0]).isEqualTo(2);
    assertThat((String) r[2]).contains("redis.url must not contain a user or password").doesNotContain("hunter2");
    assertThat((String) r[1]).isEmpty();
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
    assertThat((String) r[2]).contains("unknown config key 'server.prot' (did you mean 'server.port'?)")
        .doesNotContain("OcrgateConfig");
    assertThat((String) r[1]).isEmpty();
  }

  @Test
  void verify_check_refusesWhatServeRefuses_badEnumAndMissingFiles() throws Exception {
    Object[] expiry = run("config", "check", "--ignore-env", file("auth:\n  stream_expiry: sometimes\n").toString());
    assertThat(expiry[0]).isEqualTo(2);
    assertThat((String) expiry[2]).contains("auth.stream_expiry must be close or allow");

    Object[] clientAuth = run("config", "check", "--ignore-env", file("tls:\n  client_auth: maybe\n").toString());
    assertThat(clientAuth[0]).isEqualTo(2);
    assertThat((String) clientAuth[2]).contains("tls.client_auth must be none, optional or require");

    Path missing = dir.resolve("absent.pem");
    Object[] tls = run("config", "check", "--ignore-env", file("tls:\n  cert_chain: " + missing + "\n").toString());
    assertThat(tls[0]).isEqualTo(2);
    assertThat((String) tls[2]).contains("tls.cert_chain: cannot read " + missing);

    Object[] jwks = run("config", "check", "--ignore-env", file("auth:\n  jwks_file: " + missing + "\n").toString());
    assertThat(jwks[0]).isEqualTo(2);
    assertThat((String) jwks[2]).contains("auth.jwks_file: cannot read " + missing);

    // A config for a pod whose files are mounted there: values checked, files not.
    Object[] elsewhere = run("config", "check", "--ignore-env", "--skip-files",
        file("tls:\n  cert_chain: " + missing + "\n").toString());
    assertThat(elsewhere[0]).as((String) elsewhere[2]).isEqualTo(0);
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
