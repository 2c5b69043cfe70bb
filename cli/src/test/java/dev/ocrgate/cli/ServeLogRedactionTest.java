package dev.ocrgate.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.ByteString;
import dev.ocrgate.api.v1.EncodedImage;
import dev.ocrgate.api.v1.Image;
import dev.ocrgate.api.v1.OcrServiceGrpc;
import dev.ocrgate.api.v1.RecognizeRequest;
import dev.ocrgate.server.auth.Tokens;
import dev.ocrgate.server.testing.RepoPaths;
import dev.ocrgate.server.testing.TestTls;
import io.grpc.Grpc;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.MetadataUtils;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ocrgate serve} as a real process with JSON logs and an audit file: calls with a valid
 * token, a forged JWT-looking token and an HS256 secret in the environment, then a scrape and a
 * SIGTERM. No token, secret or key material may appear in the log, the audit file or /metrics,
 * and every log line must be one JSON object.
 */
class ServeLogRedactionTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String SECRET = "s3cr3t-hs256-" + "k".repeat(40);
  @TempDir Path dir;

  @Test
  void verify_jsonLogsAuditFileAndMetrics_neverContainTokensSecretsOrKeys() throws Exception {
    Path devDir = dir.resolve("dev");
    Path audit = dir.resolve("audit.jsonl");
    Path config = dir.resolve("ocrgate.yaml");
    Files.writeString(config, String.join("\n",
        "server: {host: 127.0.0.1, port: 0, drain_timeout_seconds: 5}",
        "tls: {cert_chain: '" + TestTls.certs().serverCert() + "', private_key: '"
            + TestTls.certs().dir().resolve("server.key") + "'}",
        "models: ['" + RepoPaths.modelDir() + "']",
        "dev: {enabled: true, certs_dir: '" + devDir + "'}",
        "metrics: {port: 0}",
        "auth: {algorithms: [RS256, ES256, EdDSA, HS256]}",
        "log: {audit_file: '" + audit + "'}", ""));
    // With OCRGATE_JWT_SECRET set and HS256 listed, the server verifies HS256 tokens signed with it.
    String valid = Tokens.hmacSigned("{\"alg\":\"HS256\",\"typ\":\"at+jwt\"}",
        new Tokens(Clock.systemUTC()).payloadJson(""), SECRET.getBytes(StandardCharsets.UTF_8));
    String forged = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJtYWxsb3J5In0.Zm9yZ2VkLXNpZ25hdHVyZS1mb3ItcmVkYWN0aW9u";

    try (CliProcess p = CliProcess.start(dir, Map.of("OCRGATE_LOG_FORMAT", "json", "OCRGATE_JWT_SECRET", SECRET),
        "serve", "--config", config.toString())) {
      int grpcPort = awaitPort(p, "ocrgate serving on 127\\.0\\.0\\.1:(\\d+)");
      int metricsPort = awaitPort(p, "metrics and probes on 127\\.0\\.0\\.1:(\\d+)");
      ManagedChannel channel = Grpc.newChannelBuilderForAddress("localhost", grpcPort, TestTls.clientCredentials()).build();
      try {
        RecognizeRequest tiny = RecognizeRequest.newBuilder().setImage(Image.newBuilder()
            .setEncoded(EncodedImage.newBuilder().setData(ByteString.copyFromUtf8("not an image")))).build();
        assertThat(call(channel, valid, tiny)).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(call(channel, forged, tiny)).isEqualTo(Status.Code.UNAUTHENTICATED);
        assertThat(call(channel, valid + "x", tiny)).isEqualTo(Status.Code.UNAUTHENTICATED);
      } finally {
        channel.shutdownNow();
      }
      String metrics = HttpClient.newHttpClient().send(
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + metricsPort + "/metrics")).build(),
          HttpResponse.BodyHandlers.ofString()).body();
      assertThat(metrics).contains("ocrgate_grpc_server_calls_total{method=\"ocrgate.v1.OcrService/Recognize\",status=\"UNAUTHENTICATED\"} 2");

      p.terminate();
      assertThat(p.await(Duration.ofSeconds(60))).as(p.stderrText()).isZero();

      String keyPem = Files.readString(TestTls.certs().dir().resolve("server.key"));
      List<String> forbidden = new ArrayList<>(List.of(valid, forged, SECRET, valid.split("\\.")[2], forged.split("\\.")[2]));
      forbidden.add(keyPem.lines().filter(l -> !l.startsWith("-----")).findFirst().orElseThrow());
      String auditText = Files.isRegularFile(audit) ? Files.readString(audit) : "";
      for (String output : List.of(p.stderrText(), p.stdoutText(), auditText, metrics)) {
        for (String s : forbidden) {
          assertThat(output).doesNotContain(s);
        }
      }
      assertEveryLoggerLineIsJson(p.stderrText());
      assertThat(p.stderrText()).contains("\"formattedMessage\":\"ocrgate serving on");
      assertThat(auditText).as("audit lines go to the audit file, as JSON").isNotBlank();
      assertEveryLoggerLineIsJson(auditText);
      assertThat(p.stderrText()).doesNotContain("\"loggerName\":\"ocrgate.audit\"");
    }
  }

  private static Status.Code call(ManagedChannel channel, String token, RecognizeRequest request) {
    Metadata md = new Metadata();
    md.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + token);
    try {
      OcrServiceGrpc.newBlockingStub(channel).withInterceptors(MetadataUtils.newAttachHeadersInterceptor(md))
          .withDeadlineAfter(Duration.ofSeconds(30)).recognize(request);
      return Status.Code.OK;
    } catch (StatusRuntimeException e) {
      return e.getStatus().getCode();
    }
  }

  private static int awaitPort(CliProcess p, String regex) {
    Pattern pattern = Pattern.compile(regex);
    int[] port = new int[1];
    try {
      await().atMost(Duration.ofMinutes(4)).pollInterval(Duration.ofMillis(200)).until(() -> {
        assertThat(p.isAlive()).as("serve exited early: %s", p.stderrText()).isTrue();
        Matcher m = pattern.matcher(p.stderrText());
        if (m.find()) {
          port[0] = Integer.parseInt(m.group(1));
          return true;
        }
        return false;
      });
    } catch (ConditionTimeoutException e) {
      String err = p.stderrText();
      throw new AssertionError("no '" + regex + "' in serve's output:\n"
          + err.substring(Math.max(0, err.length() - 4000)), e);
    }
    return port[0];
  }

  /** Every line written by a logger is a JSON object (native libraries' own lines are not ours). */
  private static void assertEveryLoggerLineIsJson(String text) throws Exception {
    int json = 0;
    for (String line : text.split("\n")) {
      if (line.isBlank() || line.contains("onnxruntime")) {
        continue;
      }
      JsonNode node = JSON.readTree(line);
      assertThat(node.isObject()).as(line).isTrue();
      assertThat(node.has("level") && node.has("loggerName")).as(line).isTrue();
      json++;
    }
    assertThat(json).isPositive();
  }
}
