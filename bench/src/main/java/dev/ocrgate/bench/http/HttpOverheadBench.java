package dev.ocrgate.bench.http;

import com.google.protobuf.ByteString;
import dev.ocrgate.api.v1.EncodedImage;
import dev.ocrgate.api.v1.Image;
import dev.ocrgate.api.v1.OcrServiceGrpc;
import dev.ocrgate.api.v1.Point;
import dev.ocrgate.api.v1.Quad;
import dev.ocrgate.api.v1.RecognizeRequest;
import dev.ocrgate.api.v1.RecognizeResponse;
import dev.ocrgate.api.v1.TextLine;
import dev.ocrgate.server.OcrgateServer;
import dev.ocrgate.server.auth.InMemoryRevocationStore;
import dev.ocrgate.server.auth.JwtAuth;
import dev.ocrgate.server.auth.JwtAuthInterceptor;
import dev.ocrgate.server.auth.SigningKey;
import dev.ocrgate.server.auth.SigningKeys;
import dev.ocrgate.server.auth.TokenMinter;
import dev.ocrgate.server.config.OcrgateConfig;
import dev.ocrgate.server.observability.GrpcServerMetrics;
import dev.ocrgate.server.observability.Metrics;
import dev.ocrgate.server.testing.RawHttps;
import dev.ocrgate.server.testing.TestTls;
import io.grpc.Grpc;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.StreamObserver;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.HdrHistogram.Histogram;

/**
 * What the HTTP/JSON port adds per call over gRPC: the same Recognize, one call at a time,
 * alternating between the gRPC port (HTTP/2, protobuf) and the HTTP port (HTTP/1.1 keep-alive, the
 * PNG as the raw body, JSON answer, then the in-process hop to the same interceptors), both over
 * TLS with the same ES256 token, on one server with the metrics and JWT interceptors. The service
 * answers at once with a fixed five-line response, so the difference is transport and mapping
 * only (a real image adds hundreds of milliseconds of OCR to both sides).
 *
 * <p>Usage: {@code HttpOverheadBench [calls-per-side (default 2000)] [warmup (default 500)]}
 */
public final class HttpOverheadBench {
  private HttpOverheadBench() {}

  public static void main(String[] args) throws Exception {
    int calls = args.length > 0 ? Integer.parseInt(args[0]) : 2000;
    int warmup = args.length > 1 ? Integer.parseInt(args[1]) : 500;
    Path dir = Files.createTempDirectory("http-bench");
    SigningKey key = SigningKeys.generate("ES256");
    Files.writeString(dir.resolve("jwks.json"), key.publicJwksJson());
    OcrgateConfig config = new OcrgateConfig();
    config.server.port = 0;
    config.metrics.enabled = false;
    config.http.enabled = true;
    config.http.port = 0;
    TestTls.certs().applyTo(config.tls);
    config.auth.jwks_file = dir.resolve("jwks.json").toString();
    Clock clock = Clock.systemUTC();
    Metrics metrics = Metrics.prometheus();
    try (JwtAuth auth = JwtAuth.fromConfig(config.auth, Map.<String, String>of()::get, null,
        InMemoryRevocationStore.create(clock), clock)) {
      OcrgateServer server = OcrgateServer.builder(config).metrics(metrics)
          .addInterceptor(GrpcServerMetrics.create(metrics)).addInterceptor(auth.interceptor())
          .addService(new FixedAnswer()).build().start();
      ManagedChannel channel = Grpc.newChannelBuilderForAddress("localhost", server.port(), TestTls.clientCredentials())
          .build();
      try {
        String token = TokenMinter.of(key).mint("bench", List.of("ocr:recognize"), Duration.ofHours(1), "ocrgate", null);
        run(server, channel, token, png(), calls, warmup);
      } finally {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        server.shutdownGracefully();
      }
    }
  }

