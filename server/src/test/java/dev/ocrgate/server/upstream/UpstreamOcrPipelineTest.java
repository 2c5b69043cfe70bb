package dev.ocrgate.server.upstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ocrgate.api.v1.TextLine;
import dev.ocrgate.server.ocr.OcrRequest;
import dev.ocrgate.server.ocr.OcrResult;
import dev.ocrgate.server.vision.PixelRect;
import dev.ocrgate.server.vision.RgbImage;
import io.grpc.Deadline;
import io.grpc.Status;
import io.grpc.StatusException;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.net.ServerSocket;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The upstream pipeline against a local server speaking vLLM's wire format: the exact request,
 * the answer's lines, and every failure the caller can see (statuses, RetryInfo, deadline,
 * cancellation, admission).
 */
class UpstreamOcrPipelineTest {
  static final String MODEL = "tencent/HunyuanOCR";
  static final String KEY = "sk-upstream-test-0123";
  static final Duration WAIT = Duration.ofSeconds(20);

  final List<AutoCloseable> closeables = new ArrayList<>();
  final Recording metrics = new Recording();

  @AfterEach
  void close() throws Exception {
    for (AutoCloseable c : closeables) {
      c.close();
    }
  }

  /** Records what the engine reports. */
  static final class Recording implements UpstreamListener {
    final Map<String, AtomicLong> errors = new ConcurrentHashMap<>();
    final AtomicLong promptTokens = new AtomicLong();
    final AtomicLong completionTokens = new AtomicLong();
    final AtomicLong exchanges = new AtomicLong();

    @Override
    public void onExchange(String outcome, long nanos) {
      exchanges.incrementAndGet();
    }

    @Override
    public void onError(String outcome) {
      errors.computeIfAbsent(outcome, k -> new AtomicLong()).incrementAndGet();
    }

    @Override
    public void onTokens(long prompt, long completion) {
      promptTokens.addAndGet(prompt);
      completionTokens.addAndGet(completion);
    }

    long errors(String outcome) {
      AtomicLong n = errors.get(outcome);
      return n == null ? 0 : n.get();
    }
  }

  static UpstreamModelConfig config(String baseUrl, String task) {
    UpstreamModelConfig c = new UpstreamModelConfig();
    c.name = "hunyuan-ocr";
    c.engine = UpstreamModelConfig.ENGINE;
    c.upstream.base_url = baseUrl;
    c.upstream.served_model = MODEL;
    c.upstream.task = task;
    c.upstream.api_key_env = "HY_KEY";
    c.upstream.health_interval_ms = 50;
    c.upstream.connect_timeout_ms = 2000;
    c.upstream.max_retry_wait_ms = 2000;
    c.validate();
    return c;
  }

  MockVllmServer mock() throws Exception {
    MockVllmServer m = MockVllmServer.start(MODEL, KEY);
    closeables.add(m);
    return m;
  }

  UpstreamEngine engine(UpstreamModelConfig config, String key) {
    UpstreamEngine e = UpstreamEngine.create(config, Map.of("HY_KEY", key)::get, metrics, Clock.systemUTC());
    closeables.add(0, e);
    return e;
  }

