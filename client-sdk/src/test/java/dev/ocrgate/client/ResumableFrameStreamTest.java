package dev.ocrgate.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import dev.ocrgate.api.v1.Frame;
import dev.ocrgate.api.v1.FrameResult;
import dev.ocrgate.api.v1.Image;
import dev.ocrgate.api.v1.PixelFormat;
import dev.ocrgate.api.v1.RawImage;
import dev.ocrgate.api.v1.StreamConfig;
import dev.ocrgate.client.testing.EchoOcrService;
import dev.ocrgate.client.testing.TestBearerInterceptor;
import dev.ocrgate.client.testing.TestServers;
import dev.ocrgate.client.testing.TokenAuthority;
import dev.ocrgate.server.OcrgateServer;
import dev.ocrgate.server.testing.MutableClock;
import dev.ocrgate.server.testing.TestTls;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Resumable frame streams over a real TLS server: token expiry mid-stream, a server restart on the
 * same port, duplicated results, permanent failures, and the send window.
 *
 * <p>Token lifetimes run on {@link #clock}, shared by the test authority (which the server's
 * interceptor asks) and the client's token cache: a token expires when a test moves the clock,
 * never while a test waits. {@code RealJwtAuthStreamTest} covers real expiry with a real TTL.
 */
class ResumableFrameStreamTest {
  private static final Duration SHORT_TOKEN = Duration.ofSeconds(3);

  private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
  private final TokenAuthority authority = new TokenAuthority(clock);
  private final TestBearerInterceptor interceptor = new TestBearerInterceptor(authority);
  private final EchoOcrService ocr = new EchoOcrService();
  private final List<AutoCloseable> toClose = new ArrayList<>();

  @AfterEach
  void stop() throws Exception {
    for (int i = toClose.size() - 1; i >= 0; i--) {
      toClose.get(i).close();
    }
  }

  private OcrgateServer server(int port) {
    OcrgateServer s = TestServers.tls(port, interceptor, ocr);
    toClose.add(s);
    return s;
  }

  private OcrClient client(int port, TokenSource tokens, int window) {
    OcrClient c = OcrClient.builder()
        .target("127.0.0.1:" + port)
        .trustedCertificates(TestTls.certs().caCert())
        .tokenSource(tokens)
        .streamWindow(window)
        .streamRetries(10, Duration.ofMillis(100), Duration.ofSeconds(2))
        .clock(clock)
        .build();
    toClose.add(c);
    return c;
  }

  /** Tokens of {@link #SHORT_TOKEN} lifetime minted by the test authority. */
  private TokenSource shortLivedTokens() {
    return () -> AccessToken.of(authority.mint(SHORT_TOKEN), authority.clock().instant().plus(SHORT_TOKEN));
  }

  private static Frame frame(long seq) {
    byte[] px = new byte[64 * 16 * 3];
    px[(int) (seq % px.length)] = (byte) seq;
    return Frame.newBuilder()
        .setSeq(seq)
        .setPtsMs(seq * 40)
        .setImage(Image.newBuilder().setRaw(RawImage.newBuilder()
            .setWidth(64).setHeight(16).setFormat(PixelFormat.PIXEL_FORMAT_RGB8)
            .setData(ByteString.copyFrom(px))))
        .build();
  }

  /** Collects results; completes {@link #done} with null on success or the error. */
  private static final class Collector implements FrameListener {
    final List<Long> seqs = new CopyOnWriteArrayList<>();
    final CompletableFuture<StatusRuntimeException> done = new CompletableFuture<>();

    @Override
    public void onResult(FrameResult result) {
      seqs.add(result.getSeq());
    }

    @Override
    public void onCompleted() {
      done.complete(null);
    }

    @Override
    public void onError(StatusRuntimeException error) {
      done.complete(error);
    }
  }

  private static void assertExactlyOnceInOrder(List<Long> seqs, int frames) {
    assertThat(seqs).hasSize(frames).doesNotHaveDuplicates().isSorted();
    assertThat(seqs.get(0)).isZero();
    assertThat(seqs.get(frames - 1)).isEqualTo(frames - 1L);
  }

