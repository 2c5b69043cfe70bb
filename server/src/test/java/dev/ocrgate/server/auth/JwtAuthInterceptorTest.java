package dev.ocrgate.server.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.sun.net.httpserver.HttpServer;
import dev.ocrgate.api.v1.OcrServiceGrpc;
import dev.ocrgate.api.v1.RecognizeRequest;
import dev.ocrgate.api.v1.StreamFramesRequest;
import dev.ocrgate.api.v1.StreamFramesResponse;
import dev.ocrgate.server.config.AuthConfig;
import dev.ocrgate.server.testing.ManualScheduler;
import dev.ocrgate.server.testing.MutableClock;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.StreamObserver;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The interceptor in-process, with a fake clock: cache, revocation, deny-by-default, rotation. */
class JwtAuthInterceptorTest {
  static final SigningKey RSA = SigningKeys.generate("RS256");
  @TempDir Path dir;
  final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
  final Tokens tokens = new Tokens(clock);
  final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
  final ExecutorService checks = Executors.newSingleThreadExecutor();

  @AfterEach
  void stop() {
    scheduler.shutdownNow();
    checks.shutdownNow();
  }

  JwtAuthInterceptor interceptor(RevocationStore store, MethodPolicy policy, KeySource keys) {
    JwtVerifier v = JwtVerifier.create(JwtVerifier.Settings.builder()
        .algorithms(List.of("RS256"))
        .issuers(List.of("ocrgate"))
        .audience("ocrgate")
        .skew(Duration.ofSeconds(60))
        .strictTyp(false)
        .tenantClaim("tenant_id")
        .build(), keys, clock);
    return JwtAuthInterceptor.builder(v, store, policy, scheduler)
        .clock(clock).cacheMaxEntries(100).audit(true).build();
  }

  static KeySource rsaKeys() {
    return KeySet.of(List.of(VerificationKey.of(RSA.kid(), RSA.publicKey(), null)));
  }

  static MethodPolicy defaultPolicy() {
    AuthConfig c = new AuthConfig();
    return MethodPolicy.of(c.public_methods, c.method_scopes);
  }

  static Status.Code code(Runnable call) {
    StatusRuntimeException e = catchThrowableOfType(StatusRuntimeException.class, call::run);
    return e == null ? Status.Code.OK : e.getStatus().getCode();
  }

  @Test
  void cacheHit_stillChecksRevocation() throws Exception {
    InMemoryRevocationStore store = InMemoryRevocationStore.create(clock);
    JwtAuthInterceptor i = interceptor(store, defaultPolicy(), rsaKeys());
    String t = tokens.sign(RSA, b -> b.id("jti-1"));
    try (InProcessAuth s = new InProcessAuth(i)) {
      assertThat(code(() -> s.stub("Bearer " + t).recognize(RecognizeRequest.getDefaultInstance()))).isEqualTo(Status.Code.OK);
      store.revokeJti(RevocationStore.Scope.of("ocrgate", "acme"), "jti-1", clock.instant().plusSeconds(300));
      assertThat(code(() -> s.stub("Bearer " + t).recognize(RecognizeRequest.getDefaultInstance())))
          .isEqualTo(Status.Code.UNAUTHENTICATED);
      assertThat(s.service.recognizeCalls.get()).isEqualTo(1);
    }
  }

  @Test
  void cacheHit_stillChecksScopes_andExpiry() throws Exception {
    JwtAuthInterceptor i = interceptor(InMemoryRevocationStore.create(clock), defaultPolicy(), rsaKeys());
    String t = tokens.sign(RSA, b -> b.claim("scope", "ocr:recognize"));
    try (InProcessAuth s = new InProcessAuth(i)) {
      assertThat(code(() -> s.stub("Bearer " + t).recognize(RecognizeRequest.getDefaultInstance()))).isEqualTo(Status.Code.OK);
      assertThat(code(() -> s.stub("Bearer " + t).recognize(RecognizeRequest.getDefaultInstance()))).isEqualTo(Status.Code.OK);
      clock.advance(Duration.ofMinutes(5).plusSeconds(61));
      StatusRuntimeException e = catchThrowableOfType(StatusRuntimeException.class,
          () -> s.stub("Bearer " + t).recognize(RecognizeRequest.getDefaultInstance()));
      assertThat(e.getStatus().getDescription()).isEqualTo("token expired");
    }
  }

