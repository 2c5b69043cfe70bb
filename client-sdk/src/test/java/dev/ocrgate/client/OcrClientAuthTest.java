package dev.ocrgate.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ocrgate.api.v1.RecognizeResponse;
import dev.ocrgate.client.testing.EchoOcrService;
import dev.ocrgate.client.testing.TestAuthService;
import dev.ocrgate.client.testing.TestBearerInterceptor;
import dev.ocrgate.client.testing.TestServers;
import dev.ocrgate.client.testing.TokenAuthority;
import dev.ocrgate.server.OcrgateServer;
import dev.ocrgate.server.config.OcrgateConfig;
import dev.ocrgate.server.testing.MutableClock;
import dev.ocrgate.server.testing.TestTls;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Token attachment, the one auth retry, and transport security, over a real TLS server. */
class OcrClientAuthTest {
  private final TokenAuthority authority = new TokenAuthority(Clock.systemUTC());
  private final TestBearerInterceptor interceptor = new TestBearerInterceptor(authority);
  private final EchoOcrService ocr = new EchoOcrService();
  private OcrgateServer server;
  private OcrClient client;

  @AfterEach
  void stop() {
    if (client != null) {
      client.close();
    }
    if (server != null) {
      server.shutdownGracefully();
    }
  }

  private OcrClient.Builder tlsClient(TokenSource tokens) {
    server = TestServers.tls(0, interceptor, ocr);
    return OcrClient.builder()
        .target("127.0.0.1:" + server.port())
        .trustedCertificates(TestTls.certs().caCert())
        .tokenSource(tokens);
  }

  @Test
  void verify_recognize_overTls_sendsTheBearerToken() {
    String token = authority.mint(Duration.ofHours(1));
    client = tlsClient(TokenSources.staticToken(token)).build();

    RecognizeResponse r = client.recognize(new byte[] {1, 2, 3});

    assertThat(r.getLines(0).getText()).isEqualTo("echo:3");
    assertThat(interceptor.presented).containsExactly(token);
  }

  @Test
  void verify_recognize_bufferedImage_isSentAsRawPixels() {
    client = tlsClient(TokenSources.staticToken(authority.mint(Duration.ofHours(1)))).build();
    BufferedImage img = new BufferedImage(7, 5, BufferedImage.TYPE_INT_RGB);

    RecognizeResponse r = client.recognize(img);

    assertThat(r.getLines(0).getText()).isEqualTo("echo:" + 7 * 5 * 3);
    assertThat(r.getImageWidth()).isEqualTo(7);
  }

  @Test
  void verify_unauthenticated_isRetriedOnce_withAFreshToken() {
    AtomicInteger fetches = new AtomicInteger();
    TokenSource rotating = () -> {
      fetches.incrementAndGet();
      return AccessToken.of(authority.mint(Duration.ofHours(1)), null);
    };
    client = tlsClient(rotating).build();
    client.recognize(new byte[] {1});
    authority.revoke(interceptor.presented.get(0)); // server-side revocation of the cached token

    RecognizeResponse r = client.recognize(new byte[] {1});

    assertThat(r.getLines(0).getText()).isEqualTo("echo:1");
    assertThat(fetches).hasValue(2);
    assertThat(interceptor.presented).hasSize(3);
    assertThat(interceptor.presented.get(1)).isEqualTo(interceptor.presented.get(0));
    assertThat(interceptor.presented.get(2)).isNotEqualTo(interceptor.presented.get(1));
  }