  private static void run(OcrgateServer server, ManagedChannel channel, String token, byte[] png, int calls, int warmup)
      throws Exception {
    Metadata md = new Metadata();
    md.put(JwtAuthInterceptor.AUTHORIZATION, "Bearer " + token);
    var stub = OcrServiceGrpc.newBlockingStub(channel).withInterceptors(MetadataUtils.newAttachHeadersInterceptor(md));
    RecognizeRequest request = RecognizeRequest.newBuilder().setImage(Image.newBuilder()
        .setEncoded(EncodedImage.newBuilder().setData(ByteString.copyFrom(png)))).build();
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).sslContext(RawHttps.tls()).build();
    HttpRequest post = HttpRequest.newBuilder(URI.create("https://localhost:" + server.httpPort() + "/v1/recognize"))
        .header("Content-Type", "image/png").header("Authorization", "Bearer " + token)
        .POST(HttpRequest.BodyPublishers.ofByteArray(png)).build();
    Histogram grpc = new Histogram(TimeUnit.SECONDS.toNanos(30), 3);
    Histogram viaHttp = new Histogram(TimeUnit.SECONDS.toNanos(30), 3);
    for (int i = 0; i < warmup + calls; i++) {
      long t0 = System.nanoTime();
      int lines = stub.recognize(request).getLinesCount();
      long t1 = System.nanoTime();
      HttpResponse<String> r = http.send(post, HttpResponse.BodyHandlers.ofString());
      long t2 = System.nanoTime();
      if (lines != 5 || r.statusCode() != 200 || !r.body().contains("\"line 4\"")) {
        throw new IllegalStateException("unexpected answer: " + lines + " lines / HTTP " + r.statusCode());
      }
      if (i >= warmup) {
        grpc.recordValue(t1 - t0);
        viaHttp.recordValue(t2 - t1);
      }
    }
    System.out.printf("PNG body %d bytes, five-line answer, %d calls per side after %d warm-up, alternating%n%n",
        png.length, calls, warmup);
    System.out.println("| path | p50 ms | p90 ms | p99 ms | mean ms |");
    System.out.println("| --- | ---: | ---: | ---: | ---: |");
    row("gRPC port (HTTP/2, protobuf)", grpc);
    row("HTTP port (HTTP/1.1 keep-alive, raw PNG, JSON answer, in-process hop)", viaHttp);
    System.out.printf("| ratio HTTP / gRPC | %.2f | %.2f | %.2f | %.2f |%n",
        ratio(viaHttp, grpc, 50), ratio(viaHttp, grpc, 90), ratio(viaHttp, grpc, 99), viaHttp.getMean() / grpc.getMean());
  }

  /** A 640×160 PNG with two lines of text (what a small screenshot weighs). */
  private static byte[] png() throws Exception {
    BufferedImage img = new BufferedImage(640, 160, BufferedImage.TYPE_3BYTE_BGR);
    Graphics2D g = img.createGraphics();
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, 640, 160);
    g.setColor(Color.BLACK);
    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 40));
    g.drawString("HELLO OCRGATE", 24, 60);
    g.drawString("plain http 2026", 24, 130);
    g.dispose();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ImageIO.write(img, "png", out);
    return out.toByteArray();
  }

  private static void row(String name, Histogram h) {
    System.out.printf("| %s | %.2f | %.2f | %.2f | %.2f |%n", name, h.getValueAtPercentile(50) / 1e6,
        h.getValueAtPercentile(90) / 1e6, h.getValueAtPercentile(99) / 1e6, h.getMean() / 1e6);
  }

  private static double ratio(Histogram a, Histogram b, double p) {
    return (double) a.getValueAtPercentile(p) / b.getValueAtPercentile(p);
  }

  /** Answers every Recognize at once with five fixed lines. */
  private static final class FixedAnswer extends OcrServiceGrpc.OcrServiceImplBase {
    private final RecognizeResponse answer;

    FixedAnswer() {
      RecognizeResponse.Builder b = RecognizeResponse.newBuilder().setImageWidth(640).setImageHeight(160).setModel("fixed");
      for (int i = 0; i < 5; i++) {
        b.addLines(TextLine.newBuilder().setText("line " + i).setConfidence(0.97f).setReadingOrder(i)
            .setBox(Quad.newBuilder().addPoints(Point.newBuilder().setX(10).setY(10 + 30 * i))
                .addPoints(Point.newBuilder().setX(300).setY(10 + 30 * i))
                .addPoints(Point.newBuilder().setX(300).setY(35 + 30 * i))
                .addPoints(Point.newBuilder().setX(10).setY(35 + 30 * i))));
      }
      answer = b.build();
    }

    @Override
    public void recognize(RecognizeRequest request, StreamObserver<RecognizeResponse> response) {
      response.onNext(answer);
      response.onCompleted();
    }
  }
}
