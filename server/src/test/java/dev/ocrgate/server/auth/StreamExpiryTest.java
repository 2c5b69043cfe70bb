package dev.ocrgate.server.auth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ocrgate.api.v1.OcrServiceGrpc;
import dev.ocrgate.api.v1.StreamFramesRequest;
import dev.ocrgate.api.v1.StreamFramesResponse;
import dev.ocrgate.server.OcrgateServer;
import dev.ocrgate.server.config.AuthConfig;
import dev.ocrgate.server.config.OcrgateConfig;
import dev.ocrgate.server.testing.TestTls;
import io.grpc.Grpc;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.StreamObserver;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A stream whose token expires is closed with UNAUTHENTICATED "token expired" (real TLS). */
class StreamExpiryTest {
  @TempDir Path dir;

  @Test
  void stream_tokenExpires_isClosedUnauthenticated_andHandlerContextCancelled() throws Exception {
    SigningKey key = SigningKeys.generate("ES256");
    Path jwks = dir.resolve("jwks.json");
    Files.writeString(jwks, key.publicJwksJson());
    OcrgateConfig config = new OcrgateConfig();
    config.server.port = 0;
    TestTls.certs().applyTo(config.tls);
    config.auth.jwks_file = jwks.toString();
    config.auth.clock_skew_seconds = 0;
    RecordingOcrService service = new RecordingOcrService();
    Clock clock = Clock.systemUTC();
    try (JwtAuth auth = JwtAuth.fromConfig(config.auth, k -> null, null, InMemoryRevocationStore.create(clock), clock);
        OcrgateServer server = OcrgateServer.builder(config).addService(service)
            .addInterceptor(auth.interceptor()).build().start()) {
      ManagedChannel channel = Grpc.newChannelBuilderForAddress("localhost", server.port(), TestTls.clientCredentials()).build();
      try {
        // Connect first (TLS handshake) so the short token's lifetime is spent on the stream.
        HealthGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS)
            .check(HealthCheckRequest.getDefaultInstance());
        Instant exp = Instant.now().plusSeconds(4);
        String token = new Tokens(clock).sign(key, b -> b.expiration(Date.from(exp)));
        Metadata md = new Metadata();
        md.put(JwtAuthInterceptor.AUTHORIZATION, "Bearer " + token);
        CompletableFuture<Status> ended = new CompletableFuture<>();
        AtomicInteger responses = new AtomicInteger();
        StreamObserver<StreamFramesRequest> requests = OcrServiceGrpc.newStub(channel)
            .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(md))
            .streamFrames(new StreamObserver<>() {
              @Override
              public void onNext(StreamFramesResponse value) {
                responses.incrementAndGet();
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
        Status status = ended.get(30, TimeUnit.SECONDS);
        Instant closedAt = Instant.now();
        assertThat(status.getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
        assertThat(status.getDescription()).isEqualTo("token expired");
        // exp has whole-second precision: the stream must not outlive it
        assertThat(closedAt).isAfterOrEqualTo(exp.truncatedTo(ChronoUnit.SECONDS));
        assertThat(service.streamCalls.get()).isEqualTo(1);
        assertThat(responses.get()).as("the stream worked before expiry").isEqualTo(1);
        assertThat(service.streamContextCancelled.await(10, TimeUnit.SECONDS)).as("handler context cancelled").isTrue();
      } finally {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
      }
    }
  }

  @Test
  void streamExpiry_unknownMode_isRefusedAtStartup() {
    AuthConfig c = new AuthConfig();
    c.stream_expiry = "sometimes";
    c.jwks_file = null;
    c.algorithms = List.of("HS256");
    Assertions.assertThatThrownBy(() -> JwtAuth.fromConfig(c, Map.of(
        "OCRGATE_JWT_SECRET", "0123456789abcdef0123456789abcdef")::get, null, InMemoryRevocationStore.create(Clock.systemUTC()),
        Clock.systemUTC())).hasMessageContaining("stream_expiry");
  }
}