  @Test
  void methodWithoutPolicy_isPermissionDenied_afterAuthentication() throws Exception {
    MethodPolicy onlyStream = MethodPolicy.of(List.of(), Map.of("ocrgate.v1.OcrService/StreamFrames", List.of()));
    JwtAuthInterceptor i = interceptor(InMemoryRevocationStore.create(clock), onlyStream, rsaKeys());
    try (InProcessAuth s = new InProcessAuth(i)) {
      StatusRuntimeException e = catchThrowableOfType(StatusRuntimeException.class,
          () -> s.stub("Bearer " + tokens.sign(RSA)).recognize(RecognizeRequest.getDefaultInstance()));
      assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
      assertThat(e.getStatus().getDescription()).isEqualTo("method not allowed");
      assertThat(code(() -> s.stub(null).recognize(RecognizeRequest.getDefaultInstance())))
          .as("no token: UNAUTHENTICATED first").isEqualTo(Status.Code.UNAUTHENTICATED);
      assertThat(s.service.handlerRuns()).isZero();
    }
  }

  @Test
  void publicMethod_runsWithoutToken_andWithoutPrincipal() throws Exception {
    MethodPolicy open = MethodPolicy.of(List.of("ocrgate.v1.OcrService/*"), Map.of());
    try (InProcessAuth s = new InProcessAuth(interceptor(InMemoryRevocationStore.create(clock), open, rsaKeys()))) {
      assertThat(code(() -> s.stub(null).recognize(RecognizeRequest.getDefaultInstance()))).isEqualTo(Status.Code.OK);
      assertThat(s.service.recognizeCalls.get()).isEqualTo(1);
      assertThat(s.service.principals).isEmpty();
    }
  }

  @Test
  void revocationStoreDown_isUnavailable_failClosed() throws Exception {
    RevocationStore down = new RevocationStore() {
      @Override
      public boolean isRevoked(Scope scope, String jti, String subject, Instant issuedAt) throws StoreUnavailableException {
        throw new StoreUnavailableException("store down", null);
      }

      @Override
      public void revokeJti(Scope scope, String jti, Instant until) {}

      @Override
      public void revokeSubjectBefore(Scope scope, String subject, Instant cutoff, Duration retention) {}
    };
    try (InProcessAuth s = new InProcessAuth(interceptor(down, defaultPolicy(), rsaKeys()))) {
      StatusRuntimeException e = catchThrowableOfType(StatusRuntimeException.class,
          () -> s.stub("Bearer " + tokens.sign(RSA)).recognize(RecognizeRequest.getDefaultInstance()));
      assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
      assertThat(s.service.handlerRuns()).isZero();
    }
  }

