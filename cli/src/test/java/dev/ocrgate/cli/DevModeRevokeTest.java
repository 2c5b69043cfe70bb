package dev.ocrgate.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.ByteString;
import dev.ocrgate.api.v1.EncodedImage;
import dev.ocrgate.api.v1.Image;
import dev.ocrgate.api.v1.OcrServiceGrpc;
import dev.ocrgate.api.v1.RecognizeRequest;
import dev.ocrgate.server.testing.RepoPaths;
import dev.ocrgate.server.testing.TestTls;
import io.grpc.Grpc;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.MetadataUtils;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's dev walkthrough as a user runs it: {@code serve --dev} prints an admin token,
 * {@code token} mints a user token with the dev key, {@code revoke --jti} with the admin token
 * revokes it, and the user token is refused at its next call. (Found by doing exactly this: the
 * dev token used to carry tenant "dev", so its revocation landed in another tenant than the
 * tenant-less user token's, and the revoked token kept working.)
 */
class DevModeRevokeTest {
  @TempDir Path dir;

  @Test
  void devAdminToken_revokesATokenMintedByTheTokenCommand() throws Exception {
    Path devDir = dir.resolve("dev");
    Path config = dir.resolve("ocrgate.yaml");
    Files.writeString(config, String.join("\n",
        "server: {host: 127.0.0.1, port: 0, drain_timeout_seconds: 5}",
        "tls: {cert_chain: '" + TestTls.certs().serverCert() + "', private_key: '"
            + TestTls.certs().dir().resolve("server.key") + "'}",
        "models: ['" + RepoPaths.modelDir() + "']",
        "dev: {enabled: true, certs_dir: '" + devDir + "'}",
        "metrics: {enabled: false}", ""));
    try (CliProcess p = CliProcess.start(dir, Map.of(), "serve", "--config", config.toString())) {
      int port = Integer.parseInt(awaitMatch(p, "ocrgate serving on 127\\.0\\.0\\.1:(\\d+)"));
      String admin = awaitMatch(p, "export OCRGATE_TOKEN=(\\S+)");
      String user = command("token", "--keys-dir", devDir.resolve("jwt").toString(), "--sub", "alice",
          "--scope", "ocr:recognize", "--ttl", "3600").strip();
      ManagedChannel channel = Grpc.newChannelBuilderForAddress("localhost", port, TestTls.clientCredentials()).build();
      try {
        assertThat(call(channel, user)).as("accepted (empty image)").isEqualTo(Status.Code.INVALID_ARGUMENT);

        String out = command("revoke", "--jti", jti(user), "--token", admin,
            "--target", "127.0.0.1:" + port, "--ca", TestTls.certs().caCert().toString());
        assertThat(out).contains("revoked jti");

        assertThat(call(channel, user)).isEqualTo(Status.Code.UNAUTHENTICATED);
        assertThat(call(channel, admin)).as("the admin token itself still works").isEqualTo(Status.Code.INVALID_ARGUMENT);
      } finally {
        channel.shutdownNow();
      }
      p.terminate();
      assertThat(p.await(Duration.ofSeconds(60))).as(p.stderrText()).isZero();
    }
  }

  private static Status.Code call(ManagedChannel channel, String token) {
    Metadata md = new Metadata();
    md.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + token);
    RecognizeRequest empty = RecognizeRequest.newBuilder().setImage(Image.newBuilder()
        .setEncoded(EncodedImage.newBuilder().setData(ByteString.copyFromUtf8("not an image")))).build();
    try {
      OcrServiceGrpc.newBlockingStub(channel).withInterceptors(MetadataUtils.newAttachHeadersInterceptor(md))
          .withDeadlineAfter(Duration.ofSeconds(30)).recognize(empty);
      return Status.Code.OK;
    } catch (StatusRuntimeException e) {
      return e.getStatus().getCode();
    }
  }

  private static String jti(String token) throws Exception {
    byte[] payload = Base64.getUrlDecoder().decode(token.split("\\.")[1]);
    return new ObjectMapper().readTree(payload).path("jti").asText();
  }

  /** Runs a CLI command in this JVM; its standard output, or a failure with its error output. */
  private static synchronized String command(String... args) {
    PrintStream oldOut = System.out;
    PrintStream oldErr = System.err;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    int exit;
    try {
      exit = Main.run(args);
    } finally {
      System.setOut(oldOut);
      System.setErr(oldErr);
    }
    assertThat(exit).as("%s: %s", args[0], err.toString(StandardCharsets.UTF_8)).isZero();
    return out.toString(StandardCharsets.UTF_8);
  }

  private static String awaitMatch(CliProcess p, String regex) {
    Pattern pattern = Pattern.compile(regex);
    String[] found = new String[1];
    await().atMost(Duration.ofMinutes(4)).pollInterval(Duration.ofMillis(200)).until(() -> {
      assertThat(p.isAlive()).as("serve exited early: %s", p.stderrText()).isTrue();
      Matcher m = pattern.matcher(p.stderrText());
      if (m.find()) {
        found[0] = m.group(1);
        return true;
      }
      return false;
    });
    return found[0];
  }
}
