package dev.ocrgate.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.ocrgate.api.v1.Image;
import dev.ocrgate.api.v1.OcrServiceGrpc;
import dev.ocrgate.api.v1.RawImage;
import dev.ocrgate.api.v1.RecognizeRequest;
import dev.ocrgate.api.v1.RecognizeResponse;
import dev.ocrgate.server.config.ConfigException;
import dev.ocrgate.server.config.OcrgateConfig;
import dev.ocrgate.server.testing.SlowOcrService;
import dev.ocrgate.server.testing.TestTls;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.reflection.v1.ServerReflectionGrpc;
import io.grpc.reflection.v1.ServerReflectionRequest;
import io.grpc.reflection.v1.ServerReflectionResponse;
import io.grpc.reflection.v1.ServiceResponse;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class OcrgateServerTest {
  private OcrgateServer server;
  private ManagedChannel channel;

  @AfterEach
  void tearDown() throws InterruptedException {
    if (channel != null) {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
    if (server != null) {
      server.shutdownGracefully();
    }
  }

  private static OcrgateConfig tlsConfig() {
    OcrgateConfig config = new OcrgateConfig();
    config.server.port = 0;
    config.server.drain_timeout_seconds = 10;
    TestTls.certs().applyTo(config.tls);
    return config;
  }

  private ManagedChannel tlsChannel() {
    return Grpc.newChannelBuilderForAddress("localhost", server.port(), TestTls.clientCredentials())
        .build();
  }

  @Test
  void start_tlsClient_getsServingFromHealth() {
    server = OcrgateServer.builder(tlsConfig()).addService(new SlowOcrService()).build().start();
    channel = tlsChannel();
    HealthGrpc.HealthBlockingStub health = HealthGrpc.newBlockingStub(channel);

    assertThat(health.check(HealthCheckRequest.getDefaultInstance()).getStatus())
        .isEqualTo(ServingStatus.SERVING);
    assertThat(
            health
                .check(HealthCheckRequest.newBuilder().setService("ocrgate.v1.OcrService").build())
                .getStatus())
        .isEqualTo(ServingStatus.SERVING);
  }

  @Test
  void start_healthIsNotServingUntilWarmUpFinished() throws Exception {
    CountDownLatch warmUpEntered = new CountDownLatch(1);
    CountDownLatch releaseWarmUp = new CountDownLatch(1);
    OcrgateServer s =
        OcrgateServer.builder(tlsConfig())
            .addService(new SlowOcrService())
            .warmUp(() -> {
              warmUpEntered.countDown();
              try {
                releaseWarmUp.await();
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            })
            .build();
    server = s;
    CompletableFuture<OcrgateServer> started = CompletableFuture.supplyAsync(s::start);
    assertThat(warmUpEntered.await(10, TimeUnit.SECONDS)).isTrue();
    channel = tlsChannel();
    HealthGrpc.HealthBlockingStub health = HealthGrpc.newBlockingStub(channel);

    assertThat(health.check(HealthCheckRequest.getDefaultInstance()).getStatus())
        .isEqualTo(ServingStatus.NOT_SERVING);
    releaseWarmUp.countDown();
    started.get(10, TimeUnit.SECONDS);
    assertThat(health.check(HealthCheckRequest.getDefaultInstance()).getStatus())
        .isEqualTo(ServingStatus.SERVING);
  }

  @Test
  void start_plaintextClientOnTlsPort_isRefused() throws InterruptedException {
    server = OcrgateServer.builder(tlsConfig()).addService(new SlowOcrService()).build().start();
    channel =
        Grpc.newChannelBuilderForAddress("localhost", server.port(), InsecureChannelCredentials.create())
            .build();

    assertThatThrownBy(
            () ->
                HealthGrpc.newBlockingStub(channel)
                    // Generous: the expected refusal comes as soon as the handshake fails; a
                    // short deadline would turn a slow first connection into DEADLINE_EXCEEDED.
                    .withDeadlineAfter(30, TimeUnit.SECONDS)
                    .check(HealthCheckRequest.getDefaultInstance()))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE));
  }

  @Test
  void reflection_listsOcrService() throws Exception {
    server = OcrgateServer.builder(tlsConfig()).addService(new SlowOcrService()).build().start();
    channel = tlsChannel();
    CompletableFuture<List<String>> names = new CompletableFuture<>();
    StreamObserver<ServerReflectionRequest> requests =
        ServerReflectionGrpc.newStub(channel)
            .serverReflectionInfo(
                new StreamObserver<>() {
                  @Override
                  public void onNext(ServerReflectionResponse r) {
                    names.complete(
                        r.getListServicesResponse().getServiceList().stream()
                            .map(ServiceResponse::getName)
                            .collect(Collectors.toList()));
                  }

                  @Override
                  public void onError(Throwable t) {
                    names.completeExceptionally(t);
                  }

                  @Override
                  public void onCompleted() {}
                });
    requests.onNext(ServerReflectionRequest.newBuilder().setListServices("*").build());
    requests.onCompleted();

    assertThat(names.get(10, TimeUnit.SECONDS))
        .contains("ocrgate.v1.OcrService", "grpc.health.v1.Health");
  }

  @Test
  void shutdown_drainsInFlightCall_thenRefusesNewOnes() throws Exception {
    SlowOcrService slow = new SlowOcrService();
    server = OcrgateServer.builder(tlsConfig()).addService(slow).build().start();
    channel = tlsChannel();
    OcrServiceGrpc.OcrServiceFutureStub stub = OcrServiceGrpc.newFutureStub(channel);
    var inFlight = stub.recognize(slowRequest(60f, 7));
    assertThat(slow.entered.await(10, TimeUnit.SECONDS)).isTrue();

    CompletableFuture<Boolean> drained = CompletableFuture.supplyAsync(server::shutdownGracefully);
    // New calls are refused while the first one is still held in its handler...
    await().atMost(Duration.ofSeconds(30)).until(() -> refused(slowRequest(0f, 1)));
    assertThat(inFlight).isNotDone();
    // ...and the drain waits for it.
    slow.release();

    assertThat(drained.get(30, TimeUnit.SECONDS)).isTrue();
    RecognizeResponse response = inFlight.get(10, TimeUnit.SECONDS);
    assertThat(response.getImageWidth()).isEqualTo(7);
  }

  private boolean refused(RecognizeRequest request) {
    try {
      OcrServiceGrpc.newBlockingStub(channel).withDeadlineAfter(5, TimeUnit.SECONDS).recognize(request);
      return false;
    } catch (StatusRuntimeException e) {
      return true;
    }
  }

  @Test
  void start_withoutTlsMaterial_failsWithMessageNamingTheKey() {
    OcrgateConfig config = new OcrgateConfig();
    config.server.port = 0;
    server = OcrgateServer.builder(config).build();

    assertThatThrownBy(server::start)
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("tls.cert_chain");
  }

  @Test
  void builder_plaintextOnAllInterfaces_withoutOptIn_isRefused() {
    OcrgateConfig config = new OcrgateConfig();
    config.server.host = "0.0.0.0";
    config.server.port = 0;
    config.server.plaintext = true;

    assertThatThrownBy(() -> OcrgateServer.builder(config))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("server.plaintext on 0.0.0.0, which is not a loopback address")
        .hasMessageContaining("server.allow_insecure_non_loopback");
  }

  @Test
  void builder_authOffOnAllInterfaces_withoutOptIn_isRefused() {
    OcrgateConfig config = tlsConfig();
    config.server.host = "0.0.0.0";
    config.auth.enabled = false;

    assertThatThrownBy(() -> OcrgateServer.builder(config))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("auth.enabled: false on 0.0.0.0");
  }

  @Test
  void start_plaintextOnLoopback_serves() {
    OcrgateConfig config = new OcrgateConfig();
    config.server.port = 0;
    config.server.plaintext = true;
    config.auth.enabled = false;
    server = OcrgateServer.builder(config).addService(new SlowOcrService()).build().start();
    channel = Grpc.newChannelBuilderForAddress("127.0.0.1", server.port(), InsecureChannelCredentials.create())
        .build();

    assertThat(HealthGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS)
        .check(HealthCheckRequest.getDefaultInstance()).getStatus()).isEqualTo(ServingStatus.SERVING);
  }

  @Test
  void start_plaintextOnAllInterfaces_withOptIn_serves() {
    OcrgateConfig config = new OcrgateConfig();
    config.server.host = "0.0.0.0";
    config.server.port = 0;
    config.server.plaintext = true;
    config.server.allow_insecure_non_loopback = true;
    server = OcrgateServer.builder(config).addService(new SlowOcrService()).build().start();
    channel = Grpc.newChannelBuilderForAddress("127.0.0.1", server.port(), InsecureChannelCredentials.create())
        .build();

    assertThat(HealthGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS)
        .check(HealthCheckRequest.getDefaultInstance()).getStatus()).isEqualTo(ServingStatus.SERVING);
  }

  static RecognizeRequest slowRequest(float seconds, int width) {
    return RecognizeRequest.newBuilder()
        .setMinConfidence(seconds)
        .setImage(Image.newBuilder().setRaw(RawImage.newBuilder().setWidth(width)))
        .build();
  }
}