  /** Issue 12 item 4: rotating away a leaked key must stop the tokens it signed, cached ones too. */
  @Test
  void cachedToken_keyRemovedFromJwksFile_isUnauthenticatedAtItsNextCall() throws Exception {
    SigningKey leaked = SigningKeys.generate("RS256");
    SigningKey kept = SigningKeys.generate("ES256");
    Path file = dir.resolve("jwks.json");
    Files.writeString(file, SigningKey.jwksJson(List.of(leaked.publicJwk(), kept.publicJwk())));
    JwksFileKeySource keys = JwksFileKeySource.open(file, clock, Duration.ofSeconds(1));
    try (InProcessAuth s = new InProcessAuth(interceptor(keys))) {
      String token = tokens.sign(leaked);
      String other = tokens.sign(kept);
      assertThat(code(() -> s.stub("Bearer " + token).recognize(RecognizeRequest.getDefaultInstance()))).isEqualTo(Status.Code.OK);
      assertThat(code(() -> s.stub("Bearer " + token).recognize(RecognizeRequest.getDefaultInstance())))
          .as("cache hit").isEqualTo(Status.Code.OK);
      assertThat(code(() -> s.stub("Bearer " + other).recognize(RecognizeRequest.getDefaultInstance()))).isEqualTo(Status.Code.OK);

      Files.writeString(file, SigningKey.jwksJson(List.of(kept.publicJwk())));
      clock.advance(Duration.ofSeconds(2));
      assertThat(code(() -> s.stub("Bearer " + token).recognize(RecognizeRequest.getDefaultInstance())))
          .as("cached, but its key left the set").isEqualTo(Status.Code.UNAUTHENTICATED);
      assertThat(code(() -> s.stub("Bearer " + other).recognize(RecognizeRequest.getDefaultInstance())))
          .as("tokens of the kept key go on").isEqualTo(Status.Code.OK);
      assertThat(s.service.recognizeCalls.get()).isEqualTo(4);
    }
  }

  /** The same through a JWKS URL: the key leaves at the next refresh. */
  @Test
  void cachedToken_keyRemovedFromJwksUrl_isUnauthenticatedAfterTheNextRefresh() throws Exception {
    SigningKey leaked = SigningKeys.generate("RS256");
    SigningKey kept = SigningKeys.generate("ES256");
    AtomicReference<String> body =
        new AtomicReference<>(SigningKey.jwksJson(List.of(leaked.publicJwk(), kept.publicJwk())));
    HttpServer http = HttpServer.create(
        new InetSocketAddress("127.0.0.1", 0), 0);
    http.createContext("/jwks", ex -> {
      byte[] b = body.get().getBytes(StandardCharsets.UTF_8);
      ex.sendResponseHeaders(200, b.length);
      ex.getResponseBody().write(b);
      ex.close();
    });
    http.start();
    URI uri = URI.create("http://127.0.0.1:" + http.getAddress().getPort() + "/jwks");
    ExecutorService io = Executors.newSingleThreadExecutor();
    JwksUrlKeySource keys = JwksUrlKeySource.start(uri, clock, Duration.ofHours(1), Duration.ofSeconds(30),
        Duration.ofSeconds(30), scheduler, io);
    try (InProcessAuth s = new InProcessAuth(interceptor(keys))) {
      String token = tokens.sign(leaked);
      assertThat(code(() -> s.stub("Bearer " + token).recognize(RecognizeRequest.getDefaultInstance()))).isEqualTo(Status.Code.OK);
      assertThat(code(() -> s.stub("Bearer " + token).recognize(RecognizeRequest.getDefaultInstance())))
          .as("cache hit").isEqualTo(Status.Code.OK);

      body.set(SigningKey.jwksJson(List.of(kept.publicJwk())));
      assertThat(keys.fetch()).as("the refresh the scheduler would run").isTrue();
      assertThat(code(() -> s.stub("Bearer " + token).recognize(RecognizeRequest.getDefaultInstance())))
          .as("cached, but its key left the set").isEqualTo(Status.Code.UNAUTHENTICATED);
      assertThat(s.service.recognizeCalls.get()).isEqualTo(2);
    } finally {
      keys.close();
      io.shutdownNow();
      http.stop(0);
    }
  }

  private JwtAuthInterceptor interceptor(KeySource keys) {
    JwtVerifier v = JwtVerifier.create(JwtVerifier.Settings.builder()
        .algorithms(List.of("RS256", "ES256"))
        .issuers(List.of("ocrgate"))
        .audience("ocrgate")
        .skew(Duration.ofSeconds(60))
        .strictTyp(true)
        .tenantClaim("tenant_id")
        .build(), keys, clock);
    return JwtAuthInterceptor.builder(v, InMemoryRevocationStore.create(clock), defaultPolicy(), scheduler)
        .clock(clock).cacheMaxEntries(100).build();
  }

