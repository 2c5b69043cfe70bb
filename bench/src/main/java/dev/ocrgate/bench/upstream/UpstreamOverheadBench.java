package dev.ocrgate.bench.upstream;

import dev.ocrgate.api.v1.Image;
import dev.ocrgate.api.v1.OcrServiceGrpc;
import dev.ocrgate.api.v1.PixelFormat;
import dev.ocrgate.api.v1.RawImage;
import dev.ocrgate.api.v1.RecognizeRequest;
import dev.ocrgate.server.OcrgateServer;
import dev.ocrgate.server.ServerAssembly;
import dev.ocrgate.server.auth.JwtAuthInterceptor;
import dev.ocrgate.server.auth.SigningKey;
import dev.ocrgate.server.auth.SigningKeys;
import dev.ocrgate.server.auth.TokenMinter;
import dev.ocrgate.server.config.OcrgateConfig;
import dev.ocrgate.server.testing.TestTls;
import dev.ocrgate.server.upstream.ChatCompletions;
import dev.ocrgate.server.upstream.HunyuanAnswer;
import dev.ocrgate.server.upstream.HunyuanTask;
import dev.ocrgate.server.upstream.MockVllmServer;
import io.grpc.Grpc;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.stub.MetadataUtils;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.HdrHistogram.Histogram;

/**
 * What ocrgate adds in front of a vLLM server: the latency of one Recognize through ocrgate (TLS,
 * JWT, decode, crop, PNG, HTTP to the upstream, answer parsing) against the same chat-completions
 * request sent straight to the upstream by a client that already holds the PNG (HTTP and parsing
 * only). The upstream is the test suite's vLLM stand-in answering at once with a five-line
 * spotting answer, so the difference is ocrgate's own cost; a real HunyuanOCR takes far longer per
 * image. Calls alternate between the two paths in one run so both see the same machine noise.
 *
 * <p>Usage: {@code UpstreamOverheadBench [calls-per-side (default 1000)] [warmup (default 300)] [width] [height]}
 */
public final class UpstreamOverheadBench {
  private static final String MODEL = "tencent/HunyuanOCR";
  private static final String ANSWER = "[{\"box\": [50, 700, 950, 780], \"text\": \"We should leave before dawn\"},"
      + " {\"box\": [60, 800, 940, 880], \"text\": \"我们应该在黎明前离开\"}, {\"box\": [10, 10, 200, 60], \"text\": \"LIVE\"},"
      + " {\"box\": [800, 10, 990, 60], \"text\": \"12:04\"}, {\"box\": [300, 400, 700, 460], \"text\": \"Chapter 3\"}]";

  private UpstreamOverheadBench() {}

  public static void main(String[] args) throws Exception {
    int calls = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
    int warmup = args.length > 1 ? Integer.parseInt(args[1]) : 300;
    int w = args.length > 2 ? Integer.parseInt(args[2]) : 640;
    int h = args.length > 3 ? Integer.parseInt(args[3]) : 360;
    try (MockVllmServer vllm = MockVllmServer.start(MODEL, null)) {
      vllm.answer(r -> MockVllmServer.ok(MockVllmServer.chatCompletion(ANSWER, "stop", 700, 80)));
      Path dir = Files.createTempDirectory("upstream-bench");
      OcrgateServer server = ServerAssembly.assemble(config(dir, vllm.baseUrl())).start();
      SigningKey key = SigningKeys.load(dir.resolve("keys"));
      ManagedChannel channel = Grpc.newChannelBuilderForAddress("localhost", server.port(), TestTls.clientCredentials()).build();
      try {
        run(vllm, channel, key, frame(w, h), calls, warmup, w, h);
      } finally {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        server.shutdownGracefully();
      }
    }
  }

