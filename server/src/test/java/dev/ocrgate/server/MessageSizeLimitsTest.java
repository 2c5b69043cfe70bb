package dev.ocrgate.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import dev.ocrgate.api.v1.Image;
import dev.ocrgate.api.v1.OcrServiceGrpc;
import dev.ocrgate.api.v1.RawImage;
import dev.ocrgate.api.v1.RecognizeRequest;
import dev.ocrgate.server.config.ConfigException;
import dev.ocrgate.server.config.OcrgateConfig;
import dev.ocrgate.server.testing.SlowOcrService;
import dev.ocrgate.server.testing.TestTls;
import io.grpc.Grpc;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Per-method request size limits over a real TLS server: OCR methods take large messages, every
 * other method only {@code server.max_control_message_bytes}, and refuses compressed requests.
 */
class MessageSizeLimitsTest {
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

  private void start(int controlLimit) {
    OcrgateConfig config = new OcrgateConfig();
    config.server.port = 0;
    config.server.max_control_message_bytes = controlLimit;
    TestTls.certs().applyTo(config.tls);
    server = OcrgateServer.builder(config).addService(new SlowOcrService()).build().start();
    channel = Grpc.newChannelBuilderForAddress("localhost", server.port(), TestTls.clientCredentials())
        .maxInboundMessageSize(64 * 1024 * 1024).build();
  }

  private HealthGrpc.HealthBlockingStub health() {
    return HealthGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS);
  }

  private static HealthCheckRequest healthRequestOf(int serviceNameChars) {
    return HealthCheckRequest.newBuilder().setService("x".repeat(serviceNameChars)).build();
  }

  @Test
  void healthCheck_overTheControlLimit_isResourceExhausted() {
    start(4096);

    assertThatThrownBy(() -> health().check(healthRequestOf(5000)))
        .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
          assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
          assertThat(e.getStatus().getDescription()).isEqualTo("request message larger than 4096 bytes for this method");
        });
  }

  @Test
  void healthCheck_underTheControlLimit_isAnswered() {
    start(4096);

    assertThatThrownBy(() -> health().check(healthRequestOf(4000)))
        .isInstanceOfSatisfying(StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND));
    assertThat(health().check(HealthCheckRequest.getDefaultInstance()).getStatus()).isEqualTo(ServingStatus.SERVING);
  }

  @Test
  void recognize_takesMessagesFarOverTheControlLimit() {
    start(4096);
    RecognizeRequest big = RecognizeRequest.newBuilder()
        .setImage(Image.newBuilder().setRaw(RawImage.newBuilder().setWidth(9)
            .setData(ByteString.copyFrom(new byte[8 * 1024 * 1024]))))
        .build();

    assertThat(OcrServiceGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS)
        .recognize(big).getImageWidth()).isEqualTo(9);
  }

  @Test
  void compressedHealthCheck_isRefusedBeforeItIsRead() {
    start(4096);

    assertThatThrownBy(() -> health().withCompression("gzip").check(HealthCheckRequest.getDefaultInstance()))
        .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
          assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNIMPLEMENTED);
          assertThat(e.getStatus().getDescription()).isEqualTo("compressed requests are not accepted by this method");
        });
  }

  @Test
  void compressedRecognize_isAccepted() {
    start(4096);

    assertThat(OcrServiceGrpc.newBlockingStub(channel).withCompression("gzip").withDeadlineAfter(30, TimeUnit.SECONDS)
        .recognize(OcrgateServerTest.slowRequest(0f, 5)).getImageWidth()).isEqualTo(5);
  }

  @Test
  void builder_withANonPositiveLimit_failsNamingTheKey() {
    OcrgateConfig config = new OcrgateConfig();
    config.server.port = 0;
    config.server.max_concurrent_calls_per_connection = 0;
    TestTls.certs().applyTo(config.tls);

    assertThatThrownBy(() -> OcrgateServer.builder(config))
        .isInstanceOf(ConfigException.class)
        .hasMessage("server.max_concurrent_calls_per_connection must be > 0, was 0");
  }
}