  @Test
  void builder_refusesOutOfRangeSettings_whenTheyAreSet() throws Exception {
    JwtVerifier v = JwtVerifier.create(JwtVerifier.Settings.builder()
        .algorithms(List.of("RS256")).issuers(List.of("ocrgate")).audience("ocrgate").build(), rsaKeys(), clock);
    JwtAuthInterceptor.Builder b = JwtAuthInterceptor.builder(v, InMemoryRevocationStore.create(clock), defaultPolicy(), scheduler);
    assertThatThrownBy(() -> b.maxTokenBytes(0)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("maxTokenBytes");
    assertThatThrownBy(() -> b.cacheMaxEntries(-1)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("cacheMaxEntries");
    assertThatThrownBy(() -> b.streamRecheck(Duration.ofSeconds(-1), checks)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("streamRecheck");
  }

  @Test
  void jwksFileChange_rotatesKeys_withoutRestart() throws Exception {
    SigningKey oldKey = SigningKeys.generate("RS256");
    SigningKey newKey = SigningKeys.generate("ES256");
    Path file = dir.resolve("jwks.json");
    Files.writeString(file, oldKey.publicJwksJson());
    JwksFileKeySource keys = JwksFileKeySource.open(file, clock, Duration.ofSeconds(1));
    JwtVerifier v = JwtVerifier.create(JwtVerifier.Settings.builder()
        .algorithms(List.of("RS256", "ES256"))
        .issuers(List.of("ocrgate"))
        .audience("ocrgate")
        .skew(Duration.ofSeconds(60))
        .strictTyp(false)
        .tenantClaim("tenant_id")
        .build(), keys, clock);
    JwtAuthInterceptor i = JwtAuthInterceptor.builder(v, InMemoryRevocationStore.create(clock), defaultPolicy(), scheduler)
        .clock(clock).cacheMaxEntries(100).build();
    try (InProcessAuth s = new InProcessAuth(i)) {
      String oldToken = tokens.sign(oldKey);
      String newToken = tokens.sign(newKey);
      assertThat(code(() -> s.stub("Bearer " + oldToken).recognize(RecognizeRequest.getDefaultInstance()))).isEqualTo(Status.Code.OK);
      assertThat(code(() -> s.stub("Bearer " + newToken).recognize(RecognizeRequest.getDefaultInstance())))
          .isEqualTo(Status.Code.UNAUTHENTICATED);

      Files.writeString(file, SigningKey.jwksJson(List.of(newKey.publicJwk())));
      clock.advance(Duration.ofSeconds(2));
      assertThat(code(() -> s.stub("Bearer " + newToken).recognize(RecognizeRequest.getDefaultInstance()))).isEqualTo(Status.Code.OK);
      String oldFresh = tokens.sign(oldKey);
      assertThat(code(() -> s.stub("Bearer " + oldFresh).recognize(RecognizeRequest.getDefaultInstance())))
          .as("retired key").isEqualTo(Status.Code.UNAUTHENTICATED);

      Files.writeString(file, "{\"keys\": [ half-written");
      clock.advance(Duration.ofSeconds(2));
      String another = tokens.sign(newKey);
      assertThat(code(() -> s.stub("Bearer " + another).recognize(RecognizeRequest.getDefaultInstance())))
          .as("a broken file keeps the last good keys").isEqualTo(Status.Code.OK);
    }
  }

  @Test
  void openStream_tokenRevoked_isClosedAtTheNextRecheck() throws Exception {
    InMemoryRevocationStore store = InMemoryRevocationStore.create(clock);
    JwtVerifier v = JwtVerifier.create(JwtVerifier.Settings.builder()
        .algorithms(List.of("RS256"))
        .issuers(List.of("ocrgate"))
        .audience("ocrgate")
        .skew(Duration.ofSeconds(60))
        .strictTyp(false)
        .tenantClaim("tenant_id")
        .build(), rsaKeys(), clock);
    // Ticks on the test's clock; each re-check runs on the ticking thread.
    ManualScheduler timers = new ManualScheduler(clock);
    JwtAuthInterceptor i = JwtAuthInterceptor.builder(v, store, defaultPolicy(), timers)
        .clock(clock).cacheMaxEntries(100).closeStreamsOnExpiry(false)
        .streamRecheck(Duration.ofMillis(50), Runnable::run).build();
    try (InProcessAuth s = new InProcessAuth(i)) {
      Metadata md = new Metadata();
      md.put(JwtAuthInterceptor.AUTHORIZATION, "Bearer " + tokens.sign(RSA, b -> b.id("stream-jti")));
      CompletableFuture<Status> ended = new CompletableFuture<>();
      var requests = OcrServiceGrpc.newStub(s.channel)
          .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(md))
          .streamFrames(new StreamObserver<>() {
            @Override
            public void onNext(StreamFramesResponse value) {}

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
      Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> timers.pending() == 1);
      timers.advance(Duration.ofMillis(150));
      assertThat(ended).as("still open after three re-checks while not revoked").isNotDone();
      store.revokeJti(RevocationStore.Scope.of("ocrgate", "acme"), "stream-jti", clock.instant().plusSeconds(600));
      timers.advance(Duration.ofMillis(50));
      Status st = ended.get(10, TimeUnit.SECONDS);
      assertThat(st.getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
      assertThat(st.getDescription()).isEqualTo("token revoked");
      assertThat(s.service.streamContextCancelled.await(5, TimeUnit.SECONDS)).isTrue();
    }
  }

  @ParameterizedTest
  @ValueSource(booleans = {true, false})
  void openStream_tokenExpiry_closesUnderPolicyClose_andNotUnderAllow(boolean close) throws Exception {
    String token = tokens.sign(RSA);
    JwtVerifier v = JwtVerifier.create(JwtVerifier.Settings.builder()
        .algorithms(List.of("RS256"))
        .issuers(List.of("ocrgate"))
        .audience("ocrgate")
        .skew(Duration.ofSeconds(60))
        .strictTyp(false)
        .tenantClaim("tenant_id")
        .build(), rsaKeys(), clock);
    ManualScheduler timers = new ManualScheduler(clock);
    JwtAuthInterceptor i = JwtAuthInterceptor.builder(v, InMemoryRevocationStore.create(clock), defaultPolicy(), timers)
        .clock(clock).cacheMaxEntries(100).closeStreamsOnExpiry(close).build();
    try (InProcessAuth s = new InProcessAuth(i)) {
      Metadata md = new Metadata();
      md.put(JwtAuthInterceptor.AUTHORIZATION, "Bearer " + token);
      CompletableFuture<Status> ended = new CompletableFuture<>();
      var requests = OcrServiceGrpc.newStub(s.channel)
          .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(md))
          .streamFrames(new StreamObserver<>() {
            @Override
            public void onNext(StreamFramesResponse value) {}

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
      Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> s.service.streamCalls.get() == 1);
      // One millisecond before exp + skew, then past it: the timer runs on this thread as it falls due.
      timers.advance(Duration.ofMinutes(5).plusSeconds(60).minusMillis(1));
      assertThat(ended).as("open until exp + skew").isNotDone();
      timers.advance(Duration.ofMinutes(10));
      if (close) {
        Status st = ended.get(10, TimeUnit.SECONDS);
        assertThat(st.getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
        assertThat(st.getDescription()).isEqualTo("token expired");
      } else {
        assertThat(timers.pending()).as("allow: no expiry timer").isZero();
        assertThat(ended).as("allow: the stream outlives its token").isNotDone();
        requests.onCompleted();
        assertThat(ended.get(10, TimeUnit.SECONDS).getCode()).isEqualTo(Status.Code.OK);
      }
      assertThat(s.service.streamCalls.get()).isEqualTo(1);
    }
  }

  /** Opens a stream with {@code token} on {@code s}; the future completes with its end status. */
  private static CompletableFuture<Status> openStream(InProcessAuth s, String token) {
    Metadata md = new Metadata();
    md.put(JwtAuthInterceptor.AUTHORIZATION, "Bearer " + token);
    CompletableFuture<Status> ended = new CompletableFuture<>();
    var requests = OcrServiceGrpc.newStub(s.channel)
        .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(md))
        .streamFrames(new StreamObserver<>() {
          @Override
          public void onNext(StreamFramesResponse value) {}

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
    return ended;
  }

  @Test
  void openStream_recheckStillWaitingForTheStore_isNotHandedOverAgain() throws Exception {
    ManualScheduler timers = new ManualScheduler(clock);
    List<Runnable> handedOver = new CopyOnWriteArrayList<>();
    JwtVerifier v = JwtVerifier.create(JwtVerifier.Settings.builder()
        .algorithms(List.of("RS256"))
        .issuers(List.of("ocrgate"))
        .audience("ocrgate")
        .skew(Duration.ofSeconds(60))
        .strictTyp(false)
        .tenantClaim("tenant_id")
        .build(), rsaKeys(), clock);
    JwtAuthInterceptor i = JwtAuthInterceptor.builder(v, InMemoryRevocationStore.create(clock), defaultPolicy(), timers)
        .clock(clock).cacheMaxEntries(100).streamRecheck(Duration.ofSeconds(30), handedOver::add).build();
    try (InProcessAuth s = new InProcessAuth(i)) {
      CompletableFuture<Status> ended = openStream(s, tokens.sign(RSA));
      Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> s.service.streamCalls.get() == 1);
      timers.advance(Duration.ofSeconds(90)); // three ticks; the store has not answered the first
      assertThat(handedOver).as("one re-check in flight").hasSize(1);
      handedOver.get(0).run();
      timers.advance(Duration.ofSeconds(30));
      assertThat(handedOver).as("the next tick, once answered").hasSize(2);
      assertThat(ended).isNotDone();
    }
  }

  @Test
  void openStream_recheckRefusedByAFullExecutor_failsClosedWithUnavailable() throws Exception {
    ManualScheduler timers = new ManualScheduler(clock);
    Executor full = task -> {
      throw new RejectedExecutionException("queue full");
    };
    JwtVerifier v = JwtVerifier.create(JwtVerifier.Settings.builder()
        .algorithms(List.of("RS256"))
        .issuers(List.of("ocrgate"))
        .audience("ocrgate")
        .skew(Duration.ofSeconds(60))
        .strictTyp(false)
        .tenantClaim("tenant_id")
        .build(), rsaKeys(), clock);
    JwtAuthInterceptor i = JwtAuthInterceptor.builder(v, InMemoryRevocationStore.create(clock), defaultPolicy(), timers)
        .clock(clock).cacheMaxEntries(100).streamRecheck(Duration.ofSeconds(30), full).build();
    try (InProcessAuth s = new InProcessAuth(i)) {
      CompletableFuture<Status> ended = openStream(s, tokens.sign(RSA));
      Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> s.service.streamCalls.get() == 1);
      timers.advance(Duration.ofSeconds(30));
      Status st = ended.get(10, TimeUnit.SECONDS);
      assertThat(st.getCode()).isEqualTo(Status.Code.UNAVAILABLE);
      assertThat(st.getDescription()).isEqualTo("revocation store unavailable");
      assertThat(s.service.streamContextCancelled.await(5, TimeUnit.SECONDS)).isTrue();
    }
  }
}
