package dev.ocrgate.server.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.protobuf.ByteString;
import com.google.protobuf.util.JsonFormat;
import dev.ocrgate.api.v1.EncodedImage;
import dev.ocrgate.api.v1.Image;
import dev.ocrgate.api.v1.OcrServiceGrpc;
import dev.ocrgate.api.v1.RecognizeRequest;
import dev.ocrgate.api.v1.RecognizeResponse;
import dev.ocrgate.api.v1.TextLine;
import dev.ocrgate.server.OcrgateServer;
import dev.ocrgate.server.ServerAssembly;
import dev.ocrgate.server.auth.DevKeys;
import dev.ocrgate.server.auth.JwtAuthInterceptor;
import dev.ocrgate.server.auth.TokenMinter;
import dev.ocrgate.server.config.OcrgateConfig;
import dev.ocrgate.server.testing.RawHttps;
import dev.ocrgate.server.testing.TestTls;
import dev.ocrgate.server.testing.TextImages;
import io.grpc.Grpc;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.MetadataUtils;
import java.awt.Color;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The HTTP/JSON port of the production server ({@link ServerAssembly}: real TLS, JWT auth with
 * the dev key, real PP-OCRv4 models, metrics, a rate limit for one tenant), against the gRPC port
 * of the same server: the three body forms answer what gRPC answers, and the HTTP edge's limits
 * and error mapping hold.
 */
class HttpRecognizeEndToEndTest {
  /** A tenant whose bucket holds one call and refills once in about three hours. */
  private static final String THROTTLED = "throttled";
  private static final int MAX_BODY = 4 * 1024 * 1024;
  private static OcrgateServer server;
  private static ManagedChannel channel;
  private static TokenMinter minter;
  private static String token;
  private static byte[] png;

  @BeforeAll
  static void start() throws Exception {
    Path devDir = Path.of("target/http-gateway-dev").toAbsolutePath();
    OcrgateConfig config = GatewayTestConfig.withHttpPort(devDir, MAX_BODY, THROTTLED);
    server = ServerAssembly.assemble(config).start();
    channel = Grpc.newChannelBuilderForAddress("localhost", server.port(), TestTls.clientCredentials()).build();
    minter = TokenMinter.of(DevKeys.ensure(DevKeys.dir(devDir)));
    token = mint(List.of("ocr:recognize"), "acme");
    TextImages.Rendered r = TextImages.render(640, 160, Color.WHITE, Color.BLACK, List.of(
        new TextImages.Line("HELLO OCRGATE", TextImages.latin(44), 24, 16),
        new TextImages.Line("plain http 2026", TextImages.latin(36), 24, 90)));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ImageIO.write(r.image(), "png", out);
    png = out.toByteArray();
  }

  private static String mint(List<String> scopes, String tenant) {
    return minter.mint("http-tester", scopes, Duration.ofMinutes(10), "ocrgate", tenant);
  }

