package dev.ocrgate.server.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ocrgate.server.observability.Metrics;
import dev.ocrgate.server.redis.RedisLink;
import dev.ocrgate.server.testing.RedisServerExtension;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The real Lua script on a real redis-server, driven by a fake clock, plus Redis TIME and outage. */
class RedisRateLimiterTest {
  @RegisterExtension static final RedisServerExtension REDIS = new RedisServerExtension();

  private final FakeNanoClock clock = new FakeNanoClock();
  private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
  private final Metrics metrics = Metrics.using(meters);
  private final RateLimitPolicy policy =
      RateLimitPolicy.builder(new BucketSpec(10, 5), new BucketSpec(20, 8)).build();
  private RedisLink link;
  private RedisRateLimiter limiter;

  @BeforeEach
  void setUp() {
    link = RedisLink.create(REDIS.server().url(), Duration.ofSeconds(1));
    limiter = RedisRateLimiter.withClock(link, policy, clock::micros, metrics);
  }

  @AfterEach
  void tearDown() {
    link.close();
  }

  @Test
  void acquire_withinBurst_allowsThenDeniesWithRetryAfter() {
    RateKey alice = new RateKey("alice", null);
    for (int i = 0; i < 5; i++) {
      assertThat(limiter.acquire(alice, 1).allowed()).isTrue();
    }

    Decision d = limiter.acquire(alice, 1);

    assertThat(d.allowed()).isFalse();
    assertThat(d.retryAfter()).isEqualTo(Duration.ofMillis(100));
    assertThat(d.limit()).isEqualTo(Decision.SUBJECT);
  }

  @Test
  void acquire_afterRetryAfter_allowsAgain() {
    RateKey alice = new RateKey("alice", null);
    limiter.acquire(alice, 5);
    assertThat(limiter.acquire(alice, 2).retryAfter()).isEqualTo(Duration.ofMillis(200));

    clock.advance(Duration.ofMillis(199));
    assertThat(limiter.acquire(alice, 2).allowed()).isFalse();
    clock.advance(Duration.ofMillis(1));
    assertThat(limiter.acquire(alice, 2).allowed()).isTrue();
  }

  @Test
  void acquire_tenantSharedBySubjects_limitsTheirSumAndDenialChargesNothing() {
    int allowed = 0;
    for (int i = 0; i < 5; i++) {
      allowed += limiter.acquire(new RateKey("a", "acme"), 1).allowed() ? 1 : 0;
      allowed += limiter.acquire(new RateKey("b", "acme"), 1).allowed() ? 1 : 0;
    }
    assertThat(allowed).isEqualTo(8);
    Decision denied = limiter.acquire(new RateKey("c", "acme"), 1);
    assertThat(denied.limit()).isEqualTo(Decision.TENANT);
    assertThat(denied.retryAfter()).isEqualTo(Duration.ofMillis(50));
    // a and b got 4 each; the denials took nothing from them
    assertThat(limiter.acquire(new RateKey("a", "other"), 1).allowed()).isTrue();
  }

  @Test
  void acquire_twoLimitersOnOneRedis_shareTheBuckets() {
    RedisLink other = RedisLink.create(REDIS.server().url(), Duration.ofSeconds(1));
    try {
      RedisRateLimiter replicaB = RedisRateLimiter.withClock(other, policy, clock::micros, metrics);
      limiter.acquire(new RateKey("a", "acme"), 5);

      assertThat(replicaB.acquire(new RateKey("a", "acme"), 1).allowed()).isFalse();
      assertThat(replicaB.acquire(new RateKey("b", "acme"), 3).allowed()).isTrue();
      assertThat(limiter.acquire(new RateKey("c", "acme"), 1).allowed()).isFalse();
    } finally {
      other.close();
    }
  }

  @Test
  void acquire_onRedisTime_refillsWithRealTime() {
    // 0.5 tokens/s, burst 1: a denial right after the first call (the two calls may be up to 2 s
    // apart on a loaded machine and still see an empty bucket), then a pass once Redis's own clock
    // has refilled it.
    RedisRateLimiter onRedisTime = RedisRateLimiter.create(link,
        RateLimitPolicy.builder(new BucketSpec(0.5, 1), new BucketSpec(0.5, 1)).build(), metrics);
    RateKey k = new RateKey("t", null);
    assertThat(onRedisTime.acquire(k, 1).allowed()).isTrue();
    Decision d = onRedisTime.acquire(k, 1);
    assertThat(d.allowed()).isFalse();
    assertThat(d.retryAfter()).isPositive().isLessThanOrEqualTo(Duration.ofSeconds(2));

    Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50))
        .until(() -> onRedisTime.acquire(k, 1).allowed());
  }

  @Test
  void acquire_scriptCacheFlushed_fallsBackToEval() {
    RateKey alice = new RateKey("alice", null);
    limiter.acquire(alice, 1);
    REDIS.server().command("SCRIPT FLUSH");

    assertThat(limiter.acquire(alice, 4).allowed()).isTrue();
    assertThat(limiter.acquire(alice, 1).allowed()).isFalse();
    assertThat(meters.counter("ocrgate.redis.errors", "operation", "ratelimit").count()).isZero();
  }

  @Test
  void acquire_keysExpireOnceFull() {
    long t0 = System.nanoTime();
    limiter.acquire(new RateKey("a", "acme"), 1);
    long pttl = link.sync().pttl("rl:{acme}:s:a");
    long elapsedMs = (System.nanoTime() - t0) / 1_000_000 + 1;

    // burst 5 at 10/s = 500 ms to refill, plus 1 s slack: the key was given 1500 ms, and has
    // lost at most the time this test took between the call and the read (however slow).
    assertThat(pttl).isBetween(1500L - elapsedMs, 1500L);
  }

  @Test
  void acquire_redisDown_failsOpenAndCounts() {
    RateKey alice = new RateKey("alice", null);
    assertThat(limiter.acquire(alice, 5).allowed()).isTrue();
    assertThat(limiter.acquire(alice, 5).allowed()).isFalse();
    assertThat(meters.counter("ocrgate.redis.errors", "operation", "ratelimit").count()).isZero();
    REDIS.server().stop();

    assertThat(limiter.acquire(alice, 5).allowed()).isTrue();
    assertThat(limiter.acquire(alice, 5).allowed()).isTrue();
    assertThat(meters.counter("ocrgate.redis.errors", "operation", "ratelimit").count()).isEqualTo(2.0);
  }
}
