package dev.ocrgate.server.upstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import com.google.rpc.RetryInfo;
import dev.ocrgate.api.v1.Cue;
import dev.ocrgate.api.v1.Frame;
import dev.ocrgate.api.v1.FrameResult;
import dev.ocrgate.api.v1.Image;
import dev.ocrgate.api.v1.OcrServiceGrpc;
import dev.ocrgate.api.v1.PixelFormat;
import dev.ocrgate.api.v1.RawImage;
import dev.ocrgate.api.v1.RecognizeRequest;
import dev.ocrgate.api.v1.RecognizeResponse;
import dev.ocrgate.api.v1.StreamConfig;
import dev.ocrgate.api.v1.StreamFramesRequest;
import dev.ocrgate.api.v1.StreamFramesResponse;
import dev.ocrgate.api.v1.StreamMode;
import dev.ocrgate.api.v1.TextLine;
import dev.ocrgate.server.OcrgateServer;
import dev.ocrgate.server.ServerAssembly;
import dev.ocrgate.server.auth.SigningKey;
import dev.ocrgate.server.auth.SigningKeys;
import dev.ocrgate.server.auth.TokenMinter;
import dev.ocrgate.server.config.OcrgateConfig;
import dev.ocrgate.server.testing.TestTls;
import dev.ocrgate.server.vision.RgbImage;
import io.grpc.CallCredentials;
import io.grpc.Grpc;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.protobuf.StatusProto;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * End to end through the production wiring: a JWT-authenticated Recognize and a StreamFrames of
 * several frames through ocrgate (TLS, auth, rate limits as configured) to a local server that
 * speaks vLLM's wire format, startup without ONNX models, and health following the upstream.
 */
class UpstreamEndToEndTest {
  static final String MODEL = "tencent/HunyuanOCR";
  static final String KEY = "sk-e2e-upstream";
  static final Duration WAIT = Duration.ofSeconds(30);

  @TempDir Path dir;
  final List<AutoCloseable> closeables = new ArrayList<>();
  SigningKey signing;
  OcrgateServer server;
  ManagedChannel channel;

  @AfterEach
  void close() throws Exception {
    if (channel != null) {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
    if (server != null) {
      server.shutdownGracefully();
    }
    for (AutoCloseable c : closeables) {
      c.close();
    }
  }

  MockVllmServer mock(int port) throws IOException {
    MockVllmServer m = MockVllmServer.start(port, MODEL, KEY);
    closeables.add(m);
    return m;
  }

  void startServer(String baseUrl) throws Exception {
    Path models = Files.createDirectories(dir.resolve("hunyuan-ocr"));
    Path keyFile = Files.writeString(dir.resolve("upstream.key"), KEY + "\n");
    Files.writeString(models.resolve("model.yaml"), String.join("\n",
        "name: hunyuan-ocr",
        "engine: openai_chat",
        "upstream:",
        "  base_url: " + baseUrl,
        "  served_model: " + MODEL,
        "  task: spotting_json",
        "  api_key_file: " + keyFile,
        "  health_interval_ms: 50",
        "  max_retry_wait_ms: 100",
        ""));
    signing = SigningKeys.generate("ES256");
    Path jwks = Files.writeString(dir.resolve("jwks.json"), SigningKey.jwksJson(List.of(signing.publicJwk())));
    OcrgateConfig c = new OcrgateConfig();
    c.server.port = 0;
    c.server.drain_timeout_seconds = 1;
    c.metrics.port = 0;
    c.models = List.of(models.toString());
    c.auth.jwks_file = jwks.toString();
    TestTls.certs().applyTo(c.tls);
    server = ServerAssembly.assemble(c).start();
    channel = Grpc.newChannelBuilderForAddress("localhost", server.port(), TestTls.clientCredentials()).build();
  }

  CallCredentials token(String scope) {
    String jwt = TokenMinter.of(signing).mint("alice", List.of(scope), Duration.ofMinutes(10), "ocrgate", null);
    return new CallCredentials() {
      @Override
      public void applyRequestMetadata(RequestInfo info, Executor executor, MetadataApplier applier) {
        Metadata h = new Metadata();
        h.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + jwt);
        applier.apply(h);
      }
    };
  }

