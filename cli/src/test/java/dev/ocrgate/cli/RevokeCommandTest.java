package dev.ocrgate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ocrgate.server.OcrgateServer;
import dev.ocrgate.server.auth.InMemoryRevocationStore;
import dev.ocrgate.server.auth.JwtAuth;
import dev.ocrgate.server.auth.RevocationStore.Scope;
import dev.ocrgate.server.auth.SigningKey;
import dev.ocrgate.server.auth.SigningKeys;
import dev.ocrgate.server.auth.TokenMinter;
import dev.ocrgate.server.auth.issuer.Issuers;
import dev.ocrgate.server.auth.issuer.Revoker;
import dev.ocrgate.server.config.OcrgateConfig;
import dev.ocrgate.server.testing.TestTls;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code ocrgate revoke} against a real TLS server that authenticates with JWTs and serves
 * RevokeToken without the built-in issuer.
 */
class RevokeCommandTest {
  @TempDir Path dir;
  private final InMemoryRevocationStore store = InMemoryRevocationStore.create(Clock.systemUTC());
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();
  private SigningKey key;
  private JwtAuth auth;
  private OcrgateServer server;

  @BeforeEach
  void start() throws Exception {
    key = SigningKeys.generate("ES256");
    Path jwks = Files.writeString(dir.resolve("jwks.json"), SigningKey.jwksJson(List.of(key.publicJwk())));
    OcrgateConfig config = new OcrgateConfig();
    config.server.port = 0;
    TestTls.certs().applyTo(config.tls);
    config.auth.jwks_file = jwks.toString();
    auth = JwtAuth.fromConfig(config.auth, Map.<String, String>of()::get, null, store, Clock.systemUTC());
    Revoker revoker = Revoker.create(store, config.auth.issuers, Duration.ofHours(24), Duration.ofSeconds(60),
        Duration.ZERO, Clock.systemUTC());
    server = OcrgateServer.builder(config).addInterceptor(auth.interceptor())
        .addService(Issuers.revocationService(revoker)).build().start();
  }

  @AfterEach
  void stop() {
    server.shutdownGracefully();
    auth.close();
  }

  @Test
  void revokeJti_storesItInTheAdminsTenant_exit0() throws Exception {
    int exit = run("--jti", "leaked-1", "--token", token("acme", "ocr:admin"));

    assertThat(exit).as(err.toString(StandardCharsets.UTF_8)).isZero();
    assertThat(out.toString(StandardCharsets.UTF_8)).contains("revoked jti leaked-1");
    assertThat(store.isRevoked(Scope.of("ocrgate", "acme"), "leaked-1", "x", Instant.now())).isTrue();
    assertThat(store.isRevoked(Scope.of("ocrgate", "globex"), "leaked-1", "x", Instant.now())).isFalse();
  }

  @Test
  void revokeSubject_inAnotherTenant_withoutTheCrossTenantScope_isPermissionDenied_exit1() throws Exception {
    int exit = run("--subject", "bob", "--tenant", "globex", "--token", token("acme", "ocr:admin"));

    assertThat(exit).isEqualTo(1);
    assertThat(err.toString(StandardCharsets.UTF_8)).startsWith("ocrgate revoke: PERMISSION_DENIED: may revoke only");
    assertThat(store.isRevoked(Scope.of("ocrgate", "globex"), null, "bob", Instant.now().minusSeconds(1))).isFalse();
  }

  @Test
  void revokeSubject_inAnotherTenant_withTheCrossTenantScope_exit0() throws Exception {
    int exit = run("--subject", "bob", "--tenant", "globex", "--issuer", "ocrgate",
        "--token", token("ops", "ocr:admin", "ocr:admin:all-tenants"));

    assertThat(exit).as(err.toString(StandardCharsets.UTF_8)).isZero();
    assertThat(store.isRevoked(Scope.of("ocrgate", "globex"), null, "bob", Instant.now().minusSeconds(1))).isTrue();
  }

  @Test
  void emptyTenant_meansTokensWithoutATenant() throws Exception {
    int exit = run("--subject", "dev", "--tenant", "", "--token", token(null, "ocr:admin"));

    assertThat(exit).as(err.toString(StandardCharsets.UTF_8)).isZero();
    assertThat(store.isRevoked(Scope.of("ocrgate", null), null, "dev", Instant.now().minusSeconds(1))).isTrue();
  }

  @Test
  void neitherJtiNorSubject_orBoth_isAUsageError_exit2() throws Exception {
    String admin = token("acme", "ocr:admin");
    assertThat(run("--token", admin)).isEqualTo(2);
    assertThat(run("--jti", "a", "--subject", "b", "--token", admin)).isEqualTo(2);
  }

  private String token(String tenant, String... scopes) {
    return TokenMinter.of(key, "ocrgate", "tenant_id", Clock.systemUTC())
        .mint("admin", List.of(scopes), Duration.ofMinutes(5), "ocrgate", tenant);
  }

  private int run(String... args) {
    RevokeCommand cmd = new RevokeCommand();
    cmd.out = new PrintStream(out, true, StandardCharsets.UTF_8);
    cmd.err = new PrintStream(err, true, StandardCharsets.UTF_8);
    String[] all = new String[args.length + 4];
    System.arraycopy(args, 0, all, 0, args.length);
    all[args.length] = "--target";
    all[args.length + 1] = "127.0.0.1:" + server.port();
    all[args.length + 2] = "--ca";
    all[args.length + 3] = TestTls.certs().caCert().toString();
    return new CommandLine(cmd).execute(all);
  }
}
