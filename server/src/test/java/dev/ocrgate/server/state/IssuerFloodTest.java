package dev.ocrgate.server.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.rpc.RetryInfo;
import dev.ocrgate.api.v1.AuthServiceGrpc;
import dev.ocrgate.api.v1.IssueTokenRequest;
import dev.ocrgate.api.v1.TokenResponse;
import dev.ocrgate.server.OcrgateServer;
import dev.ocrgate.server.ServerAssembly;
import dev.ocrgate.server.auth.issuer.SecretHash;
import dev.ocrgate.server.config.OcrgateConfig;
import dev.ocrgate.server.redis.RedisLink;
import dev.ocrgate.server.testing.RedisServerExtension;
import dev.ocrgate.server.testing.RepoPaths;
import dev.ocrgate.server.testing.TestTls;
import io.grpc.Attributes;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.protobuf.StatusProto;
import io.grpc.stub.StreamObserver;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * An attacker at 127.0.0.1 sends 1,000 IssueToken requests with random client ids to the
 * production-assembled server (real TLS, per-peer budget in a real Redis): it is refused with
 * RESOURCE_EXHAUSTED and RetryInfo once its budget is spent, the PBKDF2 work it caused is bounded
 * by that budget (counted by {@link SecretHash#derivations}, not by CPU time), and a real client
 * connecting from another loopback address, 127.0.0.2, still gets its token. A second replica on
 * the same Redis refuses the flooding address too (the budget is shared, not per replica).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class IssuerFloodTest {
  @RegisterExtension static final RedisServerExtension REDIS = new RedisServerExtension();
  private static final String SECRET = "app-secret-" + UUID.randomUUID();
  private static final int BURST = 20;
  private static final int REQUESTS = 1_000;
  private static final int IN_FLIGHT = 32;

  @TempDir static Path dir;
  private OcrgateServer server;
  private OcrgateServer replica;

  @BeforeAll
  void start() throws Exception {
    Path clients = dir.resolve("clients.yaml");
    Files.writeString(clients, "clients:\n  - id: scanner\n    secret_hash: '"
        + SecretHash.hash(SECRET.toCharArray(), SecretHash.MIN_ITERATIONS).encode() + "'\n"
        + "    tenant: acme\n    scopes: [ocr:recognize]\n");
    OcrgateConfig c = new OcrgateConfig();
    c.server.port = 0;
    c.server.drain_timeout_seconds = 1;
    c.metrics.enabled = false;
    c.models = List.of(RepoPaths.modelDir().toString());
    TestTls.certs().applyTo(c.tls);
    c.redis.url = REDIS.server().url();
    c.redis.timeout_ms = 2000;
    c.issuer.enabled = true;
    c.issuer.clients_file = clients.toString();
    c.issuer.keys_dir = dir.resolve("keys").toString();
    c.issuer.max_failed_attempts = 5;
    c.issuer.peer_burst = BURST;
    c.issuer.peer_calls_per_minute = 0.001; // no refill worth counting during the test
    server = ServerAssembly.assemble(c).start();
    replica = ServerAssembly.assemble(c).start();
  }

  @AfterAll
  void stop() throws Exception {
    server.shutdownGracefully();
    replica.shutdownGracefully();
  }

  @Test
  void thousandRandomClientIdsFromOnePeer_areCutOffAfterItsBudget_andAnotherPeerIsServed() throws Exception {
    ManagedChannel attacker = channelFrom("127.0.0.1", server);
    ManagedChannel other = channelFrom("127.0.0.2", server);
    ManagedChannel attackerOnReplica = channelFrom("127.0.0.1", replica);
    try {
      long hashesBefore = SecretHash.derivations();
      Map<Status.Code, AtomicInteger> codes = flood(attacker);
      long hashes = SecretHash.derivations() - hashesBefore;

      assertThat(codes.keySet()).containsOnly(Status.Code.UNAUTHENTICATED, Status.Code.RESOURCE_EXHAUSTED);
      assertThat(codes.get(Status.Code.UNAUTHENTICATED).get()).isPositive().isLessThanOrEqualTo(BURST);
      assertThat(codes.get(Status.Code.RESOURCE_EXHAUSTED).get()).isGreaterThanOrEqualTo(REQUESTS - BURST);
      assertThat(hashes).as("PBKDF2 computations caused by the flood").isPositive().isLessThanOrEqualTo(BURST);

      // the real client is refused too while it shares the flooded address ...
      assertThatThrownBy(() -> issue(attacker, "scanner", SECRET))
          .isInstanceOfSatisfying(StatusRuntimeException.class, e -> assertRetryable(e));
      // ... on either replica, since the budget lives in Redis ...
      assertThatThrownBy(() -> issue(attackerOnReplica, "scanner", SECRET))
          .isInstanceOfSatisfying(StatusRuntimeException.class, e -> assertRetryable(e));
      // ... and served from its own address
      TokenResponse t = issue(other, "scanner", SECRET);
      assertThat(t.getAccessToken()).isNotEmpty();
      assertThat(t.getRefreshToken()).as("no refresh token for client credentials by default").isEmpty();
      assertPeerBudgetsInRedis_withTtls();
    } finally {
      attacker.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
      other.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
      attackerOnReplica.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
  }

  /** The budgets are in Redis under their own prefix (never a subject's rl: bucket); no key lacks a TTL. */
  private static void assertPeerBudgetsInRedis_withTtls() {
    try (RedisLink link = RedisLink.create(REDIS.server().url(), Duration.ofSeconds(2))) {
      assertThat(link.sync().keys("issuerpeer:*"))
          .containsExactlyInAnyOrder("issuerpeer:{s:ip4%3A127.0.0.1}", "issuerpeer:{s:ip4%3A127.0.0.2}");
      for (String key : link.sync().keys("*")) {
        assertThat(link.sync().pttl(key)).as("TTL of %s", key).isPositive();
      }
    }
  }

  /** Sends the requests, at most {@link #IN_FLIGHT} at a time, and counts the status codes. */
  private Map<Status.Code, AtomicInteger> flood(ManagedChannel ch) throws InterruptedException {
    Map<Status.Code, AtomicInteger> codes = new ConcurrentHashMap<>();
    List<StatusRuntimeException> withoutRetryInfo = new CopyOnWriteArrayList<>();
    Semaphore inFlight = new Semaphore(IN_FLIGHT);
    CountDownLatch done = new CountDownLatch(REQUESTS);
    AuthServiceGrpc.AuthServiceStub stub = AuthServiceGrpc.newStub(ch);
    for (int i = 0; i < REQUESTS; i++) {
      inFlight.acquire();
      IssueTokenRequest req = IssueTokenRequest.newBuilder()
          .setClientId("random-" + UUID.randomUUID()).setClientSecret("guess-" + i).build();
      stub.withDeadlineAfter(120, TimeUnit.SECONDS).issueToken(req, new StreamObserver<>() {
        @Override
        public void onNext(TokenResponse value) {}

        @Override
        public void onError(Throwable t) {
          Status s = Status.fromThrowable(t);
          codes.computeIfAbsent(s.getCode(), k -> new AtomicInteger()).incrementAndGet();
          if (s.getCode() == Status.Code.RESOURCE_EXHAUSTED && StatusProto.fromThrowable(t) == null) {
            withoutRetryInfo.add((StatusRuntimeException) t);
          }
          inFlight.release();
          done.countDown();
        }

        @Override
        public void onCompleted() {
          codes.computeIfAbsent(Status.Code.OK, k -> new AtomicInteger()).incrementAndGet();
          inFlight.release();
          done.countDown();
        }
      });
    }
    assertThat(done.await(300, TimeUnit.SECONDS)).as("all requests answered").isTrue();
    assertThat(withoutRetryInfo).as("RESOURCE_EXHAUSTED answers without RetryInfo").isEmpty();
    return codes;
  }

  private static void assertRetryable(StatusRuntimeException e) {
    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
    com.google.rpc.Status detail = StatusProto.fromThrowable(e);
    assertThat(detail).isNotNull();
    assertThat(detail.getDetailsList()).anySatisfy(any -> assertThat(any.is(RetryInfo.class)).isTrue());
  }

  /** A TLS channel to {@code to} whose connections leave from {@code localAddress}. */
  private static ManagedChannel channelFrom(String localAddress, OcrgateServer to) {
    return NettyChannelBuilder.forAddress(new InetSocketAddress("127.0.0.1", to.port()), TestTls.clientCredentials())
        .overrideAuthority("localhost")
        .localSocketPicker(new NettyChannelBuilder.LocalSocketPicker() {
          @Override
          public SocketAddress createSocketAddress(SocketAddress remote, Attributes attrs) {
            return new InetSocketAddress(localAddress, 0);
          }
        })
        .build();
  }

  private static TokenResponse issue(ManagedChannel ch, String client, String secret) {
    return AuthServiceGrpc.newBlockingStub(ch).withDeadlineAfter(60, TimeUnit.SECONDS)
        .issueToken(IssueTokenRequest.newBuilder().setClientId(client).setClientSecret(secret).build());
  }
}
