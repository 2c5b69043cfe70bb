package dev.ocrgate.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ocrgate.api.v1.OcrServiceGrpc;
import dev.ocrgate.api.v1.RecognizeResponse;
import dev.ocrgate.server.auth.InMemoryRevocationStore;
import dev.ocrgate.server.auth.JwtAuth;
import dev.ocrgate.server.auth.JwtAuthInterceptor;
import dev.ocrgate.server.auth.SigningKey;
import dev.ocrgate.server.auth.SigningKeys;
import dev.ocrgate.server.auth.Tokens;
import dev.ocrgate.server.config.OcrgateConfig;
import dev.ocrgate.server.testing.MemoryPeak;
import dev.ocrgate.server.testing.RawGrpcFlood;
import dev.ocrgate.server.testing.SlowOcrService;
import dev.ocrgate.server.testing.TestTls;
import io.grpc.Grpc;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.stub.MetadataUtils;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 12, "unauthenticated memory flood": 100 calls to the public health service, each carrying
 * a 30 MiB message, over real TLS, from a client that holds almost nothing itself. The server must
 * refuse them without buffering them (bounded memory), answer every one of them quickly, and go on
 * serving an authenticated OCR call meanwhile.
 */
class UnauthenticatedFloodTest {
  private static final int CALLS = 100;
  private static final int MESSAGE_BYTES = 30 * 1024 * 1024;
  // Generous: without the limits the server would hold 100 × 30 MiB = 3 GiB.
  private static final long MAX_GROWTH = 500L * 1024 * 1024;

  @TempDir Path dir;
  JwtAuth auth;
  OcrgateServer server;
  ManagedChannel channel;
  String token;

  /** A fresh server per case, so that each starts from its own baseline. */
  @BeforeEach
  void start() throws Exception {
    Clock clock = Clock.systemUTC();
    SigningKey key = SigningKeys.generate("RS256");
    Path jwks = dir.resolve("jwks.json");
    Files.writeString(jwks, SigningKey.jwksJson(List.of(key.publicJwk())));
    OcrgateConfig config = new OcrgateConfig();
    config.server.port = 0;
    TestTls.certs().applyTo(config.tls);
    config.auth.jwks_file = jwks.toString();
    auth = JwtAuth.fromConfig(config.auth, Map.<String, String>of()::get, null,
        InMemoryRevocationStore.create(clock), clock);
    server = OcrgateServer.builder(config).addService(new SlowOcrService())
        .addInterceptor(auth.interceptor()).build().start();
    token = new Tokens(clock).sign(key);
    channel = Grpc.newChannelBuilderForAddress("localhost", server.port(), TestTls.clientCredentials()).build();
  }

  @AfterEach
  void stop() throws Exception {
    channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    server.shutdownGracefully();
    auth.close();
  }

  @ParameterizedTest(name = "over {0} connection(s)")
  @ValueSource(ints = {1, 4})
  void flood_of30MiBHealthChecks_isRefusedQuickly_withBoundedMemory_andOcrStillAnswers(int connections)
      throws Exception {
    List<CompletableFuture<String>> outcomes = new ArrayList<>();
    List<RawGrpcFlood> floods = new ArrayList<>();
    RecognizeResponse ocr;
    long growth;
    try (MemoryPeak memory = MemoryPeak.start()) {
      for (int c = 0; c < connections; c++) {
        RawGrpcFlood flood = RawGrpcFlood.connect(server.port());
        floods.add(flood);
        outcomes.addAll(flood.flood("grpc.health.v1.Health/Check", CALLS / connections, MESSAGE_BYTES));
      }
      ocr = authenticatedRecognize();
      // Generous bound on a loaded 2-core machine: refusing takes milliseconds; without the
      // limits every call waits for its 30 MiB to be read and parsed.
      CompletableFuture.allOf(outcomes.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
      growth = memory.growth();
    } finally {
      floods.forEach(RawGrpcFlood::close);
    }

    assertThat(ocr.getImageWidth()).isEqualTo(7);
    assertThat(outcomes).hasSize(CALLS);
    for (CompletableFuture<String> outcome : outcomes) {
      // RESOURCE_EXHAUSTED (8); or refused by the transport: the stream reset, or the connection
      // closed by the rapid-reset guard (each refusal resets a stream, and they add up).
      assertThat(outcome.join()).isIn("grpc-status 8", "reset " + 7 /* REFUSED_STREAM */, "closed");
    }
    assertThat(growth).as("peak growth of heap + direct memory, bytes").isLessThan(MAX_GROWTH);
  }

  private RecognizeResponse authenticatedRecognize() {
    Metadata headers = new Metadata();
    headers.put(JwtAuthInterceptor.AUTHORIZATION, "Bearer " + token);
    return OcrServiceGrpc.newBlockingStub(channel)
        .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers))
        .withDeadlineAfter(60, TimeUnit.SECONDS)
        .recognize(OcrgateServerTest.slowRequest(0f, 7));
  }
}