  @Test
  void verify_unauthenticatedTwice_givesUpAfterOneRetry_withTheServerStatus() {
    TokenSource alwaysRevoked = () -> {
      String t = authority.mint(Duration.ofHours(1));
      authority.revoke(t);
      return AccessToken.of(t, null);
    };
    client = tlsClient(alwaysRevoked).build();

    assertThatThrownBy(() -> client.recognize(new byte[] {1}))
        .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
          assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
          assertThat(e.getStatus().getDescription()).isEqualTo("invalid token");
        });
    assertThat(interceptor.presented).hasSize(2);
    assertThat(ocr.recognizeCalls).hasValue(0);
  }

  @Test
  void verify_permissionDenied_isNeverRetried() {
    String token = authority.mint(Duration.ofHours(1));
    authority.denyScope(token);
    client = tlsClient(TokenSources.staticToken(token)).build();

    assertThatThrownBy(() -> client.recognize(new byte[] {1}))
        .isInstanceOfSatisfying(StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED));
    assertThat(interceptor.presented).hasSize(1);
  }

  @Test
  void verify_tokenSourceFailure_isUnauthenticated_withoutSendingTheCall() {
    client = tlsClient(() -> {
      throw new IOException("issuer unreachable");
    }).build();

    assertThatThrownBy(() -> client.recognize(new byte[] {1}))
        .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
          assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
          assertThat(e.getStatus().getDescription()).isEqualTo(BearerCallCredentials.NO_TOKEN);
        });
    assertThat(interceptor.presented).isEmpty();
  }

  @Test
  void verify_plaintextChannel_refusesToAttachAToken() {
    server = TestServers.plaintext(interceptor, ocr);
    client = OcrClient.builder()
        .target("127.0.0.1:" + server.port())
        .usePlaintext()
        .tokenSource(TokenSources.staticToken(authority.mint(Duration.ofHours(1))))
        .build();

    assertThatThrownBy(() -> client.recognize(new byte[] {1}))
        .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
          assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
          assertThat(e.getStatus().getDescription()).contains("without TLS");
        });
    assertThat(interceptor.presented).as("nothing reached the server").isEmpty();
  }

  @Test
  void verify_plaintextChannel_sendsTheToken_whenInsecureTransportIsAllowed() {
    server = TestServers.plaintext(interceptor, ocr);
    String token = authority.mint(Duration.ofHours(1));
    client = OcrClient.builder()
        .target("127.0.0.1:" + server.port())
        .usePlaintext()
        .allowInsecureTokenTransport()
        .tokenSource(TokenSources.staticToken(token))
        .build();

    assertThat(client.recognize(new byte[] {1}).getLines(0).getText()).isEqualTo("echo:1");
    assertThat(interceptor.presented).containsExactly(token);
  }

  /**
   * The token's life passes on a clock the test moves (shared by the test authority, which the
   * server's interceptor asks, and the client's token cache): no waiting for a real 3 s token.
   */
  @Test
  void verify_clientCredentials_issuesThenRefreshes_againstAuthService() {
    MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    TokenAuthority clocked = new TokenAuthority(clock);
    TestBearerInterceptor checker = new TestBearerInterceptor(clocked);
    TestAuthService auth = new TestAuthService(clocked, Duration.ofSeconds(3));
    server = TestServers.tls(0, checker, ocr, auth);
    client = OcrClient.builder()
        .target("127.0.0.1:" + server.port())
        .trustedCertificates(TestTls.certs().caCert())
        .tokenSource(TokenSources.clientCredentials(TestAuthService.CLIENT_ID, TestAuthService.CLIENT_SECRET, "ocr:recognize"))
        .clock(clock)
        .build();

    client.recognize(new byte[] {1});
    clock.advance(Duration.ofSeconds(3)); // the 3 s token's life is over: the next call needs a new one
    client.recognize(new byte[] {1});

    assertThat(auth.issued).hasValue(1);
    assertThat(auth.refreshed).as("one refresh, at expiry").hasValue(1);
    assertThat(checker.rejectionsWith(Status.Code.UNAUTHENTICATED)).isZero();
    assertThat(checker.presented).hasSize(2).doesNotHaveDuplicates();
  }

  @Test
  void verify_wrongClientSecret_isUnauthenticated_andNeverLeaksTheSecret() {
    TestAuthService auth = new TestAuthService(authority, Duration.ofMinutes(5));
    server = TestServers.tls(0, interceptor, ocr, auth);
    client = OcrClient.builder()
        .target("127.0.0.1:" + server.port())
        .trustedCertificates(TestTls.certs().caCert())
        .tokenSource(TokenSources.clientCredentials(TestAuthService.CLIENT_ID, "wrong-secret-value"))
        .build();

    assertThatThrownBy(() -> client.recognize(new byte[] {1}))
        .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
          assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
          assertThat(String.valueOf(e.getStatus().getCause())).contains("IssueToken failed").doesNotContain("wrong-secret-value");
        });
  }

  @Test
  void verify_mtls_clientCertificate_isAccepted() {
    var config = new OcrgateConfig();
    config.server.port = 0;
    TestTls.certs().applyTo(config.tls);
    config.tls.client_auth = "require";
    server = OcrgateServer.builder(config).addInterceptor(interceptor).addService(ocr).build().start();
    client = OcrClient.builder()
        .target("127.0.0.1:" + server.port())
        .trustedCertificates(TestTls.certs().caCert())
        .clientCertificate(TestTls.certs().clientCert(), TestTls.certs().clientKey())
        .tokenSource(TokenSources.staticToken(authority.mint(Duration.ofHours(1))))
        .build();

    assertThat(client.recognize(new byte[] {9}).getLines(0).getText()).isEqualTo("echo:1");
  }
}
