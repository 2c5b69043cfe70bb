package dev.ocrgate.server.auth.issuer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.ocrgate.server.auth.InMemoryRevocationStore;
import dev.ocrgate.server.auth.SigningKeys;
import dev.ocrgate.server.observability.Metrics;
import dev.ocrgate.server.redis.RedisLink;
import dev.ocrgate.server.testing.CapturedLogs;
import dev.ocrgate.server.testing.RedisServerExtension;
import io.grpc.Status;
import io.grpc.StatusException;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.LoggerFactory;

/**
 * {@link RedisFailureThrottle} on a real redis-server: two throttles on one Redis are two
 * replicas (each with its own link), so every cross-replica assertion here fails with per-replica
 * {@link InMemoryFailureThrottle}s.
 */
class RedisFailureThrottleTest {
  @RegisterExtension static final RedisServerExtension REDIS = new RedisServerExtension();

  private static final int MAX = 3;
  private static final Duration WINDOW = Duration.ofMinutes(5);

  private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
  private final Metrics metrics = Metrics.using(meters);
  private RedisLink linkA;
  private RedisLink linkB;

  @BeforeEach
  void setUp() {
    linkA = RedisLink.create(REDIS.server().url(), Duration.ofSeconds(1));
    linkB = RedisLink.create(REDIS.server().url(), Duration.ofSeconds(1));
  }

  @AfterEach
  void tearDown() {
    linkA.close();
    linkB.close();
  }

  private FailureThrottle replica(RedisLink link, int maxFailures, Duration window) {
    return RedisFailureThrottle.create(link, maxFailures, window, metrics, 1000);
  }

  @Test
  void failuresSpreadOverTwoReplicas_blockTheIdOnBoth() {
    FailureThrottle a = replica(linkA, MAX, WINDOW);
    FailureThrottle b = replica(linkB, MAX, WINDOW);

    a.recordFailure("app");
    b.recordFailure("app");
    assertThat(a.blocked("app")).isFalse();
    assertThat(b.blocked("app")).isFalse();
    a.recordFailure("app");

    assertThat(a.blocked("app")).isTrue();
    assertThat(b.blocked("app")).isTrue();
    assertThat(b.blocked("other")).isFalse();
    assertThat(meters.counter("ocrgate.redis.errors", "operation", "issuer_throttle").count()).isZero();
  }

  @Test
  void firstFailure_setsTheWindowAsTtl_andLaterFailuresDoNotExtendIt() {
    FailureThrottle a = replica(linkA, MAX, WINDOW);
    FailureThrottle b = replica(linkB, MAX, WINDOW);
    String key = RedisFailureThrottle.KEY_PREFIX + "app";

    long t0 = System.nanoTime();
    a.recordFailure("app");
    long pttl = linkA.sync().pttl(key);
    long elapsedMs = (System.nanoTime() - t0) / 1_000_000 + 2; // + millisecond truncations
    assertThat(pttl).isBetween(WINDOW.toMillis() - elapsedMs, WINDOW.toMillis());

    // as if most of the window had passed: a later failure (on the other replica) keeps the end
    linkA.sync().pexpire(key, 5_000);
    b.recordFailure("app");
    assertThat(linkA.sync().pttl(key)).isBetween(1L, 5_000L);
    assertThat(linkA.sync().get(key)).isEqualTo("2");
  }

  @Test
  void counterWithoutExpiry_getsTheWindowOnTheNextFailure() {
    FailureThrottle a = replica(linkA, MAX, WINDOW);
    String key = RedisFailureThrottle.KEY_PREFIX + "app";
    linkA.sync().set(key, "1"); // e.g. written by hand: must not block the id forever

    a.recordFailure("app");

    assertThat(linkA.sync().pttl(key)).isBetween(1L, WINDOW.toMillis());
  }