  @AfterAll
  static void stop() throws Exception {
    if (channel != null) {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
    if (server != null) {
      server.shutdownGracefully();
    }
  }

  private static RecognizeResponse grpc(RecognizeRequest request) {
    Metadata md = new Metadata();
    md.put(JwtAuthInterceptor.AUTHORIZATION, "Bearer " + token);
    return OcrServiceGrpc.newBlockingStub(channel).withInterceptors(MetadataUtils.newAttachHeadersInterceptor(md))
        .withDeadlineAfter(60, TimeUnit.SECONDS).recognize(request);
  }

  private static RecognizeRequest pngRequest(byte[] bytes) {
    return RecognizeRequest.newBuilder().setImage(Image.newBuilder().setEncoded(EncodedImage.newBuilder()
        .setData(ByteString.copyFrom(bytes)))).build();
  }

  private static RecognizeResponse parse(RawHttps.Response r) throws Exception {
    assertThat(r.status()).as(r.text()).isEqualTo(200);
    assertThat(r.header("content-type")).startsWith("application/json");
    RecognizeResponse.Builder b = RecognizeResponse.newBuilder();
    JsonFormat.parser().merge(r.text(), b);
    return b.build();
  }

  /** Text, confidence and box of every line: what must agree between the transports. */
  private static List<String> lines(RecognizeResponse r) {
    List<String> out = new ArrayList<>();
    for (TextLine l : r.getLinesList()) {
      out.add(l.getText() + " " + l.getConfidence() + " " + l.getBox());
    }
    return out;
  }

  @Test
  void rawMultipartAndJson_answerTheSameLinesAsGrpc() throws Exception {
    RecognizeResponse viaGrpc = grpc(pngRequest(png));
    assertThat(viaGrpc.getLinesList()).extracting(TextLine::getText).contains("HELLO OCRGATE");

    RecognizeResponse raw = parse(RawHttps.post(server.httpPort(), "/v1/recognize", "image/png", "Bearer " + token, png));
    Object[] form = RawHttps.multipart(png, "image/png", Map.of());
    RecognizeResponse multipart = parse(RawHttps.post(server.httpPort(), "/v1/recognize", (String) form[0],
        "Bearer " + token, (byte[]) form[1]));
    byte[] json = ("{\"image\":{\"encoded\":{\"data\":\"" + Base64.getEncoder().encodeToString(png) + "\"}}}")
        .getBytes(StandardCharsets.UTF_8);
    RecognizeResponse viaJson = parse(RawHttps.post(server.httpPort(), "/v1/recognize", "application/json",
        "Bearer " + token, json));

    for (RecognizeResponse r : List.of(raw, multipart, viaJson)) {
      assertThat(lines(r)).isEqualTo(lines(viaGrpc));
      assertThat(r.getImageWidth()).isEqualTo(640);
      assertThat(r.getImageHeight()).isEqualTo(160);
      assertThat(r.getModel()).isEqualTo(viaGrpc.getModel());
    }
  }

  @Test
  void response_isTheProtoJsonMapping_withDefaultsPrinted() throws Exception {
    RawHttps.Response r = RawHttps.post(server.httpPort(), "/v1/recognize", "image/png", "Bearer " + token, png);
    JsonNode body = r.json();
    assertThat(body.path("imageWidth").asInt()).isEqualTo(640);
    assertThat(body.path("lines").get(0).path("box").path("points").size()).isEqualTo(4);
    assertThat(body.has("timing")).isTrue();
    assertThat(r.header("x-content-type-options")).isEqualTo("nosniff");
    assertThat(r.header("cache-control")).isEqualTo("no-store");
  }

  @Test
  void formFieldsAndQuery_setMinConfidence() throws Exception {
    RecognizeResponse all = parse(RawHttps.post(server.httpPort(), "/v1/recognize", "image/png", "Bearer " + token, png));
    float highest = 0;
    for (TextLine l : all.getLinesList()) {
      highest = Math.max(highest, l.getConfidence());
    }
    assertThat(all.getLinesCount()).isGreaterThan(1);
    String over = Float.toString(Math.nextUp(highest));
    RecognizeResponse none = parse(RawHttps.post(server.httpPort(), "/v1/recognize?min_confidence=" + over,
        "image/png", "Bearer " + token, png));
    assertThat(none.getLinesList()).isEmpty();
    Object[] form = RawHttps.multipart(png, "image/png", Map.of("min_confidence", over));
    RecognizeResponse noneForm = parse(RawHttps.post(server.httpPort(), "/v1/recognize", (String) form[0],
        "Bearer " + token, (byte[]) form[1]));
    assertThat(noneForm.getLinesList()).isEmpty();
  }

  @Test
  void badImage_is400_withGrpcsInvalidArgumentMessage() throws Exception {
    byte[] garbage = "this is not an image at all".getBytes(StandardCharsets.US_ASCII);
    StatusRuntimeException e = catchThrowableOfType(StatusRuntimeException.class, () -> grpc(pngRequest(garbage)));
    assertThat(e.getStatus().getCode()).isEqualTo(io.grpc.Status.Code.INVALID_ARGUMENT);

    RawHttps.Response r = RawHttps.post(server.httpPort(), "/v1/recognize", "image/png", "Bearer " + token, garbage);
    assertThat(r.status()).isEqualTo(400);
    assertThat(r.json().path("status").asText()).isEqualTo("INVALID_ARGUMENT");
    assertThat(r.json().path("code").asInt()).isEqualTo(400);
    assertThat(r.json().path("message").asText()).isEqualTo(e.getStatus().getDescription());
  }

  @Test
  void tokenWithoutTheScope_is403_namingIt() throws Exception {
    RawHttps.Response r = RawHttps.post(server.httpPort(), "/v1/recognize", "image/png",
        "Bearer " + mint(List.of("ocr:stream"), "acme"), png);
    assertThat(r.status()).isEqualTo(403);
    assertThat(r.json().path("status").asText()).isEqualTo("PERMISSION_DENIED");
    assertThat(r.json().path("message").asText()).isEqualTo("missing scope: ocr:recognize");
    assertThat(r.header("www-authenticate"))
        .isEqualTo("Bearer realm=\"ocrgate\", error=\"insufficient_scope\", scope=\"ocr:recognize\"");
  }

  @Test
  void noToken_is401_withARealmOnlyChallenge_andBadToken_namesInvalidToken() throws Exception {
    RawHttps.Response none = RawHttps.post(server.httpPort(), "/v1/recognize", "image/png", null, png);
    assertThat(none.status()).isEqualTo(401);
    assertThat(none.header("www-authenticate")).isEqualTo("Bearer realm=\"ocrgate\"");
    assertThat(none.json().path("message").asText()).isEqualTo("missing bearer token");
    RawHttps.Response bad = RawHttps.post(server.httpPort(), "/v1/recognize", "image/png", "Bearer not.a.jwt", png);
    assertThat(bad.status()).isEqualTo(401);
    assertThat(bad.header("www-authenticate")).isEqualTo("Bearer realm=\"ocrgate\", error=\"invalid_token\"");
  }

  @Test
  void requestsWithoutAValidToken_neverReachThePipeline() throws Exception {
    double before = detectionItems();
    for (String auth : new String[] {null, "Bearer ", "Bearer x.y.z", "Basic YWxpY2U6cHc=",
        "Bearer " + mint(List.of("ocr:stream"), "acme")}) {
      RawHttps.Response r = RawHttps.post(server.httpPort(), "/v1/recognize", "image/png", auth, png);
      assertThat(r.status()).isIn(401, 403);
    }
    assertThat(detectionItems()).isEqualTo(before);
    parse(RawHttps.post(server.httpPort(), "/v1/recognize", "image/png", "Bearer " + token, png));
    assertThat(detectionItems()).as("the counter does count a valid call").isGreaterThan(before);
  }

  /** Items the detection batcher has taken, from the server's own /metrics. */
  private static double detectionItems() throws Exception {
    HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
        URI.create("http://127.0.0.1:" + server.metricsPort() + "/metrics")).build(), HttpResponse.BodyHandlers.ofString());
    Matcher m = Pattern.compile("(?m)^ocrgate_batch_queue_wait_seconds_count\\{queue=\"det\"} (\\S+)$").matcher(r.body());
    return m.find() ? Double.parseDouble(m.group(1)) : 0;
  }

  @Test
  void overRateLimit_is429_withRetryAfter() throws Exception {
    String throttled = mint(List.of("ocr:recognize"), THROTTLED);
    RawHttps.Response first = RawHttps.post(server.httpPort(), "/v1/recognize", "image/png", "Bearer " + throttled, png);
    assertThat(first.status()).as(first.text()).isEqualTo(200);
    RawHttps.Response second = RawHttps.post(server.httpPort(), "/v1/recognize", "image/png", "Bearer " + throttled, png);
    assertThat(second.status()).isEqualTo(429);
    assertThat(second.json().path("status").asText()).isEqualTo("RESOURCE_EXHAUSTED");
    assertThat(second.json().path("message").asText()).isEqualTo("rate limit exceeded");
    long retryAfter = Long.parseLong(second.header("retry-after"));
    assertThat(retryAfter).isGreaterThan(60); // one token per 10 000 s
  }

  @Test
  void declaredOversizedBody_is413_beforeAnyBodyByteIsSent() throws Exception {
    try (SSLSocket s = RawHttps.connect(server.httpPort())) {
      OutputStream out = s.getOutputStream();
      out.write(("POST /v1/recognize HTTP/1.1\r\nHost: localhost\r\nContent-Type: image/png\r\nAuthorization: Bearer "
          + token + "\r\nContent-Length: " + (MAX_BODY + 1) + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = s.getInputStream();
      RawHttps.Response r = RawHttps.read(in);
      assertThat(r.status()).isEqualTo(413);
      assertThat(r.json().path("status").asText()).isEqualTo("RESOURCE_EXHAUSTED");
      assertThat(r.header("connection")).isEqualTo("close");
      assertThat(in.read()).as("the server closed the connection").isEqualTo(-1);
    }
  }

  @Test
  void chunkedBodyPastTheLimit_is413_whileItArrives() throws Exception {
    try (SSLSocket s = RawHttps.connect(server.httpPort())) {
      OutputStream out = s.getOutputStream();
      out.write(("POST /v1/recognize HTTP/1.1\r\nHost: localhost\r\nContent-Type: image/png\r\nAuthorization: Bearer "
          + token + "\r\nTransfer-Encoding: chunked\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      byte[] chunk = new byte[256 * 1024];
      int sent = 0;
      try {
        // Twice the limit at most: the server must answer after the limit, not wait for the end.
        while (sent <= 2 * MAX_BODY) {
          out.write((Integer.toHexString(chunk.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
          out.write(chunk);
          out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
          sent += chunk.length;
        }
      } catch (IOException closed) {
        // the server closed the connection after its answer: expected
      }
      RawHttps.Response r = RawHttps.read(s.getInputStream());
      assertThat(r.status()).isEqualTo(413);
      assertThat(sent).isLessThanOrEqualTo(2 * MAX_BODY + chunk.length);
    }
  }

  @Test
  void unknownPath_is404_andWrongMethod_is405() throws Exception {
    RawHttps.Response missing = RawHttps.send(server.httpPort(), "GET", "/v1/nothing", List.of(), null);
    assertThat(missing.status()).isEqualTo(404);
    assertThat(missing.json().path("status").asText()).isEqualTo("NOT_FOUND");
    RawHttps.Response get = RawHttps.send(server.httpPort(), "GET", "/v1/recognize", List.of(), null);
    assertThat(get.status()).isEqualTo(405);
    assertThat(get.header("allow")).isEqualTo("POST");
  }

  @Test
  void unsupportedContentType_is415() throws Exception {
    RawHttps.Response r = RawHttps.post(server.httpPort(), "/v1/recognize", "text/plain", "Bearer " + token, png);
    assertThat(r.status()).isEqualTo(415);
  }

  @Test
  void keepAlive_servesSeveralRequestsOnOneConnection() throws Exception {
    try (SSLSocket s = RawHttps.connect(server.httpPort())) {
      for (int i = 0; i < 3; i++) {
        String head = "POST /v1/recognize HTTP/1.1\r\nHost: localhost\r\nContent-Type: image/png\r\nAuthorization: Bearer "
            + token + "\r\nContent-Length: " + png.length + "\r\n\r\n";
        s.getOutputStream().write(head.getBytes(StandardCharsets.US_ASCII));
        s.getOutputStream().write(png);
        s.getOutputStream().flush();
        assertThat(parse(RawHttps.read(s.getInputStream())).getLinesCount()).isGreaterThan(0);
      }
    }
  }
}
