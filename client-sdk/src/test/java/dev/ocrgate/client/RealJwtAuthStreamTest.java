package dev.ocrgate.client;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.ocrgate.api.v1.Frame;
import dev.ocrgate.api.v1.FrameResult;
import dev.ocrgate.api.v1.Image;
import dev.ocrgate.api.v1.PixelFormat;
import dev.ocrgate.api.v1.RawImage;
import dev.ocrgate.api.v1.StreamConfig;
import dev.ocrgate.client.testing.EchoOcrService;
import dev.ocrgate.server.OcrgateServer;
import dev.ocrgate.server.auth.InMemoryRevocationStore;
import dev.ocrgate.server.auth.JwtAuth;
import dev.ocrgate.server.config.AuthConfig;
import dev.ocrgate.server.config.OcrgateConfig;
import dev.ocrgate.server.testing.TestTls;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Interop with the production JWT interceptor ({@link JwtAuth}, {@code stream_expiry: close}, no
 * clock skew) on real time, the one SDK test whose tokens really expire: 2 s self-signed
 * service-account tokens; the stream sends frames as fast as its window lets it until the server
 * has closed it at two token expiries (the SDK resuming each time), then ends; no frame is lost
 * or doubled. It waits for those expiries as conditions, bounded, never for a fixed time; the
 * other expiry tests move a clock instead ({@code ResumableFrameStreamTest},
 * {@code OcrClientAuthTest}).
 */
class RealJwtAuthStreamTest {
  /** Bound on the wait for two 2 s tokens to expire (generous for a loaded machine). */
  private static final Duration MAX_WAIT = Duration.ofSeconds(30);

  @TempDir Path dir;

  @Test
  void verify_realInterceptorClosesExpiredStreams_andTheSdkResumesThem() throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(new ECGenParameterSpec("secp256r1"));
    KeyPair keys = g.generateKeyPair();
    Path pub = Files.writeString(dir.resolve("k.pem"), "-----BEGIN PUBLIC KEY-----\n"
        + Base64.getMimeEncoder().encodeToString(keys.getPublic().getEncoded()) + "\n-----END PUBLIC KEY-----\n");
    AuthConfig auth = new AuthConfig();
    auth.issuers = new ArrayList<>(List.of("svc-sdk"));
    auth.pem_keys = new ArrayList<>(List.of(new AuthConfig.PemKey("sdk-key", pub.toString())));
    auth.clock_skew_seconds = 0;
    auth.audit = false;
    Clock clock = Clock.systemUTC();
    InMemoryRevocationStore revocations = InMemoryRevocationStore.create(clock);
    JwtAuth jwt = JwtAuth.fromConfig(auth, name -> null, null, revocations, clock);
    OcrgateConfig config = new OcrgateConfig();
    config.server.port = 0;
    config.server.drain_timeout_seconds = 0;
    TestTls.certs().applyTo(config.tls);
    EchoOcrService ocr = new EchoOcrService();
    OcrgateServer server = OcrgateServer.builder(config).addInterceptor(jwt.interceptor()).addService(ocr)
        .onClose(jwt).onClose(revocations).build().start();
    TokenSource tokens = TokenSources.serviceAccount(keys.getPrivate(), "sdk-key", "svc-sdk", "ocrgate",
        Duration.ofSeconds(2), "ocr:stream");
    try (OcrClient client = OcrClient.builder()
        .target("127.0.0.1:" + server.port())
        .trustedCertificates(TestTls.certs().caCert())
        .tokenSource(tokens)
        .build()) {
      List<Long> seqs = new ArrayList<>();
      CompletableFuture<Integer> producer;
      try (BlockingFrameStream stream = client.openFrameStream(StreamConfig.getDefaultInstance())) {
        producer = CompletableFuture.supplyAsync(() -> sendUntilResumedTwice(stream, ocr));
        for (FrameResult r : stream) {
          seqs.add(r.getSeq());
        }
      }
      int sent = producer.get(10, TimeUnit.SECONDS);
      assertThat(ocr.streamsOpened.get()).as("streams cut at token expiry and resumed").isGreaterThanOrEqualTo(3);
      assertThat(seqs).hasSize(sent).doesNotHaveDuplicates().isSorted();
    } finally {
      server.shutdownGracefully();
    }
  }

  /**
   * Sends frames (as fast as the stream's window allows) until the server has seen three streams,
   * i.e. closed two at their token's expiry, or {@link #MAX_WAIT} passed; completes the stream.
   * Returns how many frames were sent.
   */
  private static int sendUntilResumedTwice(BlockingFrameStream stream, EchoOcrService ocr) {
    long deadline = System.nanoTime() + MAX_WAIT.toNanos();
    int sent = 0;
    try {
      while (ocr.streamsOpened.get() < 3 && System.nanoTime() < deadline) {
        stream.send(frame(sent++));
      }
      stream.complete();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
    return sent;
  }

  private static Frame frame(long seq) {
    return Frame.newBuilder().setSeq(seq).setPtsMs(seq * 40)
        .setImage(Image.newBuilder().setRaw(RawImage.newBuilder().setWidth(16).setHeight(4)
            .setFormat(PixelFormat.PIXEL_FORMAT_RGB8).setData(ByteString.copyFrom(new byte[16 * 4 * 3]))))
        .build();
  }
}