  /**
   * 3 s tokens over 20 token lifetimes (600 frames, 30 per lifetime): each time the clock passes
   * the stream's token's expiry, the server closes the stream UNAUTHENTICATED at its next frame,
   * the SDK resumes with a fresh token, and no frame is lost or doubled. The clock moves only once
   * every frame sent so far was answered, so each lifetime's stream had its fresh token in use.
   */
  @Test
  void verify_tokensExpiringMidStream_streamResumes_noFrameLostOrDuplicated() throws Exception {
    OcrgateServer s = server(0);
    OcrClient client = client(s.port(), shortLivedTokens(), 16);
    Collector results = new Collector();
    ResumableFrameStream stream = (ResumableFrameStream) client.streamFrames(StreamConfig.getDefaultInstance(), results);

    int lifetimes = 20;
    int perLifetime = 30;
    long seq = 0;
    for (int life = 0; life < lifetimes; life++) {
      if (life > 0) {
        clock.advance(SHORT_TOKEN); // the token of the stream's current attempt has expired
      }
      for (int i = 0; i < perLifetime; i++) {
        stream.send(frame(seq++));
      }
      long last = seq - 1;
      Awaitility.await().atMost(Duration.ofSeconds(30))
          .until(() -> results.seqs.contains(last) || results.done.isDone());
    }
    stream.complete();

    int frames = lifetimes * perLifetime;
    assertThat(results.done.get(30, TimeUnit.SECONDS)).isNull();
    assertExactlyOnceInOrder(results.seqs, frames);
    assertThat(interceptor.rejectionsWith(Status.Code.UNAUTHENTICATED))
        .as("the server cut the stream at each token expiry, once").isEqualTo(lifetimes - 1);
    assertThat(stream.attempts()).isEqualTo(lifetimes);
    assertThat(ocr.framesReceived.get()).isGreaterThanOrEqualTo(frames);
  }

  @Test
  void verify_serverRestartedMidStream_samePort_streamResumes() throws Exception {
    OcrgateServer first = server(0);
    int port = first.port();
    OcrClient client = client(port, shortLivedTokens(), 8);
    Collector results = new Collector();
    FrameStream stream = client.streamFrames(StreamConfig.getDefaultInstance(), results);

    int frames = 200;
    CompletableFuture<Void> restart = new CompletableFuture<>();
    for (int i = 0; i < frames; i++) {
      if (results.done.isDone()) {
        throw new AssertionError("stream ended early: " + results.done.get());
      }
      stream.send(frame(i));
      if (i == 80) {
        CompletableFuture.runAsync(() -> {
          first.shutdownGracefully(); // drain 0 s: in-flight streams are cut
          sleep(700);
          server(port);
          restart.complete(null);
        });
      }
      sleep(20);
    }
    stream.complete();

    restart.get(30, TimeUnit.SECONDS);
    assertThat(results.done.get(60, TimeUnit.SECONDS)).isNull();
    assertExactlyOnceInOrder(results.seqs, frames);
    assertThat(ocr.streamsOpened.get()).isGreaterThanOrEqualTo(2);
  }

  @Test
  void verify_duplicatedResultsFromServer_areDeliveredOnce() throws Exception {
    ocr.duplicateEvery = 3;
    OcrgateServer s = server(0);
    OcrClient client = client(s.port(), shortLivedTokens(), 16);
    Collector results = new Collector();
    FrameStream stream = client.streamFrames(StreamConfig.getDefaultInstance(), results);

    for (int i = 0; i < 60; i++) {
      stream.send(frame(i));
    }
    stream.complete();

    assertThat(results.done.get(30, TimeUnit.SECONDS)).isNull();
    assertExactlyOnceInOrder(results.seqs, 60);
  }