  private static void run(MockVllmServer vllm, ManagedChannel channel, SigningKey key, byte[] rgb, int calls, int warmup,
      int w, int h) throws Exception {
    Metadata md = new Metadata();
    md.put(JwtAuthInterceptor.AUTHORIZATION, "Bearer "
        + TokenMinter.of(key).mint("bench", List.of("ocr:recognize"), Duration.ofHours(1), "ocrgate", null));
    var stub = OcrServiceGrpc.newBlockingStub(channel).withInterceptors(MetadataUtils.newAttachHeadersInterceptor(md));
    RecognizeRequest request = RecognizeRequest.newBuilder().setImage(Image.newBuilder().setRaw(RawImage.newBuilder()
        .setWidth(w).setHeight(h).setFormat(PixelFormat.PIXEL_FORMAT_RGB8)
        .setData(com.google.protobuf.ByteString.copyFrom(rgb)))).build();
    byte[] body = ChatCompletions.requestBody(MODEL, png(rgb, w, h), HunyuanTask.SPOTTING_JSON.prompt(),
        new ChatCompletions.Sampling(16384, 1, 1.0));
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    HttpRequest direct = HttpRequest.newBuilder(URI.create(vllm.baseUrl() + "/v1/chat/completions"))
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
    Histogram viaOcrgate = new Histogram(TimeUnit.SECONDS.toNanos(30), 3);
    Histogram straight = new Histogram(TimeUnit.SECONDS.toNanos(30), 3);
    long decodeUs = 0;
    long queueUs = 0;
    long encodeParseUs = 0;
    long upstreamUs = 0;
    for (int i = 0; i < warmup + calls; i++) {
      long t0 = System.nanoTime();
      var response = stub.recognize(request);
      int lines = response.getLinesCount();
      long t1 = System.nanoTime();
      HttpResponse<byte[]> r = http.send(direct, HttpResponse.BodyHandlers.ofByteArray());
      int directLines = HunyuanAnswer.parse(ChatCompletions.parseAnswer(r.body()).content(), HunyuanTask.SPOTTING_JSON).size();
      long t2 = System.nanoTime();
      if (lines != 5 || directLines != 5) {
        throw new IllegalStateException("unexpected answer: " + lines + " / " + directLines + " lines");
      }
      if (i >= warmup) {
        viaOcrgate.recordValue(t1 - t0);
        straight.recordValue(t2 - t1);
        var t = response.getTiming();
        decodeUs += t.getDecodeUs();
        queueUs += t.getQueueUs();
        encodeParseUs += t.getRecognitionUs() - t.getInferenceUs();
        upstreamUs += t.getInferenceUs();
      }
    }
    System.out.printf("%dx%d RGB frame, request body %d bytes (PNG as base64 in JSON), %d calls per side after %d warm-up%n%n", w, h, body.length, calls, warmup);
    System.out.println("| path | p50 ms | p90 ms | p99 ms | mean ms |");
    System.out.println("| --- | ---: | ---: | ---: | ---: |");
    row("client → vLLM stand-in (HTTP/1.1, PNG prebuilt)", straight);
    row("client → ocrgate (TLS, JWT, raw RGB) → vLLM stand-in", viaOcrgate);
    System.out.printf("| ratio ocrgate / direct | %.2f | %.2f | %.2f | %.2f |%n",
        ratio(viaOcrgate, straight, 50), ratio(viaOcrgate, straight, 90), ratio(viaOcrgate, straight, 99),
        viaOcrgate.getMean() / straight.getMean());
    breakdown(decodeUs, queueUs, encodeParseUs, upstreamUs, calls);
  }

  private static void breakdown(long decodeUs, long queueUs, long encodeParseUs, long upstreamUs, int calls) {
    System.out.println();
    System.out.println("Where ocrgate's time went (server-side Timing, mean ms per call):");
    System.out.println();
    System.out.println("| decode_us | queue_us | recognition_us − inference_us (crop, PNG, body, parse) | inference_us (HTTP exchange) |");
    System.out.println("| ---: | ---: | ---: | ---: |");
    System.out.printf("| %.2f | %.2f | %.2f | %.2f |%n", decodeUs / 1e3 / calls, queueUs / 1e3 / calls,
        encodeParseUs / 1e3 / calls, upstreamUs / 1e3 / calls);
  }

  private static void row(String name, Histogram h) {
    System.out.printf("| %s | %.2f | %.2f | %.2f | %.2f |%n", name, ms(h.getValueAtPercentile(50)),
        ms(h.getValueAtPercentile(90)), ms(h.getValueAtPercentile(99)), h.getMean() / 1e6);
  }

  private static double ratio(Histogram a, Histogram b, double p) {
    return (double) a.getValueAtPercentile(p) / b.getValueAtPercentile(p);
  }

  private static double ms(long nanos) {
    return nanos / 1e6;
  }

  /** A frame with some structure (so PNG has work to do): gradients and bands. */
  private static byte[] frame(int w, int h) {
    byte[] d = new byte[w * h * 3];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int i = (y * w + x) * 3;
        boolean band = y > h * 3 / 4 && (x / 7 + y / 9) % 3 == 0;
        d[i] = (byte) (band ? 250 : x * 255 / w);
        d[i + 1] = (byte) (band ? 250 : y * 255 / h);
        d[i + 2] = (byte) (band ? 250 : 40);
      }
    }
    return d;
  }

  private static byte[] png(byte[] rgb, int w, int h) throws Exception {
    BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int i = (y * w + x) * 3;
        img.setRGB(x, y, (rgb[i] & 0xff) << 16 | (rgb[i + 1] & 0xff) << 8 | (rgb[i + 2] & 0xff));
      }
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ImageIO.write(img, "png", out);
    return out.toByteArray();
  }

  private static OcrgateConfig config(Path dir, String baseUrl) throws Exception {
    Path models = Files.createDirectories(dir.resolve("hunyuan-ocr"));
    Files.writeString(models.resolve("model.yaml"), "name: hunyuan-ocr\nengine: openai_chat\nupstream:\n"
        + "  base_url: " + baseUrl + "\n  served_model: " + MODEL + "\n  task: spotting_json\n");
    SigningKeys.write(SigningKeys.generate("RS256"), dir.resolve("keys"));
    OcrgateConfig c = new OcrgateConfig();
    c.server.port = 0;
    c.server.drain_timeout_seconds = 1;
    c.metrics.enabled = false;
    c.auth.audit = false;
    c.rate_limit.enabled = false;
    c.models = List.of(models.toString());
    c.auth.jwks_file = dir.resolve("keys").resolve(SigningKeys.JWKS_FILE).toString();
    TestTls.certs().applyTo(c.tls);
    return c;
  }
}
