package dev.ocrgate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ocrgate.server.OcrgateServer;
import dev.ocrgate.server.ServerAssembly;
import dev.ocrgate.server.auth.issuer.SecretHash;
import dev.ocrgate.server.config.OcrgateConfig;
import dev.ocrgate.server.testing.RepoPaths;
import dev.ocrgate.server.testing.TestTls;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code ocrgate clients token} and {@code --client-id} against a real server's built-in issuer
 * (client credentials, PBKDF2-hashed secret, issuer keys verified through their JWKS file).
 */
class ClientsTokenCommandTest {
  private static final String SECRET = "clients-token-secret-value";
  @TempDir static Path dir;
  static OcrgateServer server;

  @BeforeAll
  static void start() throws Exception {
    OcrgateConfig config = new OcrgateConfig();
    config.server.port = 0;
    config.server.drain_timeout_seconds = 1;
    TestTls.certs().applyTo(config.tls);
    config.models = new ArrayList<>(List.of(RepoPaths.modelDir().toString()));
    config.metrics.enabled = false;
    Path keysDir = dir.resolve("issuer-keys");
    config.issuer.enabled = true;
    config.issuer.keys_dir = keysDir.toString();
    config.auth.jwks_file = keysDir.resolve("jwks.json").toString();
    config.auth.jwks_file_issuer = "ocrgate";
    Path clients = dir.resolve("clients.yaml");
    Files.writeString(clients, "clients:\n  - id: cli-app\n    secret_hash: '"
        + SecretHash.hash(SECRET.toCharArray(), SecretHash.MIN_ITERATIONS).encode()
        + "'\n    tenant: cli\n    scopes: [ocr:recognize]\n");
    config.issuer.clients_file = clients.toString();
    server = ServerAssembly.assemble(config).start();
  }

  @AfterAll
  static void stop() {
    server.shutdownGracefully();
  }

  private record Run(int exit, String out, String err) {}

  private static Run run(Object command, String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream oldOut = System.out;
    PrintStream oldErr = System.err;
    try {
      System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
      System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
      if (command instanceof RecognizeCommand r) {
        r.out = System.out;
        r.err = System.err;
      }
      int exit = new CommandLine(command)
          .setErr(new PrintWriter(err, true, StandardCharsets.UTF_8))
          .setExecutionExceptionHandler(Main::failed)
          .execute(args);
      return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(oldOut);
      System.setErr(oldErr);
    }
  }

  private static String[] target(Path secretFile, String... more) {
    List<String> a = new ArrayList<>(List.of(more));
    a.addAll(List.of("--client-id", "cli-app", "--client-secret-file", secretFile.toString(),
        "--target", "127.0.0.1:" + server.port(), "--ca", TestTls.certs().caCert().toString()));
    return a.toArray(String[]::new);
  }

  @Test
  void verify_token_printsAnIssuedToken_withTheClientsTenantAndScopes() throws Exception {
    Path secret = Files.writeString(dir.resolve("secret"), SECRET + "\n");

    Run r = run(new ClientsCommand.Token(), target(secret));

    assertThat(r.exit()).as(r.err()).isZero();
    String[] parts = r.out().strip().split("\\.");
    assertThat(parts).hasSize(3);
    JsonNode claims = new ObjectMapper().readTree(Base64.getUrlDecoder().decode(parts[1]));
    assertThat(claims.path("iss").asText()).isEqualTo("ocrgate");
    assertThat(claims.path("sub").asText()).isEqualTo("cli-app");
    assertThat(claims.path("tenant_id").asText()).isEqualTo("cli");
    assertThat(claims.toString()).contains("ocr:recognize");
  }

  @Test
  void verify_wrongSecret_exit1_unauthenticated_andTheSecretIsNotPrinted() throws Exception {
    Path secret = Files.writeString(dir.resolve("wrong"), "not-the-secret-xyz\n");

    Run r = run(new ClientsCommand.Token(), target(secret));

    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.out()).isEmpty();
    assertThat(r.err()).contains("UNAUTHENTICATED").doesNotContain("not-the-secret-xyz").doesNotContain("\tat ");
  }

  @Test
  void verify_recognize_withClientId_getsItsOwnTokenFromTheIssuer() throws Exception {
    Path secret = Files.writeString(dir.resolve("secret2"), SECRET);
    Path junk = Files.write(dir.resolve("x.png"), new byte[8]);

    Run r = run(new RecognizeCommand(), target(secret, junk.toString()));

    // The image is checked only after the JWT interceptor let the call through: INVALID_ARGUMENT
    // (not UNAUTHENTICATED) proves the issued token was fetched, sent and accepted.
    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.err()).contains("INVALID_ARGUMENT").doesNotContain("UNAUTHENTICATED");
  }
}