  @Test
  void window_expires_thenTheIdIsAllowedAndCountsFromZero() {
    FailureThrottle a = replica(linkA, 2, Duration.ofSeconds(1));
    FailureThrottle b = replica(linkB, 2, Duration.ofSeconds(1));
    a.recordFailure("app");
    b.recordFailure("app");
    assertThat(a.blocked("app")).isTrue();

    await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50))
        .until(() -> !a.blocked("app") && !b.blocked("app"));
    assertThat(linkA.sync().exists(RedisFailureThrottle.KEY_PREFIX + "app")).isZero();

    b.recordFailure("app");
    assertThat(a.blocked("app")).isFalse();
  }

  @Test
  void successOnOneReplica_doesNotResetFailuresCountedOnTheOther() throws Exception {
    SecretHash hash = SecretHash.hash("right".toCharArray(), SecretHash.MIN_ITERATIONS);
    KeyRing keys = KeyRing.of(SigningKeys.generate("RS256"));
    ClientRegistry clients = ClientRegistry.of(List.of(
        new RegisteredClient("app", hash, Set.of("ocr:recognize"), "acme", "app-sub")));
    IssuerSettings settings = new IssuerSettings("ocrgate", "ocrgate", "tenant_id",
        Duration.ofMinutes(15), Duration.ofHours(1), Duration.ofSeconds(60), 2, WINDOW);
    Clock clock = Clock.systemUTC();
    InMemoryRevocationStore revocations = InMemoryRevocationStore.create(clock);
    InMemoryRefreshTokenStore refreshTokens = InMemoryRefreshTokenStore.create(clock);
    TokenIssuer a = new TokenIssuer(clients, () -> keys, refreshTokens, revocations,
        replica(linkA, 2, WINDOW), SecretCheckGate.create(2, Duration.ofSeconds(1)), settings, clock);
    TokenIssuer b = new TokenIssuer(clients, () -> keys, refreshTokens, revocations,
        replica(linkB, 2, WINDOW), SecretCheckGate.create(2, Duration.ofSeconds(1)), settings, clock);

    assertStatus(() -> a.issue("app", "wrong", List.of()), Status.Code.UNAUTHENTICATED);
    assertThat(b.issue("app", "right", List.of()).getAccessToken()).isNotEmpty();
    assertStatus(() -> b.issue("app", "wrong", List.of()), Status.Code.UNAUTHENTICATED);

    assertStatus(() -> a.issue("app", "right", List.of()), Status.Code.RESOURCE_EXHAUSTED);
    assertStatus(() -> b.issue("app", "right", List.of()), Status.Code.RESOURCE_EXHAUSTED);
  }

  @Test
  void redisStopped_countsLocallyPerReplica_warnsRateLimited_andUsesRedisAgainWhenItReturns() {
    ListAppender<ILoggingEvent> logs = new ListAppender<>();
    logs.start();
    Logger logger = (Logger) LoggerFactory.getLogger(RedisFailureThrottle.class);
    logger.addAppender(logs);
    try {
      FailureThrottle a = replica(linkA, MAX, WINDOW);
      FailureThrottle b = replica(linkB, MAX, WINDOW);
      b.recordFailure("app"); // in Redis, lost with it (no persistence)

      REDIS.server().stop();

      // not fail-open: A still refuses the id after MAX failures of its own
      for (int i = 0; i < MAX; i++) {
        assertThat(a.blocked("app")).isFalse();
        a.recordFailure("app");
      }
      assertThat(a.blocked("app")).isTrue();
      // per replica while Redis is away: B has counted nothing locally
      assertThat(b.blocked("app")).isFalse();

      double errors = meters.counter("ocrgate.redis.errors", "operation", "issuer_throttle").count();
      assertThat(errors).isGreaterThanOrEqualTo(MAX + 1);
      List<ILoggingEvent> warns = CapturedLogs.snapshot(logs).stream().filter(e -> e.getLevel() == Level.WARN).toList();
      assertThat(warns).isNotEmpty().hasSizeLessThan((int) errors); // at most one per 10 s and replica
      assertThat(warns.get(0).getFormattedMessage()).contains("unreachable").contains("per replica");

      REDIS.server().startAgain();

      // back in Redis: failures on B reach the shared count again (after lettuce reconnects)
      await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).ignoreExceptions()
          .untilAsserted(() -> {
            b.recordFailure("later");
            assertThat(linkA.sync().get(RedisFailureThrottle.KEY_PREFIX + "later")).isNotNull();
          });
      // and A's outage failures still block it until their own window ends
      assertThat(a.blocked("app")).isTrue();
    } finally {
      logger.detachAppender(logs);
    }
  }

  @Test
  void redisDownAtStartup_countsLocally() {
    REDIS.server().stop();
    FailureThrottle a = replica(linkA, MAX, WINDOW);

    for (int i = 0; i < MAX; i++) {
      a.recordFailure("app");
    }

    assertThat(a.blocked("app")).isTrue();
    assertThat(a.blocked("other")).isFalse();
  }

  private interface Call {
    Object run() throws StatusException;
  }

  private static void assertStatus(Call call, Status.Code code) {
    assertThatThrownBy(call::run)
        .isInstanceOfSatisfying(StatusException.class, e -> assertThat(e.getStatus().getCode()).isEqualTo(code));
  }
}