  @Test
  void verify_permissionDenied_endsTheStream_withThatStatus_withoutRetry() throws Exception {
    OcrgateServer s = server(0);
    String token = authority.mint(Duration.ofHours(1));
    authority.denyScope(token);
    OcrClient client = client(s.port(), TokenSources.staticToken(token), 4);
    Collector results = new Collector();
    FrameStream stream = client.streamFrames(StreamConfig.getDefaultInstance(), results);
    sendUnlessEnded(stream, frame(0), "PERMISSION_DENIED");

    StatusRuntimeException error = results.done.get(30, TimeUnit.SECONDS);

    assertThat(error.getStatus().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
    assertThat(error.getStatus().getDescription()).isEqualTo("missing scope ocr:stream");
    assertThat(interceptor.presented).hasSize(1);
  }

  @Test
  void verify_tokenRejectedAgainAfterRefresh_endsTheStream_withUnauthenticated() throws Exception {
    OcrgateServer s = server(0);
    String token = authority.mint(Duration.ofHours(1));
    authority.revoke(token);
    OcrClient client = client(s.port(), TokenSources.staticToken(token), 4);
    Collector results = new Collector();
    ResumableFrameStream stream = (ResumableFrameStream) client.streamFrames(StreamConfig.getDefaultInstance(), results);
    sendUnlessEnded(stream, frame(0), "UNAUTHENTICATED");

    StatusRuntimeException error = results.done.get(30, TimeUnit.SECONDS);

    assertThat(error.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
    assertThat(error.getStatus().getDescription()).isEqualTo("invalid token");
    assertThat(stream.attempts()).as("one retry with a fresh token, then give up").isEqualTo(2);
  }

  @Test
  void verify_serverGoneForGood_failsAfterBoundedRetries_withUnavailable() throws Exception {
    OcrgateServer s = server(0);
    OcrClient client = OcrClient.builder()
        .target("127.0.0.1:" + s.port())
        .trustedCertificates(TestTls.certs().caCert())
        .tokenSource(shortLivedTokens())
        .streamRetries(3, Duration.ofMillis(50), Duration.ofMillis(200))
        .build();
    toClose.add(client);
    Collector results = new Collector();
    FrameStream stream = client.streamFrames(StreamConfig.getDefaultInstance(), results);
    stream.send(frame(0));
    // Frame 0 must be answered before the server goes: waiting a fixed 300 ms was not enough when
    // the first TLS handshake and stream of a loaded JVM took longer (then nothing was answered).
    Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> results.seqs.contains(0L));
    s.shutdownGracefully();
    sendUnlessEnded(stream, frame(1), "UNAVAILABLE");

    StatusRuntimeException error = results.done.get(30, TimeUnit.SECONDS);

    assertThat(error).isNotNull();
    assertThat(error.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
    assertThat(((ResumableFrameStream) stream).attempts()).isEqualTo(1 + 3);
    assertThat(results.seqs).containsExactly(0L);
  }

  @Test
  void verify_fullWindow_blocksSend_untilResultsArrive() throws Exception {
    ocr.resultPermits.drainPermits();
    OcrgateServer s = server(0);
    OcrClient client = client(s.port(), TokenSources.staticToken(authority.mint(Duration.ofHours(1))), 4);
    Collector results = new Collector();
    FrameStream stream = client.streamFrames(StreamConfig.getDefaultInstance(), results);
    for (int i = 0; i < 4; i++) {
      stream.send(frame(i));
    }

    CompletableFuture<Void> fifth = CompletableFuture.runAsync(() -> {
      try {
        stream.send(frame(4));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
    assertThatThrownBy(() -> fifth.get(500, TimeUnit.MILLISECONDS)).isInstanceOf(TimeoutException.class);

    ocr.resultPermits.release(1);
    fifth.get(10, TimeUnit.SECONDS);
    ocr.resultPermits.release(100);
    stream.complete();
    assertThat(results.done.get(30, TimeUnit.SECONDS)).isNull();
    assertExactlyOnceInOrder(results.seqs, 5);
  }

  @Test
  void verify_blockingForm_iteratesEveryResultInOrder() throws Exception {
    OcrgateServer s = server(0);
    OcrClient client = client(s.port(), shortLivedTokens(), 8);
    List<Long> seen = new ArrayList<>();
    try (BlockingFrameStream stream = client.openFrameStream(StreamConfig.getDefaultInstance())) {
      CompletableFuture<Void> producer = CompletableFuture.runAsync(() -> {
        try {
          for (int i = 0; i < 100; i++) {
            stream.send(frame(i));
          }
          stream.complete();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      });
      for (FrameResult r : stream) {
        seen.add(r.getSeq());
      }
      producer.get(10, TimeUnit.SECONDS);
    }
    assertExactlyOnceInOrder(seen, 100);
  }

  @Test
  void verify_send_rejectsNonIncreasingSeq() throws Exception {
    OcrgateServer s = server(0);
    OcrClient client = client(s.port(), shortLivedTokens(), 8);
    FrameStream stream = client.streamFrames(StreamConfig.getDefaultInstance(), new Collector());
    stream.send(frame(5));

    assertThatThrownBy(() -> stream.send(frame(5))).isInstanceOf(IllegalArgumentException.class);
    stream.cancel();
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Sends {@code f}. A stream the server has already ended may refuse it (send's documented
   * contract: IllegalStateException naming the status); when the refusal lands first depends on
   * timing, so either outcome is accepted, and the test then checks the listener's status.
   */
  private static void sendUnlessEnded(FrameStream stream, Frame f, String status) throws InterruptedException {
    try {
      stream.send(f);
    } catch (IllegalStateException e) {
      assertThat(e).hasMessageContaining(status);
    }
  }
}
