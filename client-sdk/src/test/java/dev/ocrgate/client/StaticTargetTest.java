package dev.ocrgate.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ocrgate.api.v1.RecognizeResponse;
import dev.ocrgate.client.testing.EchoOcrService;
import dev.ocrgate.client.testing.TestBearerInterceptor;
import dev.ocrgate.client.testing.TestServers;
import dev.ocrgate.client.testing.TokenAuthority;
import dev.ocrgate.server.OcrgateServer;
import dev.ocrgate.server.testing.TestTls;
import io.grpc.EquivalentAddressGroup;
import io.grpc.NameResolver;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.SynchronizationContext;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code static://} targets: parsing, the resolver's address groups and TLS names, and calls
 * spread over two real TLS servers with round_robin.
 */
class StaticTargetTest {
  private final TokenAuthority authority = new TokenAuthority(Clock.systemUTC());
  private final List<AutoCloseable> toClose = new ArrayList<>();

  @AfterEach
  void stop() throws Exception {
    for (int i = toClose.size() - 1; i >= 0; i--) {
      toClose.get(i).close();
    }
  }

  @Test
  void parse_listOfReplicas_withAndWithoutTlsName() {
    StaticTarget plain = StaticTarget.parse("static:///10.0.0.1:8443,ocr-b.example:9443");
    assertThat(plain.replicas()).containsExactly(
        new StaticTarget.HostPort("10.0.0.1", 8443), new StaticTarget.HostPort("ocr-b.example", 9443));
    assertThat(plain.tlsName()).isNull();
    assertThat(plain.serviceAuthority()).isEqualTo("10.0.0.1:8443");

    StaticTarget named = StaticTarget.parse("static://ocr.example.com/10.0.0.1:8443,10.0.0.2:8443");
    assertThat(named.tlsName()).isEqualTo("ocr.example.com");
    assertThat(named.serviceAuthority()).isEqualTo("ocr.example.com");
  }

  @Test
  void target_malformedStaticList_isRefusedByTheBuilder() {
    for (String bad : List.of("static:///", "static:///a:1,", "static:///a", "static:///a:0",
        "static:///a:65536", "static:///a:x", "static:///:80", "static:///[::1]:80")) {
      assertThatThrownBy(() -> OcrClient.builder().target(bad)).as(bad)
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("static");
    }
  }

  @Test
  void resolver_oneGroupPerReplica_eachWithItsOwnTlsAuthority_unlessATlsNameIsGiven() throws Exception {
    List<EquivalentAddressGroup> plain = resolve("static:///127.0.0.1:8443,localhost:9443");
    assertThat(plain).hasSize(2);
    assertThat(plain.get(0).getAttributes().get(EquivalentAddressGroup.ATTR_AUTHORITY_OVERRIDE))
        .isEqualTo("127.0.0.1:8443");
    assertThat(plain.get(1).getAttributes().get(EquivalentAddressGroup.ATTR_AUTHORITY_OVERRIDE))
        .isEqualTo("localhost:9443");
    assertThat(plain.get(1).getAddresses()).allSatisfy(a ->
        assertThat(((InetSocketAddress) a).getPort()).isEqualTo(9443));

    List<EquivalentAddressGroup> named = resolve("static://ocr.example.com/127.0.0.1:8443,127.0.0.1:9443");
    assertThat(named).hasSize(2).allSatisfy(g ->
        assertThat(g.getAttributes().get(EquivalentAddressGroup.ATTR_AUTHORITY_OVERRIDE)).isNull());
  }

  @Test
  void resolver_unknownHost_isUnavailable() throws Exception {
    CompletableFuture<Object> out = start("static:///no-such-host.invalid:8443");
    assertThat(out.get(30, TimeUnit.SECONDS)).isInstanceOfSatisfying(Status.class,
        s -> assertThat(s.getCode()).isEqualTo(Status.Code.UNAVAILABLE));
  }

  @Test
  void calls_spreadOverBothReplicas_eachVerifiedAgainstItsOwnHost() {
    EchoOcrService a = new EchoOcrService();
    EchoOcrService b = new EchoOcrService();
    int pa = server(a).port();
    int pb = server(b).port();
    OcrClient client = client("static:///127.0.0.1:" + pa + ",localhost:" + pb);

    // round_robin picks among READY subchannels: call until both are connected (bounded), then count.
    for (int i = 0; i < 200 && (a.recognizeCalls.get() == 0 || b.recognizeCalls.get() == 0); i++) {
      call(client);
    }
    assertThat(a.recognizeCalls.get()).isPositive();
    assertThat(b.recognizeCalls.get()).isPositive();
    int a0 = a.recognizeCalls.get();
    int b0 = b.recognizeCalls.get();
    for (int i = 0; i < 40; i++) {
      call(client);
    }
    assertThat(a.recognizeCalls.get() - a0).isEqualTo(20);
    assertThat(b.recognizeCalls.get() - b0).isEqualTo(20);
  }

  @Test
  void tlsName_mustMatchTheCertificate() {
    int pa = server(new EchoOcrService()).port();
    int pb = server(new EchoOcrService()).port();
    assertThat(call(client("static://localhost/127.0.0.1:" + pa + ",127.0.0.1:" + pb)).getLinesCount()).isOne();

    OcrClient wrongName = client("static://ocr.wrong.example/127.0.0.1:" + pa + ",127.0.0.1:" + pb);
    assertThatThrownBy(() -> call(wrongName)).isInstanceOfSatisfying(StatusRuntimeException.class,
        e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE));
  }

  private OcrgateServer server(EchoOcrService service) {
    OcrgateServer s = TestServers.tls(0, new TestBearerInterceptor(authority), service);
    toClose.add(s);
    return s;
  }

  private OcrClient client(String target) {
    OcrClient c = OcrClient.builder().target(target)
        .trustedCertificates(TestTls.certs().caCert())
        .tokenSource(TokenSources.staticToken(authority.mint(Duration.ofHours(1))))
        .defaultDeadline(Duration.ofSeconds(20))
        .build();
    toClose.add(c);
    return c;
  }

  private static RecognizeResponse call(OcrClient client) {
    return client.recognize(new byte[] {1, 2, 3});
  }

  @SuppressWarnings("unchecked")
  private static List<EquivalentAddressGroup> resolve(String target) throws Exception {
    Object out = start(target).get(30, TimeUnit.SECONDS);
    assertThat(out).isInstanceOf(List.class);
    return (List<EquivalentAddressGroup>) out;
  }

  /** Starts a resolver; the future gets its address groups or its error status. */
  private static CompletableFuture<Object> start(String target) throws Exception {
    SynchronizationContext sync = new SynchronizationContext((t, e) -> {
      throw new AssertionError(e);
    });
    NameResolver.Args args = NameResolver.Args.newBuilder()
        .setDefaultPort(443)
        .setProxyDetector(address -> null)
        .setSynchronizationContext(sync)
        .setServiceConfigParser(new NameResolver.ServiceConfigParser() {
          @Override
          public NameResolver.ConfigOrError parseServiceConfig(java.util.Map<String, ?> config) {
            return NameResolver.ConfigOrError.fromConfig(config);
          }
        })
        .build();
    NameResolver resolver = StaticNameResolverProvider.instance().newNameResolver(new URI(target), args);
    CompletableFuture<Object> out = new CompletableFuture<>();
    sync.execute(() -> resolver.start(new NameResolver.Listener2() {
      @Override
      public void onResult(NameResolver.ResolutionResult result) {
        out.complete(result.getAddresses());
      }

      @Override
      public void onError(Status error) {
        out.complete(error);
      }
    }));
    return out;
  }
}
