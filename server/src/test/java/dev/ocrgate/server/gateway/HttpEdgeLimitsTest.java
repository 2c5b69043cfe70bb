package dev.ocrgate.server.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.ocrgate.api.v1.OcrServiceGrpc;
import dev.ocrgate.api.v1.RecognizeRequest;
import dev.ocrgate.api.v1.RecognizeResponse;
import dev.ocrgate.server.OcrgateServer;
import dev.ocrgate.server.config.HttpSection;
import dev.ocrgate.server.config.OcrgateConfig;
import dev.ocrgate.server.testing.RawHttps;
import dev.ocrgate.server.testing.TestTls;
import io.grpc.Context;
import io.grpc.Grpc;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.StreamObserver;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import javax.net.ssl.SSLSocket;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The HTTP port's own limits (what a peer can make the server hold before its request reaches
 * the interceptors) and its forwarding, on a real TLS server per test with a service that holds
 * calls until the test answers them. Authentication is off here: the policy itself is tested by
 * the attack table over HTTP (AuthAttackTableTest) and HttpRecognizeEndToEndTest.
 */
class HttpEdgeLimitsTest {
  private OcrgateServer server;
  private final HeldOcrService service = new HeldOcrService();
  private final BlockingQueue<SocketAddress> peers = new LinkedBlockingQueue<>();

  private int start(Consumer<HttpSection> limits) {
    return start(limits, tls -> { });
  }