  ServingStatus health(String service) {
    return HealthGrpc.newBlockingStub(channel).withDeadlineAfter(5, TimeUnit.SECONDS)
        .check(HealthCheckRequest.newBuilder().setService(service).build()).getStatus();
  }

  static Image raw(RgbImage img) {
    return Image.newBuilder().setRaw(RawImage.newBuilder().setWidth(img.width()).setHeight(img.height())
        .setFormat(PixelFormat.PIXEL_FORMAT_RGB8).setData(ByteString.copyFrom(img.data()))).build();
  }

  static RgbImage flat(int w, int h, int value) {
    byte[] d = new byte[w * h * 3];
    java.util.Arrays.fill(d, (byte) value);
    return RgbImage.wrap(w, h, d);
  }

  /** The red value of the first pixel of the image a request carries. */
  static int firstPixel(MockVllmServer.Request r) {
    String url = r.json().at("/messages/1/content/0/image_url/url").asText();
    try {
      java.awt.image.BufferedImage img = javax.imageio.ImageIO.read(new java.io.ByteArrayInputStream(
          java.util.Base64.getDecoder().decode(url.substring(url.indexOf(',') + 1))));
      return (img.getRGB(0, 0) >> 16) & 0xff;
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  static MockVllmServer.Answer spotting(String text) {
    return MockVllmServer.ok(MockVllmServer.chatCompletion(
        "[{\"box\": [100, 250, 900, 750], \"text\": \"" + text + "\"}]", "stop", 640, 12));
  }

  @Test
  void recognize_withToken_throughOcrgateToTheUpstream_linesInPixels_errorsMapped_metricsScraped() throws Exception {
    MockVllmServer vllm = mock(0);
    vllm.answer(r -> spotting("Hello from Hunyuan"));
    startServer(vllm.baseUrl());
    OcrServiceGrpc.OcrServiceBlockingStub ocr = OcrServiceGrpc.newBlockingStub(channel);

    StatusRuntimeException anonymous = catchThrowableOfType(
        () -> ocr.recognize(RecognizeRequest.newBuilder().setImage(raw(flat(200, 100, 30))).build()),
        StatusRuntimeException.class);
    assertThat(anonymous.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
    assertThat(vllm.requests).as("nothing reaches the upstream without a valid token").isEmpty();

    RecognizeResponse r = ocr.withCallCredentials(token("ocr:recognize")).withDeadlineAfter(20, TimeUnit.SECONDS)
        .recognize(RecognizeRequest.newBuilder().setImage(raw(flat(200, 100, 30))).build());
    assertThat(r.getModel()).isEqualTo("hunyuan-ocr");
    assertThat(r.getLinesList()).extracting(TextLine::getText).containsExactly("Hello from Hunyuan");
    assertThat(r.getLines(0).getBox().getPoints(0).getX()).isEqualTo(20f);
    assertThat(r.getLines(0).getBox().getPoints(2).getY()).isEqualTo(75f);
    MockVllmServer.Request sent = vllm.requests.poll(5, TimeUnit.SECONDS);
    assertThat(sent.header("authorization")).isEqualTo("Bearer " + KEY);
    assertThat(sent.json().at("/messages/1/content/1/text").asText()).isEqualTo(HunyuanTask.SPOTTING_JSON.prompt());

    vllm.answer(q -> MockVllmServer.error(429, "TooManyRequests", "busy", Map.of("retry-after", "7")));
    StatusRuntimeException busy = catchThrowableOfType(() -> ocr.withCallCredentials(token("ocr:recognize"))
        .recognize(RecognizeRequest.newBuilder().setImage(raw(flat(200, 100, 30))).build()), StatusRuntimeException.class);
    assertThat(busy.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
    com.google.rpc.Status details = StatusProto.fromThrowable(busy);
    assertThat(details).isNotNull();
    assertThat(details.getDetails(0).unpack(RetryInfo.class).getRetryDelay().getSeconds()).isEqualTo(7);

    String scrape = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
        URI.create("http://127.0.0.1:" + server.metricsPort() + "/metrics")).build(),
        HttpResponse.BodyHandlers.ofString()).body();
    assertThat(scrape)
        .contains("ocrgate_upstream_tokens_total{kind=\"prompt\",model=\"hunyuan-ocr\"} 640.0")
        .contains("ocrgate_upstream_errors_total{model=\"hunyuan-ocr\",outcome=\"429\"} 1.0")
        .contains("ocrgate_upstream_up{model=\"hunyuan-ocr\"} 1.0")
        .doesNotContain(KEY);
  }

  @Test
  void streamFrames_severalFrames_inSeqOrder_unchangedFramesReused_cuesBuilt() throws Exception {
    MockVllmServer vllm = mock(0);
    CountDownLatch secondArrived = new CountDownLatch(1);
    vllm.answer(r -> {
      if (firstPixel(r) == 20) { // the dark frames answer only after the bright one was asked
        return new MockVllmServer.Hold(secondArrived, spotting("First line"));
      }
      secondArrived.countDown();
      return spotting("Second line");
    });
    startServer(vllm.baseUrl());
    List<StreamFramesResponse> answers = new ArrayList<>();
    CompletableFuture<Void> done = new CompletableFuture<>();
    StreamObserver<StreamFramesRequest> frames = OcrServiceGrpc.newStub(channel).withCallCredentials(token("ocr:stream"))
        .withDeadlineAfter(30, TimeUnit.SECONDS).streamFrames(new StreamObserver<>() {
          @Override
          public void onNext(StreamFramesResponse value) {
            synchronized (answers) {
              answers.add(value);
            }
          }

          @Override
          public void onError(Throwable t) {
            done.completeExceptionally(t);
          }

          @Override
          public void onCompleted() {
            done.complete(null);
          }
        });
    frames.onNext(StreamFramesRequest.newBuilder().setConfig(StreamConfig.newBuilder()
        .setMode(StreamMode.STREAM_MODE_FULL).setEmitCues(true).setFrameIntervalMs(200)).build());
    int[] shade = {20, 20, 230, 230};
    for (int i = 0; i < 4; i++) {
      frames.onNext(StreamFramesRequest.newBuilder().setFrame(Frame.newBuilder().setSeq(i + 1).setPtsMs(i * 200L)
          .setImage(raw(flat(160, 90, shade[i])))).build());
    }
    frames.onCompleted();
    done.get(WAIT.toSeconds(), TimeUnit.SECONDS);

    List<FrameResult> results = answers.stream().filter(StreamFramesResponse::hasResult).map(StreamFramesResponse::getResult).toList();
    assertThat(results).extracting(FrameResult::getSeq).containsExactly(1L, 2L, 3L, 4L);
    assertThat(results).extracting(f -> f.getLines(0).getText())
        .containsExactly("First line", "First line", "Second line", "Second line");
    assertThat(results.get(1).getReusedFromSeq()).isEqualTo(1);
    assertThat(results.get(3).getReusedFromSeq()).isEqualTo(3);
    assertThat(vllm.drainRequests()).as("unchanged frames are not sent upstream").hasSize(2);
    List<Cue> cues = answers.stream().filter(StreamFramesResponse::hasCue).map(StreamFramesResponse::getCue).toList();
    assertThat(cues).extracting(Cue::getText).containsExactly("First line", "Second line");
  }

  @Test
  void streamFrames_upstreamOverloaded_thatFramesErrorCarriesRetryInfo_andTheStreamGoesOn() throws Exception {
    MockVllmServer vllm = mock(0);
    vllm.answer(r -> firstPixel(r) == 20
        ? MockVllmServer.error(429, "TooManyRequests", "busy", Map.of("retry-after", "9"))
        : spotting("Fine"));
    startServer(vllm.baseUrl());
    List<StreamFramesResponse> answers = new ArrayList<>();
    CompletableFuture<Void> done = new CompletableFuture<>();
    StreamObserver<StreamFramesRequest> frames = OcrServiceGrpc.newStub(channel).withCallCredentials(token("ocr:stream"))
        .withDeadlineAfter(30, TimeUnit.SECONDS).streamFrames(new StreamObserver<>() {
          @Override
          public void onNext(StreamFramesResponse value) {
            synchronized (answers) {
              answers.add(value);
            }
          }

          @Override
          public void onError(Throwable t) {
            done.completeExceptionally(t);
          }

          @Override
          public void onCompleted() {
            done.complete(null);
          }
        });
    frames.onNext(StreamFramesRequest.newBuilder().setConfig(StreamConfig.newBuilder()
        .setMode(StreamMode.STREAM_MODE_FULL)).build());
    frames.onNext(StreamFramesRequest.newBuilder().setFrame(Frame.newBuilder().setSeq(1)
        .setImage(raw(flat(96, 48, 20)))).build());
    frames.onNext(StreamFramesRequest.newBuilder().setFrame(Frame.newBuilder().setSeq(2)
        .setImage(raw(flat(96, 48, 230)))).build());
    frames.onCompleted();
    done.get(WAIT.toSeconds(), TimeUnit.SECONDS);

    List<FrameResult> results = answers.stream().map(StreamFramesResponse::getResult).toList();
    assertThat(results).extracting(FrameResult::getSeq).containsExactly(1L, 2L);
    com.google.rpc.Status error = results.get(0).getError();
    assertThat(error.getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED.value());
    assertThat(error.getDetails(0).unpack(RetryInfo.class).getRetryDelay().getSeconds()).isEqualTo(9);
    assertThat(results.get(1).getLines(0).getText()).isEqualTo("Fine");
  }

  @Test
  void startsWithTheUpstreamDown_notServingUntilItAnswers_andAgainWhenItGoesAway() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    startServer("http://127.0.0.1:" + port);
    assertThat(health("")).isEqualTo(ServingStatus.NOT_SERVING);
    assertThat(health("ocrgate.model.hunyuan-ocr")).isEqualTo(ServingStatus.NOT_SERVING);
    assertThat(health(OcrServiceGrpc.SERVICE_NAME)).isEqualTo(ServingStatus.NOT_SERVING);
    StatusRuntimeException down = catchThrowableOfType(() -> OcrServiceGrpc.newBlockingStub(channel)
        .withCallCredentials(token("ocr:recognize"))
        .recognize(RecognizeRequest.newBuilder().setImage(raw(flat(64, 32, 0))).build()), StatusRuntimeException.class);
    assertThat(down.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);

    MockVllmServer vllm = mock(port);
    vllm.answer(r -> spotting("Back"));
    await().atMost(WAIT).until(() -> health("") == ServingStatus.SERVING);
    assertThat(health("ocrgate.model.hunyuan-ocr")).isEqualTo(ServingStatus.SERVING);
    assertThat(OcrServiceGrpc.newBlockingStub(channel).withCallCredentials(token("ocr:recognize"))
        .recognize(RecognizeRequest.newBuilder().setImage(raw(flat(64, 32, 0))).build()).getLines(0).getText())
        .isEqualTo("Back");

    vllm.healthy(false);
    await().atMost(WAIT).until(() -> health("ocrgate.model.hunyuan-ocr") == ServingStatus.NOT_SERVING);
    assertThat(health("")).isEqualTo(ServingStatus.NOT_SERVING);
  }
}