  static RgbImage gradient(int w, int h) {
    byte[] d = new byte[w * h * 3];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int i = (y * w + x) * 3;
        d[i] = (byte) x;
        d[i + 1] = (byte) y;
        d[i + 2] = (byte) (x ^ y);
      }
    }
    return RgbImage.wrap(w, h, d);
  }

  static OcrRequest request(RgbImage image, PixelRect region, Deadline deadline) {
    return new OcrRequest(image, region, OcrRequest.Mode.FULL, 0f, false, deadline);
  }

  static Status.Code code(CompletableFuture<OcrResult> f) {
    return status(f).getStatus().getCode();
  }

  static StatusException status(CompletableFuture<OcrResult> f) {
    Throwable t = catchThrowable(() -> f.get(WAIT.toSeconds(), TimeUnit.SECONDS));
    assertThat(t).isInstanceOf(ExecutionException.class);
    assertThat(t.getCause()).isInstanceOf(StatusException.class);
    return (StatusException) t.getCause();
  }

  @Test
  void recognize_sendsHunyuansRequestForTheRegion_andReadsBoxesIntoImagePixels() throws Exception {
    MockVllmServer vllm = mock();
    vllm.answer(r -> MockVllmServer.ok(MockVllmServer.chatCompletion(
        "[{\"box\": [0, 0, 500, 500], \"text\": \"Top left\"}, {\"box\": [500, 500, 1000, 1000], \"text\": \"Bottom right\"}]",
        "stop", 731, 42)));
    UpstreamOcrPipeline pipeline = engine(config(vllm.baseUrl(), "spotting_json"), KEY).pipeline();
    RgbImage image = gradient(200, 100);

    OcrResult result = pipeline.recognize(request(image, new PixelRect(50, 20, 100, 60), null))
        .get(WAIT.toSeconds(), TimeUnit.SECONDS);

    MockVllmServer.Request sent = vllm.requests.poll(5, TimeUnit.SECONDS);
    assertThat(sent.header("authorization")).isEqualTo("Bearer " + KEY);
    assertThat(sent.header("content-type")).isEqualTo("application/json");
    JsonNode body = sent.json();
    assertThat(body.path("model").asText()).isEqualTo(MODEL);
    assertThat(body.at("/messages/0/role").asText()).isEqualTo("system");
    assertThat(body.at("/messages/0/content").asText()).isEmpty();
    assertThat(body.at("/messages/1/content/1/text").asText()).isEqualTo(HunyuanTask.SPOTTING_JSON.prompt());
    assertThat(body.path("temperature").asDouble()).isZero();
    assertThat(body.path("max_tokens").asInt()).isEqualTo(16384);
    assertThat(body.path("top_k").asInt()).isEqualTo(1);
    assertThat(body.path("repetition_penalty").asDouble()).isEqualTo(1.0);
    assertThat(body.path("skip_special_tokens").asBoolean()).isTrue();
    String url = body.at("/messages/1/content/0/image_url/url").asText();
    assertThat(url).startsWith("data:image/png;base64,");
    BufferedImage png = ImageIO.read(new ByteArrayInputStream(Base64.getDecoder().decode(url.substring(22))));
    assertThat(png.getWidth()).isEqualTo(100);
    assertThat(png.getHeight()).isEqualTo(60);
    int rgb = png.getRGB(7, 3); // pixel (57, 23) of the image
    assertThat(new int[] {(rgb >> 16) & 0xff, (rgb >> 8) & 0xff, rgb & 0xff}).containsExactly(57, 23, 57 ^ 23);

    assertThat(result.lines()).extracting(TextLine::getText).containsExactly("Top left", "Bottom right");
    TextLine br = result.lines().get(1);
    assertThat(br.getReadingOrder()).isEqualTo(1);
    assertThat(br.getBox().getPoints(0).getX()).isEqualTo(100f); // 50 + 0.5 * 100
    assertThat(br.getBox().getPoints(0).getY()).isEqualTo(50f); // 20 + 0.5 * 60
    assertThat(br.getBox().getPoints(2).getX()).isEqualTo(150f);
    assertThat(br.getBox().getPoints(2).getY()).isEqualTo(80f);
    assertThat(metrics.promptTokens.get()).isEqualTo(731);
    assertThat(metrics.completionTokens.get()).isEqualTo(42);
  }

  @Test
  void recognize_plainTextTask_linesWithoutBoxes_andARepeatedTailIsCut() throws Exception {
    MockVllmServer vllm = mock();
    vllm.answer(r -> MockVllmServer.ok(MockVllmServer.chatCompletion(
        "EXIT\n" + "No parking\n".repeat(300), "length", 300, 16384)));
    UpstreamOcrPipeline pipeline = engine(config(vllm.baseUrl(), "text"), KEY).pipeline();
    OcrResult result = pipeline.recognize(request(gradient(32, 32), null, null)).get(WAIT.toSeconds(), TimeUnit.SECONDS);
    assertThat(result.lines()).extracting(TextLine::getText).containsExactly("EXIT", "No parking");
    assertThat(result.lines()).noneMatch(TextLine::hasBox);
    assertThat(vllm.requests.poll().json().at("/messages/1/content/1/text").asText()).isEqualTo("提取图中的文字。");
  }

  @Test
  void recognize_429WithShortRetryAfter_isRetried_andAnswered() throws Exception {
    MockVllmServer vllm = mock();
    CountDownLatch first = new CountDownLatch(1);
    vllm.answer(r -> {
      if (first.getCount() > 0) {
        first.countDown();
        return MockVllmServer.error(429, "TooManyRequests", "busy", Map.of("retry-after", "0"));
      }
      return MockVllmServer.ok(MockVllmServer.chatCompletion("<ref>ok</ref><quad>(0,0),(10,10)</quad>", "stop", 5, 5));
    });
    UpstreamOcrPipeline pipeline = engine(config(vllm.baseUrl(), "spotting_hunyuan"), KEY).pipeline();
    OcrResult r = pipeline.recognize(request(gradient(16, 16), null, null)).get(WAIT.toSeconds(), TimeUnit.SECONDS);
    assertThat(r.lines()).extracting(TextLine::getText).containsExactly("ok");
    assertThat(vllm.drainRequests()).hasSize(2);
    assertThat(metrics.errors("429")).isEqualTo(1);
  }

  @Test
  void recognize_429WithRetryAfterPastTheWaitLimit_isResourceExhaustedWithRetryInfo_withoutWaiting() throws Exception {
    MockVllmServer vllm = mock();
    vllm.answer(r -> MockVllmServer.error(429, "TooManyRequests", "busy", Map.of("retry-after", "30")));
    UpstreamOcrPipeline pipeline = engine(config(vllm.baseUrl(), "text"), KEY).pipeline();
    StatusException e = status(pipeline.recognize(request(gradient(16, 16), null, null)));
    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
    assertThat(UpstreamStatusTest.retryDelay(e)).contains(Duration.ofSeconds(30));
    assertThat(vllm.drainRequests()).hasSize(1);
  }

  @Test
  void recognize_503UntilRetriesRunOut_isUnavailableWithRetryInfo() throws Exception {
    MockVllmServer vllm = mock();
    vllm.answer(r -> MockVllmServer.error(503, "ServiceUnavailable", "loading", Map.of("retry-after", "0")));
    UpstreamModelConfig c = config(vllm.baseUrl(), "text");
    c.upstream.max_retries = 2;
    StatusException e = status(engine(c, KEY).pipeline().recognize(request(gradient(16, 16), null, null)));
    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
    assertThat(UpstreamStatusTest.retryDelay(e)).isPresent();
    assertThat(vllm.drainRequests()).hasSize(3);
  }

  @Test
  void recognize_upstreamRefusals_mapToTheCallersStatus_withoutUpstreamText() throws Exception {
    MockVllmServer vllm = mock();
    vllm.answer(r -> MockVllmServer.error(400, "BadRequestError", "secret-ish upstream detail", Map.of()));
    StatusException bad = status(engine(config(vllm.baseUrl(), "text"), KEY).pipeline()
        .recognize(request(gradient(16, 16), null, null)));
    assertThat(bad.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(bad.getStatus().getDescription()).doesNotContain("secret-ish");

    // wrong key (vLLM --api-key): the operator's mistake, not the caller's
    StatusException denied = status(engine(config(vllm.baseUrl(), "text"), "sk-wrong").pipeline()
        .recognize(request(gradient(16, 16), null, null)));
    assertThat(denied.getStatus().getCode()).isEqualTo(Status.Code.INTERNAL);
    assertThat(denied.getStatus().getDescription()).doesNotContain("sk-wrong").doesNotContain(KEY);

    UpstreamModelConfig wrongModel = config(vllm.baseUrl(), "text");
    wrongModel.upstream.served_model = "tencent/Other";
    assertThat(code(engine(wrongModel, KEY).pipeline().recognize(request(gradient(16, 16), null, null))))
        .isEqualTo(Status.Code.INTERNAL);
    assertThat(metrics.errors("401")).isEqualTo(1);
    assertThat(metrics.errors("404")).isEqualTo(1);
  }

  @Test
  void recognize_malformedAnswer_resetConnection_oversizedBody_areUnavailable() throws Exception {
    MockVllmServer vllm = mock();
    UpstreamModelConfig c = config(vllm.baseUrl(), "text");
    c.upstream.max_response_bytes = 4096;
    UpstreamOcrPipeline pipeline = engine(c, KEY).pipeline();

    vllm.answer(r -> MockVllmServer.raw(200, "application/json", "{\"id\": \"chatcmpl-1\", \"choices\": [{\"mess"));
    assertThat(code(pipeline.recognize(request(gradient(16, 16), null, null)))).isEqualTo(Status.Code.UNAVAILABLE);
    vllm.answer(r -> new MockVllmServer.Reset());
    assertThat(code(pipeline.recognize(request(gradient(16, 16), null, null)))).isEqualTo(Status.Code.UNAVAILABLE);
    vllm.answer(r -> MockVllmServer.ok(MockVllmServer.chatCompletion("x".repeat(10_000), "stop", 1, 1)));
    assertThat(code(pipeline.recognize(request(gradient(16, 16), null, null)))).isEqualTo(Status.Code.UNAVAILABLE);
    assertThat(metrics.errors("malformed")).isEqualTo(1);
    assertThat(metrics.errors("io")).isEqualTo(2);
  }

  @Test
  void recognize_slowUpstream_pastTheDeadline_isDeadlineExceeded_andTheHttpRequestIsAbandoned() throws Exception {
    MockVllmServer vllm = mock();
    CountDownLatch never = new CountDownLatch(1);
    vllm.answer(r -> new MockVllmServer.Hold(never, MockVllmServer.ok(MockVllmServer.chatCompletion("late", "stop", 1, 1))));
    UpstreamOcrPipeline pipeline = engine(config(vllm.baseUrl(), "text"), KEY).pipeline();
    CompletableFuture<OcrResult> f = pipeline.recognize(request(gradient(16, 16), null,
        Deadline.after(300, TimeUnit.MILLISECONDS)));
    assertThat(code(f)).isEqualTo(Status.Code.DEADLINE_EXCEEDED);
    assertThat(vllm.abandoned.poll(WAIT.toSeconds(), TimeUnit.SECONDS)).as("connection closed by ocrgate").isNotNull();
    await().atMost(WAIT).until(() -> pipeline.inFlight() == 0);
  }

  @Test
  void recognize_cancelledByTheCaller_cancelsTheHttpRequest() throws Exception {
    MockVllmServer vllm = mock();
    CountDownLatch never = new CountDownLatch(1);
    vllm.answer(r -> new MockVllmServer.Hold(never, MockVllmServer.ok(MockVllmServer.chatCompletion("late", "stop", 1, 1))));
    UpstreamOcrPipeline pipeline = engine(config(vllm.baseUrl(), "text"), KEY).pipeline();
    CompletableFuture<OcrResult> f = pipeline.recognize(request(gradient(16, 16), null, null));
    assertThat(vllm.requests.poll(WAIT.toSeconds(), TimeUnit.SECONDS)).isNotNull();
    f.cancel(false);
    assertThat(vllm.abandoned.poll(WAIT.toSeconds(), TimeUnit.SECONDS)).as("connection closed by ocrgate").isNotNull();
    await().atMost(WAIT).until(() -> pipeline.inFlight() == 0);
  }

  @Test
  void recognize_boundedInFlight_queuesThenRefuses_andQueuedRequestsRunWhenSlotsFree() throws Exception {
    MockVllmServer vllm = mock();
    CountDownLatch release = new CountDownLatch(1);
    vllm.answer(r -> new MockVllmServer.Hold(release, MockVllmServer.ok(MockVllmServer.chatCompletion("done", "stop", 1, 1))));
    UpstreamModelConfig c = config(vllm.baseUrl(), "text");
    c.upstream.max_in_flight = 2;
    c.upstream.max_queued = 1;
    UpstreamOcrPipeline pipeline = engine(c, KEY).pipeline();
    List<CompletableFuture<OcrResult>> admitted = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      admitted.add(pipeline.recognize(request(gradient(16, 16), null, null)));
    }
    await().atMost(WAIT).until(() -> vllm.concurrent.get() == 2 && pipeline.queued() == 1);
    assertThat(code(pipeline.recognize(request(gradient(16, 16), null, null)))).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
    release.countDown();
    for (CompletableFuture<OcrResult> f : admitted) {
      assertThat(f.get(WAIT.toSeconds(), TimeUnit.SECONDS).lines()).extracting(TextLine::getText).containsExactly("done");
    }
    assertThat(vllm.maxConcurrent.get()).isEqualTo(2);
  }

  @Test
  void recognize_connectionRefused_isUnavailable_andHealthGoesDown() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    UpstreamEngine engine = engine(config("http://127.0.0.1:" + port, "text"), KEY);
    assertThat(engine.health().checkNow()).isFalse();
    assertThat(code(engine.pipeline().recognize(request(gradient(16, 16), null, null)))).isEqualTo(Status.Code.UNAVAILABLE);
    assertThat(metrics.errors("connect")).isEqualTo(1);
    assertThat(engine.health().up()).isFalse();
  }

  @Test
  void recognize_regionOutsideTheImage_isInvalidArgument_withoutAnyUpstreamRequest() throws Exception {
    MockVllmServer vllm = mock();
    UpstreamOcrPipeline pipeline = engine(config(vllm.baseUrl(), "text"), KEY).pipeline();
    assertThat(code(pipeline.recognize(request(gradient(16, 16), new PixelRect(40, 40, 10, 10), null))))
        .isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(vllm.requests).isEmpty();
  }
}
