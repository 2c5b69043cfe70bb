package dev.ocrgate.server.auth;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.ocrgate.api.v1.OcrServiceGrpc;
import dev.ocrgate.api.v1.StreamFramesRequest;
import dev.ocrgate.api.v1.StreamFramesResponse;
import dev.ocrgate.server.OcrgateServer;
import dev.ocrgate.server.config.OcrgateConfig;
import dev.ocrgate.server.testing.StubRevocations;
import dev.ocrgate.server.testing.TestTls;
import io.grpc.Grpc;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.StreamObserver;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The auth stack as {@link JwtAuth#fromConfig} builds it, over real TLS: a stream's expiry close is
 * never behind blocking work. While the JWKS URL's server stalls in the middle of a body, or the
 * revocation store does not answer a stream's re-check, a stream whose token expires is still
 * closed with "token expired" (bounded waits; on a single shared timer thread it never was).
 */
class AuthTimersTest {
  static final SigningKey KEY = SigningKeys.generate("ES256");
  @TempDir Path dir;
  final Clock clock = Clock.systemUTC();
  final CountDownLatch release = new CountDownLatch(1);
  final ExecutorService httpThreads = Executors.newCachedThreadPool();
  HttpServer jwksServer;

  @AfterEach
  void stop() {
    release.countDown();
    if (jwksServer != null) {
      jwksServer.stop(0);
    }
    httpThreads.shutdownNow();
  }

  @Test
  void streamExpiry_closesOnTime_whileAJwksFetchIsStalledMidBody() throws Exception {
    CountDownLatch stalled = new CountDownLatch(1);
    AtomicInteger requests = new AtomicInteger();
    byte[] jwks = KEY.publicJwksJson().getBytes(StandardCharsets.UTF_8);
    jwksServer = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    jwksServer.setExecutor(httpThreads);
    jwksServer.createContext("/jwks", ex -> {
      ex.sendResponseHeaders(200, jwks.length);
      try (OutputStream out = ex.getResponseBody()) {
        if (requests.incrementAndGet() == 1) {
          out.write(jwks);
          return;
        }
        out.write(jwks, 0, jwks.length / 2); // the refresh: half a body, then nothing
        out.flush();
        stalled.countDown();
        release.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
    jwksServer.start();
    OcrgateConfig config = config();
    config.auth.jwks_url = "http://127.0.0.1:" + jwksServer.getAddress().getPort() + "/jwks";
    config.auth.jwks_url_ttl_seconds = 1;
    config.auth.jwks_url_timeout_ms = 120_000; // the fetch's own deadline is not what ends the wait
    try (JwtAuth auth = JwtAuth.fromConfig(config.auth, k -> null, null,
        InMemoryRevocationStore.create(clock), clock)) {
      assertThat(stalled.await(30, TimeUnit.SECONDS)).as("the refresh is stalled").isTrue();
      assertExpiryClosesTheStream(config, auth);
    }
  }

  @Test
  void streamExpiry_closesOnTime_whileARevocationRecheckIsBlocked() throws Exception {
    CountDownLatch blocked = new CountDownLatch(1);
    AtomicInteger checks = new AtomicInteger();
    RevocationStore stalls = StubRevocations.answering(() -> {
      if (checks.incrementAndGet() > 1) { // the first check authenticates the call; re-checks hang
        blocked.countDown();
        try {
          release.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      return false;
    });
    Path jwks = dir.resolve("jwks.json");
    Files.writeString(jwks, KEY.publicJwksJson());
    OcrgateConfig config = config();
    config.auth.jwks_file = jwks.toString();
    config.auth.stream_revocation_recheck_seconds = 1;
    try (JwtAuth auth = JwtAuth.fromConfig(config.auth, k -> null, null, stalls, clock)) {
      assertExpiryClosesTheStream(config, auth, blocked);
    }
  }

  private static OcrgateConfig config() {
    OcrgateConfig config = new OcrgateConfig();
    config.server.port = 0;
    TestTls.certs().applyTo(config.tls);
    config.auth.clock_skew_seconds = 0;
    return config;
  }

  private void assertExpiryClosesTheStream(OcrgateConfig config, JwtAuth auth) throws Exception {
    assertExpiryClosesTheStream(config, auth, null);
  }

  /** A stream whose token expires in 3 s is closed "token expired" (once {@code first} has happened). */
  private void assertExpiryClosesTheStream(OcrgateConfig config, JwtAuth auth, CountDownLatch first)
      throws Exception {
    try (OcrgateServer server = OcrgateServer.builder(config).addService(new RecordingOcrService())
        .addInterceptor(auth.interceptor()).build().start()) {
      ManagedChannel channel = Grpc.newChannelBuilderForAddress("localhost", server.port(),
          TestTls.clientCredentials()).build();
      try {
        HealthGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS)
            .check(HealthCheckRequest.getDefaultInstance());
        Instant exp = Instant.now().plusSeconds(3);
        Metadata md = new Metadata();
        md.put(JwtAuthInterceptor.AUTHORIZATION,
            "Bearer " + new Tokens(clock).sign(KEY, b -> b.expiration(Date.from(exp))));
        CompletableFuture<Status> ended = new CompletableFuture<>();
        CountDownLatch answered = new CountDownLatch(1);
        StreamObserver<StreamFramesRequest> requests = OcrServiceGrpc.newStub(channel)
            .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(md))
            .streamFrames(new StreamObserver<>() {
              @Override
              public void onNext(StreamFramesResponse value) {
                answered.countDown();
              }

              @Override
              public void onError(Throwable t) {
                ended.complete(Status.fromThrowable(t));
              }

              @Override
              public void onCompleted() {
                ended.complete(Status.OK);
              }
            });
        requests.onNext(StreamFramesRequest.getDefaultInstance());
        assertThat(answered.await(30, TimeUnit.SECONDS)).as("the stream is open").isTrue();
        if (first != null) {
          assertThat(first.await(30, TimeUnit.SECONDS)).as("a re-check is blocked").isTrue();
        }
        Status status = ended.get(30, TimeUnit.SECONDS);
        assertThat(status.getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
        assertThat(status.getDescription()).isEqualTo("token expired");
        assertThat(Instant.now()).isAfterOrEqualTo(exp.truncatedTo(ChronoUnit.SECONDS));
      } finally {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
      }
    }
  }
}
