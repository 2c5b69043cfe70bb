package dev.ocrgate.server.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import dev.ocrgate.server.testing.MutableClock;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The JWKS URL source against a real local HTTP server. */
class JwksUrlKeySourceTest {
  static final SigningKey K1 = SigningKeys.generate("RS256");
  static final SigningKey K2 = SigningKeys.generate("ES256");

  final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
  final AtomicInteger hits = new AtomicInteger();
  final AtomicReference<String> body = new AtomicReference<>(K1.publicJwksJson());
  final AtomicInteger status = new AtomicInteger(200);
  /** Set: the server sends the headers and half the body, then nothing until the test ends. */
  final AtomicBoolean stall = new AtomicBoolean();
  final CountDownLatch released = new CountDownLatch(1);
  final ExecutorService httpThreads = Executors.newCachedThreadPool();
  final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
  final ExecutorService io = Executors.newFixedThreadPool(2);
  HttpServer http;
  URI uri;

  @BeforeEach
  void start() throws Exception {
    http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    http.createContext("/jwks", ex -> {
      hits.incrementAndGet();
      byte[] b = body.get().getBytes(StandardCharsets.UTF_8);
      ex.sendResponseHeaders(status.get(), b.length);
      if (stall.get()) {
        ex.getResponseBody().write(b, 0, b.length / 2);
        ex.getResponseBody().flush();
        try {
          released.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      ex.getResponseBody().write(b);
      ex.close();
    });
    http.setExecutor(httpThreads);
    http.start();
    uri = URI.create("http://127.0.0.1:" + http.getAddress().getPort() + "/jwks");
  }

  @AfterEach
  void stop() {
    released.countDown();
    http.stop(0);
    httpThreads.shutdownNow();
    scheduler.shutdownNow();
    io.shutdownNow();
  }

  JwksUrlKeySource source(Duration ttl) {
    // The fetch timeout is not under test (failures here are refusals, bad bodies and a stopped
    // server, which fail at once); a short one would fail the first fetch of a slow, loaded JVM.
    return JwksUrlKeySource.start(uri, clock, ttl, Duration.ofSeconds(30), Duration.ofSeconds(30), scheduler, io);
  }

  @Test
  void unknownKid_refetchesAtMostOncePerInterval() {
    try (JwksUrlKeySource s = source(Duration.ofHours(1))) {
      assertThat(hits.get()).isEqualTo(1);
      assertThat(s.find(K1.kid())).isNotNull();
      assertThat(hits.get()).as("known kid: no fetch").isEqualTo(1);

      assertThat(s.find("random-1")).isNull();
      assertThat(hits.get()).isEqualTo(2);
      for (int i = 0; i < 50; i++) {
        assertThat(s.find("random-" + i)).isNull();
      }
      assertThat(hits.get()).as("rate limited").isEqualTo(2);

      body.set(SigningKey.jwksJson(List.of(K1.publicJwk(), K2.publicJwk())));
      clock.advance(Duration.ofSeconds(31));
      assertThat(s.find(K2.kid())).as("new kid after the interval").isNotNull();
      assertThat(hits.get()).isEqualTo(3);
    }
  }

  @Test
  void failedFetch_keepsLastGoodSet() {
    try (JwksUrlKeySource s = source(Duration.ofHours(1))) {
      status.set(500);
      body.set("oops");
      assertThat(s.fetch()).isFalse();
      assertThat(s.find(K1.kid())).isNotNull();
      status.set(200);
      body.set("{not json");
      assertThat(s.fetch()).isFalse();
      assertThat(s.find(K1.kid())).isNotNull();
      body.set("{\"keys\": [" + " ".repeat(2 << 20) + "]}");
      assertThat(s.fetch()).as("body over 1 MiB").isFalse();
      assertThat(s.find(K1.kid())).isNotNull();
      http.stop(0);
      assertThat(s.fetch()).isFalse();
      assertThat(s.find(K1.kid())).isNotNull();
    }
  }

  @Test
  void stalledBody_fetchIsCutOffAtItsTimeout_andTheLastGoodKeysStay() {
    // The HTTP client's own timeout ends once the headers are in; the body is on the source's
    // deadline. 5 s: long enough for the first fetch of a loaded JVM, short enough to wait out.
    try (JwksUrlKeySource s = JwksUrlKeySource.start(uri, clock, Duration.ofHours(1), Duration.ofSeconds(30),
        Duration.ofSeconds(5), scheduler, io)) {
      assertThat(s.find(K1.kid())).isNotNull();
      stall.set(true);
      VerificationKey unknown = Assertions.assertTimeoutPreemptively(
          Duration.ofSeconds(60), () -> s.find("unknown-kid"), "a stalled body must not hold the lookup");
      assertThat(unknown).isNull();
      assertThat(hits.get()).isEqualTo(2);
      assertThat(s.find(K1.kid())).as("last good set kept").isNotNull();

      stall.set(false);
      body.set(SigningKey.jwksJson(List.of(K1.publicJwk(), K2.publicJwk())));
      clock.advance(Duration.ofSeconds(31));
      assertThat(s.find(K2.kid())).as("the next fetch is not stuck behind the stalled one").isNotNull();
    }
  }

  @Test
  void ttl_refreshesInTheBackground() {
    try (JwksUrlKeySource s = source(Duration.ofMillis(200))) {
      body.set(K2.publicJwksJson());
      await().atMost(Duration.ofSeconds(30)).until(() -> hits.get() >= 2 && s.find(K2.kid()) != null);
      assertThat(s.find(K1.kid())).as("rotated out").isNull();
    }
  }
}