  private int start(Consumer<HttpSection> limits, Consumer<OcrgateConfig.TlsSection> tlsSettings) {
    OcrgateConfig config = new OcrgateConfig();
    config.server.port = 0;
    config.metrics.enabled = false;
    config.auth.enabled = false;
    config.http.enabled = true;
    config.http.port = 0;
    TestTls.certs().applyTo(config.tls);
    tlsSettings.accept(config.tls);
    limits.accept(config.http);
    server = OcrgateServer.builder(config).addService(service).addInterceptor(new ServerInterceptor() {
      @Override
      public <ReqT, RespT> ServerCall.Listener<ReqT> interceptCall(ServerCall<ReqT, RespT> call, Metadata headers,
          ServerCallHandler<ReqT, RespT> next) {
        peers.add(call.getAttributes().get(Grpc.TRANSPORT_ATTR_REMOTE_ADDR));
        return next.startCall(call, headers);
      }
    }).build().start();
    return server.httpPort();
  }

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
  }

  private static byte[] head(String extraHeaders, int contentLength) {
    return ("POST /v1/recognize HTTP/1.1\r\nHost: localhost\r\nContent-Type: image/png\r\n" + extraHeaders
        + "Content-Length: " + contentLength + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
  }

  @Test
  void partialHead_connectionIsClosedAfterTheReadTimeout() throws Exception {
    int port = start(h -> h.read_timeout_seconds = 1);
    try (SSLSocket s = RawHttps.connect(port)) {
      s.getOutputStream().write("POST /v1/recognize HTTP/1.1\r\nHost: local".getBytes(StandardCharsets.US_ASCII));
      s.getOutputStream().flush();
      assertThat(readToEnd(s.getInputStream())).as("closed without an answer: no request had started").isEmpty();
    }
    assertThat(service.entered).isEmpty();
  }

  @Test
  void partialBody_is408_andTheConnectionIsClosed() throws Exception {
    int port = start(h -> h.read_timeout_seconds = 1);
    try (SSLSocket s = RawHttps.connect(port)) {
      OutputStream out = s.getOutputStream();
      out.write(head("", 100));
      out.write(new byte[10]);
      out.flush();
      RawHttps.Response r = RawHttps.read(s.getInputStream());
      assertThat(r.status()).isEqualTo(408);
      assertThat(r.json().path("status").asText()).isEqualTo("DEADLINE_EXCEEDED");
      assertThat(s.getInputStream().read()).isEqualTo(-1);
    }
    assertThat(service.entered).isEmpty();
  }

  @Test
  void idleConnection_isClosedAfterTheReadTimeout() throws Exception {
    int port = start(h -> h.read_timeout_seconds = 1);
    try (SSLSocket s = RawHttps.connect(port)) {
      assertThat(s.getInputStream().read()).isEqualTo(-1);
    }
  }

  @Test
  void connectionsBeyondTheLimit_areClosedAtAccept() throws Exception {
    int port = start(h -> h.max_connections = 2);
    List<SSLSocket> open = new ArrayList<>();
    try {
      open.add(RawHttps.connect(port));
      open.add(RawHttps.connect(port));
      Throwable third = catchThrowable(() -> {
        try (SSLSocket s = RawHttps.connect(port)) {
          s.getOutputStream().write(head("", 0));
          s.getOutputStream().flush();
          if (s.getInputStream().read() == -1) {
            throw new EOFException("closed");
          }
        }
      });
      assertThat(third).as("the third connection is refused").isNotNull();
      open.remove(0).close();
      Awaitility.await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> {
        RawHttps.Response r = RawHttps.send(port, "GET", "/nothing", List.of(), null);
        return r.status() == 404;
      });
    } finally {
      for (SSLSocket s : open) {
        s.close();
      }
    }
  }

  @Test
  void headersOverTheLimit_are431() throws Exception {
    int port = start(h -> h.max_header_bytes = 2048);
    RawHttps.Response r = RawHttps.send(port, "POST", "/v1/recognize",
        List.<String[]>of(new String[] {"X-Padding", "p".repeat(4096)}), new byte[1]);
    assertThat(r.status()).isEqualTo(431);
    assertThat(r.json().path("message").asText()).isEqualTo("request headers larger than the limit");
    assertThat(service.entered).isEmpty();
  }

  @Test
  void requestsBeyondTheConcurrencyLimit_are503WithRetryAfter_beforeTheirBodyIsRead() throws Exception {
    int port = start(h -> h.max_concurrent_requests = 1);
    CompletableFuture<RawHttps.Response> first = CompletableFuture.supplyAsync(() -> post(port));
    StreamObserver<RecognizeResponse> held = service.entered.poll(30, TimeUnit.SECONDS);
    assertThat(held).as("first call reached the service").isNotNull();

    RawHttps.Response second = post(port);
    assertThat(second.status()).isEqualTo(503);
    assertThat(second.header("retry-after")).isEqualTo("1");
    assertThat(second.json().path("status").asText()).isEqualTo("UNAVAILABLE");

    held.onNext(RecognizeResponse.newBuilder().setModel("held").build());
    held.onCompleted();
    assertThat(first.get(30, TimeUnit.SECONDS).json().path("model").asText()).isEqualTo("held");
    StreamObserver<RecognizeResponse> third = null;
    CompletableFuture<RawHttps.Response> after = CompletableFuture.supplyAsync(() -> post(port));
    third = service.entered.poll(30, TimeUnit.SECONDS);
    assertThat(third).as("the permit came back").isNotNull();
    third.onNext(RecognizeResponse.getDefaultInstance());
    third.onCompleted();
    assertThat(after.get(30, TimeUnit.SECONDS).status()).isEqualTo(200);
  }

  @Test
  void forwardedCallPastItsDeadline_is504() throws Exception {
    int port = start(h -> h.request_timeout_seconds = 1);
    RawHttps.Response r = post(port); // the service never answers
    assertThat(r.status()).isEqualTo(504);
    assertThat(r.json().path("status").asText()).isEqualTo("DEADLINE_EXCEEDED");
  }

  @Test
  void clientClosingTheConnection_cancelsTheForwardedCall() throws Exception {
    int port = start(h -> { });
    try (SSLSocket s = RawHttps.connect(port)) {
      s.getOutputStream().write(head("", 3));
      s.getOutputStream().write(new byte[] {1, 2, 3});
      s.getOutputStream().flush();
      assertThat(service.entered.poll(30, TimeUnit.SECONDS)).isNotNull();
    }
    assertThat(service.cancelled.await(30, TimeUnit.SECONDS)).as("the call's context was cancelled").isTrue();
  }

  @Test
  void theCallSeesTheSocketsPeerAddress_neverAClientSentOne() throws Exception {
    int port = start(h -> { });
    try (SSLSocket s = RawHttps.connect(port)) {
      s.getOutputStream().write(head("ocrgate-http-peer: 10.9.8.7|1\r\nX-Forwarded-For: 10.9.8.7\r\n", 1));
      s.getOutputStream().write(0);
      s.getOutputStream().flush();
      StreamObserver<RecognizeResponse> held = service.entered.poll(30, TimeUnit.SECONDS);
      held.onNext(RecognizeResponse.getDefaultInstance());
      held.onCompleted();
      assertThat(RawHttps.read(s.getInputStream()).status()).isEqualTo(200);
      assertThat(peers.poll(30, TimeUnit.SECONDS)).isEqualTo(s.getLocalSocketAddress());
    }
    // On the gRPC port the entry is an ordinary header: the remote address stays the socket's.
    ManagedChannel ch = Grpc.newChannelBuilderForAddress("localhost", server.port(), TestTls.clientCredentials()).build();
    try {
      Metadata md = new Metadata();
      md.put(ForwardedPeer.KEY, "10.9.8.7|1");
      CompletableFuture<RecognizeResponse> call = CompletableFuture.supplyAsync(() -> OcrServiceGrpc.newBlockingStub(ch)
          .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(md)).withDeadlineAfter(30, TimeUnit.SECONDS)
          .recognize(RecognizeRequest.getDefaultInstance()));
      StreamObserver<RecognizeResponse> held = service.entered.poll(30, TimeUnit.SECONDS);
      held.onNext(RecognizeResponse.getDefaultInstance());
      held.onCompleted();
      call.get(30, TimeUnit.SECONDS);
      SocketAddress seen = peers.poll(30, TimeUnit.SECONDS);
      assertThat(((InetSocketAddress) seen).getAddress().isLoopbackAddress()).isTrue();
    } finally {
      ch.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
  }

  @Test
  void shutdown_letsTheHttpCallInFlightFinish_andStopsAccepting() throws Exception {
    int port = start(h -> { });
    CompletableFuture<RawHttps.Response> inFlight = CompletableFuture.supplyAsync(() -> post(port));
    StreamObserver<RecognizeResponse> held = service.entered.poll(30, TimeUnit.SECONDS);
    assertThat(held).isNotNull();
    CompletableFuture<Boolean> drained = CompletableFuture.supplyAsync(server::shutdownGracefully);
    Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> catchThrowable(() -> RawHttps.connect(port)) != null);
    assertThat(drained).isNotDone();
    held.onNext(RecognizeResponse.newBuilder().setModel("drained").build());
    held.onCompleted();
    assertThat(inFlight.get(30, TimeUnit.SECONDS).json().path("model").asText()).isEqualTo("drained");
    assertThat(drained.get(30, TimeUnit.SECONDS)).as("drained within the drain time").isTrue();
  }

  @Test
  void clientCertificatesRequired_onTheGrpcPort_areRequiredOnTheHttpPortToo() throws Exception {
    int port = start(h -> { }, tls -> tls.client_auth = "require");
    Throwable without = catchThrowable(() -> {
      try (SSLSocket s = RawHttps.connect(port)) {
        RawHttps.write(s.getOutputStream(), "GET", "/nothing", List.of(), null);
        RawHttps.read(s.getInputStream());
      }
    });
    assertThat(without).as("no client certificate: the handshake fails").isNotNull();
    try (SSLSocket s = RawHttps.connect(RawHttps.mtls(), port)) {
      RawHttps.write(s.getOutputStream(), "GET", "/nothing", List.of(), null);
      assertThat(RawHttps.read(s.getInputStream()).status()).isEqualTo(404);
    }
  }

  private static RawHttps.Response post(int port) {
    try {
      return RawHttps.post(port, "/v1/recognize", "image/png", null, new byte[] {1, 2, 3});
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static byte[] readToEnd(InputStream in) throws IOException {
    return in.readAllBytes();
  }

  /** Recognize calls wait in {@link #entered} until the test answers them; cancellations are counted. */
  static final class HeldOcrService extends OcrServiceGrpc.OcrServiceImplBase {
    final BlockingQueue<StreamObserver<RecognizeResponse>> entered = new LinkedBlockingQueue<>();
    final CountDownLatch cancelled = new CountDownLatch(1);

    @Override
    public void recognize(RecognizeRequest request, StreamObserver<RecognizeResponse> response) {
      Context.current().addListener(c -> cancelled.countDown(), Runnable::run);
      entered.add(response);
    }
  }
}
