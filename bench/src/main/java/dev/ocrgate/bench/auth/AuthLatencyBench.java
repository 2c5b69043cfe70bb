package dev.ocrgate.bench.auth;

import dev.ocrgate.api.v1.OcrServiceGrpc;
import dev.ocrgate.api.v1.RecognizeRequest;
import dev.ocrgate.server.OcrgateServer;
import dev.ocrgate.server.auth.InMemoryRevocationStore;
import dev.ocrgate.server.auth.JwtAuth;
import dev.ocrgate.server.auth.JwtAuthInterceptor;
import dev.ocrgate.server.auth.RecordingOcrService;
import dev.ocrgate.server.auth.SigningKey;
import dev.ocrgate.server.auth.SigningKeys;
import dev.ocrgate.server.auth.TokenMinter;
import dev.ocrgate.server.config.OcrgateConfig;
import dev.ocrgate.server.testing.TestTls;
import io.grpc.Grpc;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.stub.MetadataUtils;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * End-to-end unary latency of a trivial call (empty Recognize answered by a test service) over
 * real TLS on loopback, with auth on (RS256 token, verified-token cache on) and off, interleaved
 * call by call in one run so both see the same machine noise.
 *
 * <p>Usage: {@code AuthLatencyBench [calls-per-side (default 20000)] [warmup (default 5000)]}
 */
public final class AuthLatencyBench {
  private AuthLatencyBench() {}

  public static void main(String[] args) throws Exception {
    int calls = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
    int warmup = args.length > 1 ? Integer.parseInt(args[1]) : 5_000;
    Path dir = Files.createTempDirectory("auth-bench");
    SigningKey key = SigningKeys.generate("RS256");
    SigningKeys.write(key, dir);
    Clock clock = Clock.systemUTC();

    OcrgateConfig on = config();
    on.auth.jwks_file = dir.resolve(SigningKeys.JWKS_FILE).toString();
    on.auth.audit = false;
    OcrgateConfig off = config();
    try (JwtAuth auth = JwtAuth.fromConfig(on.auth, k -> null, null, InMemoryRevocationStore.create(clock), clock);
        OcrgateServer withAuth = OcrgateServer.builder(on).addService(new RecordingOcrService())
            .addInterceptor(auth.interceptor()).build().start();
        OcrgateServer without = OcrgateServer.builder(off).addService(new RecordingOcrService()).build().start()) {
      String token = TokenMinter.of(key).mint("bench", List.of("ocr:recognize"), Duration.ofHours(1), "ocrgate", "t");
      Metadata md = new Metadata();
      md.put(JwtAuthInterceptor.AUTHORIZATION, "Bearer " + token);
      ManagedChannel a = channel(withAuth);
      ManagedChannel b = channel(without);
      var stubOn = OcrServiceGrpc.newBlockingStub(a).withInterceptors(MetadataUtils.newAttachHeadersInterceptor(md));
      var stubOff = OcrServiceGrpc.newBlockingStub(b).withInterceptors(MetadataUtils.newAttachHeadersInterceptor(md));
      Histogram hOn = new Histogram(TimeUnit.SECONDS.toNanos(10), 3);
      Histogram hOff = new Histogram(TimeUnit.SECONDS.toNanos(10), 3);
      RecognizeRequest req = RecognizeRequest.getDefaultInstance();
      for (int i = 0; i < warmup + calls; i++) {
        boolean record = i >= warmup;
        // alternate which side goes first so neither always runs on a warmer path
        if ((i & 1) == 0) {
          time(() -> stubOn.recognize(req), hOn, record);
          time(() -> stubOff.recognize(req), hOff, record);
        } else {
          time(() -> stubOff.recognize(req), hOff, record);
          time(() -> stubOn.recognize(req), hOn, record);
        }
      }
      a.shutdownNow();
      b.shutdownNow();
      System.out.printf("calls per side: %d (after %d warm-up)%n", calls, warmup);
      System.out.println("| side | p50 µs | p90 µs | p99 µs | max µs |");
      System.out.println("|---|---:|---:|---:|---:|");
      row("auth on (RS256, cache)", hOn);
      row("auth off", hOff);
      System.out.printf("p50 delta: %.1f µs (%.1f %%)%n",
          (hOn.getValueAtPercentile(50) - hOff.getValueAtPercentile(50)) / 1000.0,
          100.0 * (hOn.getValueAtPercentile(50) - hOff.getValueAtPercentile(50)) / hOff.getValueAtPercentile(50));
    }
  }

  private static OcrgateConfig config() {
    OcrgateConfig c = new OcrgateConfig();
    c.server.port = 0;
    c.server.drain_timeout_seconds = 1;
    TestTls.certs().applyTo(c.tls);
    return c;
  }

  private static ManagedChannel channel(OcrgateServer s) {
    return Grpc.newChannelBuilderForAddress("localhost", s.port(), TestTls.clientCredentials()).build();
  }

  private static void time(Runnable call, Histogram h, boolean record) {
    long t0 = System.nanoTime();
    call.run();
    long dt = System.nanoTime() - t0;
    if (record) {
      h.recordValue(Math.min(dt, h.getHighestTrackableValue()));
    }
  }

  private static void row(String name, Histogram h) {
    System.out.printf("| %s | %.1f | %.1f | %.1f | %.1f |%n", name, h.getValueAtPercentile(50) / 1000.0,
        h.getValueAtPercentile(90) / 1000.0, h.getValueAtPercentile(99) / 1000.0, h.getMaxValue() / 1000.0);
  }
}
