package dev.ocrgate.server.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.rpc.RetryInfo;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.proc.DefaultJOSEObjectTypeVerifier;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import dev.ocrgate.api.v1.AuthServiceGrpc;
import dev.ocrgate.api.v1.GetJwksRequest;
import dev.ocrgate.api.v1.IssueTokenRequest;
import dev.ocrgate.api.v1.RefreshTokenRequest;
import dev.ocrgate.api.v1.RevokeTokenRequest;
import dev.ocrgate.api.v1.TokenResponse;
import dev.ocrgate.server.OcrgateServer;
import dev.ocrgate.server.ServerAssembly;
import dev.ocrgate.server.auth.issuer.SecretHash;
import dev.ocrgate.server.config.OcrgateConfig;
import dev.ocrgate.server.config.RateLimitSection;
import dev.ocrgate.server.redis.RedisHealthWatcher;
import dev.ocrgate.server.testing.CapturedLogs;
import dev.ocrgate.server.testing.RedisServerExtension;
import dev.ocrgate.server.testing.RepoPaths;
import dev.ocrgate.server.testing.TestTls;
import io.grpc.CallCredentials;
import io.grpc.Grpc;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.protobuf.StatusProto;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * Two production-assembled servers (ServerAssembly: real JWT auth interceptor, issuer, rate
 * limiter) over real TLS, sharing one real redis-server and one signing-key folder.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TwoReplicasSharedStateTest {
  @RegisterExtension static final RedisServerExtension REDIS = new RedisServerExtension();

  private static final String ADMIN_SECRET = "admin-secret-" + Long.toHexString(Double.doubleToLongBits(Math.random()));
  private static final String METERED_SECRET = "metered-secret-" + Long.toHexString(Double.doubleToLongBits(Math.random()));
  private static final String APP_SECRET = "app-secret-" + Long.toHexString(Double.doubleToLongBits(Math.random()));
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final ListAppender<ILoggingEvent> LOGS = new ListAppender<>();
  private static final List<String> ISSUED = new java.util.concurrent.CopyOnWriteArrayList<>();

  @TempDir static Path dir;
  private OcrgateServer a;
  private OcrgateServer b;
  private ManagedChannel channelA;
  private ManagedChannel channelB;

  @BeforeAll
  void startReplicas() throws Exception {
    LOGS.start();
    ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).addAppender(LOGS);
    Path clients = dir.resolve("clients.yaml");
    Files.writeString(clients, "clients:\n"
        + "  - id: admin-tool\n    secret_hash: '" + hash(ADMIN_SECRET) + "'\n    tenant: ops\n"
        + "    scopes: [ocr:admin, ocr:recognize]\n"
        + "  - id: acme-admin\n    secret_hash: '" + hash(ADMIN_SECRET) + "'\n    tenant: acme\n"
        + "    scopes: [ocr:admin]\n"
        + "  - id: scanner\n    secret_hash: '" + hash(APP_SECRET) + "'\n    tenant: acme\n"
        + "    scopes: [ocr:recognize]\n"
        + "  - id: metered-admin\n    secret_hash: '" + hash(METERED_SECRET) + "'\n    tenant: metered\n"
        + "    scopes: [ocr:admin]\n"
        // only issueToken_wrongSecretScopeAndThrottle uses it: the throttle that test provokes on B
        // lasts past the test and would refuse other tests' "scanner" tokens in whatever order
        // JUnit runs them
        + "  - id: guessed\n    secret_hash: '" + hash(APP_SECRET) + "'\n    tenant: acme\n"
        + "    scopes: [ocr:recognize]\n"
        // likewise one id each for the cross-replica throttle test and the Redis-outage one
        + "  - id: spread\n    secret_hash: '" + hash(APP_SECRET) + "'\n    tenant: acme\n"
        + "    scopes: [ocr:recognize]\n"
        + "  - id: offline\n    secret_hash: '" + hash(APP_SECRET) + "'\n    tenant: acme\n"
        + "    scopes: [ocr:recognize]\n");
    a = ServerAssembly.assemble(config(clients)).start();
    b = ServerAssembly.assemble(config(clients)).start();
    channelA = Grpc.newChannelBuilderForAddress("localhost", a.port(), TestTls.clientCredentials()).build();
    channelB = Grpc.newChannelBuilderForAddress("localhost", b.port(), TestTls.clientCredentials()).build();
  }

  @AfterAll
  void stopReplicas() throws Exception {
    channelA.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    channelB.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    a.shutdownGracefully();
    b.shutdownGracefully();
    ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).detachAppender(LOGS);
    assertNoSecretsLogged();
  }

  private OcrgateConfig config(Path clients) {
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
    c.issuer.max_failed_attempts = 2;
    c.issuer.refresh_tokens = true; // the refresh-token tests below need them (off by default)
    c.issuer.jwks_http_port = 0; // exercises start-at-warm-up and close
    c.rate_limit.enabled = true;
    c.rate_limit.subject = new RateLimitSection.Bucket(1000, 1000);
    c.rate_limit.tenant = new RateLimitSection.Bucket(1000, 1000);
    c.rate_limit.tenants.put("metered", new RateLimitSection.Bucket(0.01, 4)); // 4 calls, then 1 per 100 s
    return c;
  }

  @Test
  void revokedThroughA_isRefusedByB_onItsNextCall() throws Exception {
    String admin = issue(channelA, "admin-tool", ADMIN_SECRET).getAccessToken();
    String victim = issue(channelA, "admin-tool", ADMIN_SECRET).getAccessToken();
    revokeJti(channelB, victim, "warm-up-" + System.nanoTime()); // B has verified (and cached) the victim

    revokeJti(channelA, admin, jti(victim));

    // Every call checks revocation in the shared Redis (the verified-token cache does not skip
    // it), and A answered only after writing there: B's very next call is refused. No waiting
    // and no wall-clock bound, so a slow machine cannot fail this and a stale B cannot pass it.
    assertThatThrownBy(() -> revokeJti(channelB, victim, "x"))
        .isInstanceOfSatisfying(StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED));
    revokeJti(channelB, admin, "still-works"); // the admin token itself is unaffected
  }

  @Test
  void revokedBySubject_allItsEarlierTokensAreRefusedEverywhere() throws Exception {
    String admin = issue(channelA, "acme-admin", ADMIN_SECRET).getAccessToken(); // the scanner's tenant
    TokenResponse scanner = issue(channelB, "scanner", APP_SECRET);

    AuthServiceGrpc.newBlockingStub(channelA).withCallCredentials(bearer(admin))
        .revokeToken(RevokeTokenRequest.newBuilder().setSubject("scanner").build());

    // the scanner's refresh token (issued before the cut-off) no longer works on either replica
    assertThatThrownBy(() -> AuthServiceGrpc.newBlockingStub(channelB)
            .refreshToken(RefreshTokenRequest.newBuilder().setRefreshToken(scanner.getRefreshToken()).build()))
        .isInstanceOfSatisfying(StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED));
  }

  @Test
  void tenantQuota_isSharedAcrossAAndB_andOverLimitCarriesRetryInfo() throws Exception {
    // tenant "metered" has 4 tokens in all (refill 1 per 100 s); one token used on A and B alike
    String token = issue(channelA, "metered-admin", METERED_SECRET).getAccessToken();
    for (int i = 0; i < 4; i++) {
      revokeJti(i % 2 == 0 ? channelA : channelB, token, "quota-" + i);
    }

    for (ManagedChannel ch : List.of(channelA, channelB)) {
      assertThatThrownBy(() -> revokeJti(ch, token, "quota-over"))
          .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
            assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
            RetryInfo retry = retryInfo(e);
            assertThat(retry.getRetryDelay().getSeconds()).isBetween(90L, 100L);
          });
    }
  }

  @Test
  void redisStopped_revocationCheckedCallsAreUnavailable_thenRecoverWithoutRestart() throws Exception {
    String admin = issue(channelA, "admin-tool", ADMIN_SECRET).getAccessToken();
    revokeJti(channelB, admin, "before");

    REDIS.server().stop();
    try {
      await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
          assertThatThrownBy(() -> revokeJti(channelB, admin, "during"))
              .isInstanceOfSatisfying(StatusRuntimeException.class,
                  e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE)));
      // public methods still work, and health reports the shared state as degraded
      assertThat(AuthServiceGrpc.newBlockingStub(channelA).getJwks(GetJwksRequest.getDefaultInstance())
          .getJwksJson()).contains("\"keys\"");
      await().atMost(Duration.ofSeconds(30)).until(() -> sharedStateHealth(channelA) == ServingStatus.NOT_SERVING);
      assertThat(health(channelA, "")).isEqualTo(ServingStatus.SERVING);
    } finally {
      REDIS.server().startAgain();
    }

    await().atMost(Duration.ofSeconds(30)).ignoreExceptions().untilAsserted(() -> {
      revokeJti(channelA, admin, "after-a");
      revokeJti(channelB, admin, "after-b");
    });
    await().atMost(Duration.ofSeconds(30)).until(() -> sharedStateHealth(channelB) == ServingStatus.SERVING);
  }

  @Test
  void refreshTokenReuse_revokesTheWholeFamily_onEveryReplica() throws Exception {
    TokenResponse first = issue(channelA, "admin-tool", ADMIN_SECRET);
    TokenResponse second = remember(AuthServiceGrpc.newBlockingStub(channelB)
        .refreshToken(RefreshTokenRequest.newBuilder().setRefreshToken(first.getRefreshToken()).build()));
    assertThat(second.getRefreshToken()).isNotEqualTo(first.getRefreshToken());
    revokeJti(channelA, second.getAccessToken(), "works-before-reuse");

    // the stolen first refresh token is replayed on A
    assertThatThrownBy(() -> AuthServiceGrpc.newBlockingStub(channelA)
            .refreshToken(RefreshTokenRequest.newBuilder().setRefreshToken(first.getRefreshToken()).build()))
        .isInstanceOfSatisfying(StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED));

    // the legitimate holder's newer refresh token and both access tokens are dead everywhere
    assertThatThrownBy(() -> AuthServiceGrpc.newBlockingStub(channelB)
            .refreshToken(RefreshTokenRequest.newBuilder().setRefreshToken(second.getRefreshToken()).build()))
        .isInstanceOfSatisfying(StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED));
    for (String access : List.of(first.getAccessToken(), second.getAccessToken())) {
      for (ManagedChannel ch : List.of(channelA, channelB)) {
        assertThatThrownBy(() -> revokeJti(ch, access, "after-reuse"))
            .isInstanceOfSatisfying(StatusRuntimeException.class,
                e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED));
      }
    }
  }

  @Test
  void issueToken_wrongSecretScopeAndThrottle_haveTheirStatuses() {
    AuthServiceGrpc.AuthServiceBlockingStub stub = AuthServiceGrpc.newBlockingStub(channelB);
    assertThatThrownBy(() -> stub.issueToken(IssueTokenRequest.newBuilder().setClientId("guessed")
            .setClientSecret(APP_SECRET).addScopes("ocr:admin").build()))
        .isInstanceOfSatisfying(StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED));
    for (int i = 0; i < 2; i++) {
      assertThatThrownBy(() -> stub.issueToken(IssueTokenRequest.newBuilder().setClientId("guessed")
              .setClientSecret(APP_SECRET + "x").build()))
          .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
            assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
            assertThat(e.getStatus().getDescription()).isEqualTo("invalid client credentials");
          });
    }
    // two failures on B: B now throttles this client, even with the right secret
    assertThatThrownBy(() -> stub.issueToken(IssueTokenRequest.newBuilder().setClientId("guessed")
            .setClientSecret(APP_SECRET).build()))
        .isInstanceOfSatisfying(StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED));
  }

  @Test
  void wrongSecretsSpreadOverAAndB_throttleTheClientOnBoth() {
    // max_failed_attempts is 2: one wrong secret on each replica uses them up (per-replica
    // throttles would each have seen only one and let the right secret through)
    assertIssueFails(channelA, "spread", APP_SECRET + "x", Status.Code.UNAUTHENTICATED);
    assertIssueFails(channelB, "spread", APP_SECRET + "x", Status.Code.UNAUTHENTICATED);

    assertIssueFails(channelA, "spread", APP_SECRET, Status.Code.RESOURCE_EXHAUSTED);
    assertIssueFails(channelB, "spread", APP_SECRET, Status.Code.RESOURCE_EXHAUSTED);
  }

  @Test
  void redisStopped_wrongSecretsAreStillThrottled_perReplica() {
    REDIS.server().stop();
    try {
      // neither UNAVAILABLE nor fail-open: A counts the failures itself while Redis is away
      assertIssueFails(channelA, "offline", APP_SECRET + "x", Status.Code.UNAUTHENTICATED);
      assertIssueFails(channelA, "offline", APP_SECRET + "x", Status.Code.UNAUTHENTICATED);
      assertIssueFails(channelA, "offline", APP_SECRET, Status.Code.RESOURCE_EXHAUSTED);
      // B saw no failure: the right secret reaches the refresh-token store, which fails closed
      assertIssueFails(channelB, "offline", APP_SECRET, Status.Code.UNAVAILABLE);
    } finally {
      REDIS.server().startAgain();
      // the replicas reconnect with back-off: later tests need both back on Redis
      awaitBothReplicasUseRedis();
    }
  }

  /** Until a token can be issued on each replica (the refresh-token store is in Redis). */
  private void awaitBothReplicasUseRedis() {
    await().atMost(Duration.ofSeconds(30)).ignoreExceptions().untilAsserted(() -> {
      issue(channelA, "admin-tool", ADMIN_SECRET);
      issue(channelB, "admin-tool", ADMIN_SECRET);
    });
  }

  private static void assertIssueFails(ManagedChannel ch, String client, String secret, Status.Code code) {
    assertThatThrownBy(() -> issue(ch, client, secret))
        .isInstanceOfSatisfying(StatusRuntimeException.class, e -> assertThat(e.getStatus().getCode()).isEqualTo(code));
  }

  @Test
  void issuedToken_verifiesWithNimbusAgainstGetJwks_andCarriesRfc9068Claims() throws Exception {
    TokenResponse t = issue(channelA, "admin-tool", ADMIN_SECRET);
    String jwks = AuthServiceGrpc.newBlockingStub(channelB).getJwks(GetJwksRequest.getDefaultInstance()).getJwksJson();

    DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
    processor.setJWSTypeVerifier(new DefaultJOSEObjectTypeVerifier<>(new JOSEObjectType("at+jwt")));
    processor.setJWSKeySelector(new JWSVerificationKeySelector<>(JWSAlgorithm.RS256,
        new ImmutableJWKSet<>(JWKSet.parse(jwks))));
    JWTClaimsSet claims = processor.process(t.getAccessToken(), null);

    assertThat(claims.getIssuer()).isEqualTo("ocrgate");
    assertThat(claims.getSubject()).isEqualTo("admin-tool");
    assertThat(claims.getAudience()).containsExactly("ocrgate");
    assertThat(claims.getStringClaim("client_id")).isEqualTo("admin-tool");
    assertThat(Set.of(claims.getStringClaim("scope").split(" "))).containsExactlyInAnyOrder("ocr:admin", "ocr:recognize");
    assertThat(claims.getStringClaim("tenant_id")).isEqualTo("ops");
    assertThat(claims.getJWTID()).isNotBlank();
    assertThat(Duration.between(claims.getIssueTime().toInstant(), claims.getExpirationTime().toInstant()))
        .isEqualTo(Duration.ofMinutes(15));
    assertThat(t.getExpiresIn()).isEqualTo(900);
    assertThat(t.getTokenType()).isEqualTo("Bearer");
    assertThat(Base64.getUrlDecoder().decode(t.getRefreshToken())).hasSize(32);
  }

  private static String hash(String secret) {
    return SecretHash.hash(secret.toCharArray(), SecretHash.MIN_ITERATIONS).encode();
  }

  private static TokenResponse issue(ManagedChannel ch, String client, String secret) {
    return remember(AuthServiceGrpc.newBlockingStub(ch).withDeadlineAfter(60, TimeUnit.SECONDS)
        .issueToken(IssueTokenRequest.newBuilder().setClientId(client).setClientSecret(secret).build()));
  }

  private static TokenResponse remember(TokenResponse t) {
    ISSUED.add(t.getAccessToken());
    ISSUED.add(t.getRefreshToken());
    return t;
  }

  private static void revokeJti(ManagedChannel ch, String token, String jti) {
    AuthServiceGrpc.newBlockingStub(ch).withCallCredentials(bearer(token)).withDeadlineAfter(10, TimeUnit.SECONDS)
        .revokeToken(RevokeTokenRequest.newBuilder().setJti(jti).build());
  }

  private static String jti(String token) throws Exception {
    String payload = new String(Base64.getUrlDecoder().decode(token.split("\\.")[1]), java.nio.charset.StandardCharsets.UTF_8);
    return JSON.readTree(payload).get("jti").asText();
  }

  private static ServingStatus sharedStateHealth(ManagedChannel ch) {
    return health(ch, RedisHealthWatcher.HEALTH_NAME);
  }

  private static ServingStatus health(ManagedChannel ch, String service) {
    return HealthGrpc.newBlockingStub(ch).check(HealthCheckRequest.newBuilder().setService(service).build()).getStatus();
  }

  static CallCredentials bearer(String token) {
    return new CallCredentials() {
      @Override
      public void applyRequestMetadata(RequestInfo info, Executor executor, MetadataApplier applier) {
        Metadata md = new Metadata();
        md.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + token);
        applier.apply(md);
      }
    };
  }

  private static void assertNoSecretsLogged() {
    List<ILoggingEvent> events = CapturedLogs.snapshot(LOGS);
    assertThat(events).isNotEmpty();
    for (ILoggingEvent e : events) {
      String text = e.getFormattedMessage() + throwableText(e.getThrowableProxy());
      assertThat(text).doesNotContain(ADMIN_SECRET).doesNotContain(APP_SECRET).doesNotContain(METERED_SECRET)
          .doesNotContain("pbkdf2-sha256$");
      for (String token : ISSUED) {
        assertThat(text).doesNotContain(token);
      }
    }
    assertThat(ISSUED).hasSizeGreaterThan(10);
  }

  private static String throwableText(IThrowableProxy t) {
    StringBuilder sb = new StringBuilder();
    for (IThrowableProxy p = t; p != null; p = p.getCause()) {
      sb.append(' ').append(p.getMessage());
    }
    return sb.toString();
  }

  private static RetryInfo retryInfo(StatusRuntimeException e) {
    try {
      return StatusProto.fromThrowable(e).getDetails(0).unpack(RetryInfo.class);
    } catch (com.google.protobuf.InvalidProtocolBufferException ex) {
      throw new AssertionError(ex);
    }
  }
}
