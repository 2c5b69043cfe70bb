package dev.ocrgate.server.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class InMemoryRateLimiterTest {
  private final FakeNanoClock clock = new FakeNanoClock();
  // subject: 10/s burst 5; tenant: 20/s burst 8
  private final RateLimitPolicy policy =
      RateLimitPolicy.builder(new BucketSpec(10, 5), new BucketSpec(20, 8))
          .tenant("big", new BucketSpec(100, 100))
          .build();
  private final InMemoryRateLimiter limiter = InMemoryRateLimiter.create(policy, clock);

  @Test
  void acquire_withinBurst_allowsThenDeniesWithRetryAfter() {
    RateKey alice = new RateKey("alice", null);
    for (int i = 0; i < 5; i++) {
      assertThat(limiter.acquire(alice, 1).allowed()).isTrue();
    }

    Decision d = limiter.acquire(alice, 1);

    assertThat(d.allowed()).isFalse();
    assertThat(d.retryAfter()).isEqualTo(Duration.ofMillis(100)); // 1 token at 10/s
  }

  @Test
  void acquire_afterRetryAfter_allowsAgain() {
    RateKey alice = new RateKey("alice", null);
    limiter.acquire(alice, 5);
    Decision d = limiter.acquire(alice, 2);
    assertThat(d.retryAfter()).isEqualTo(Duration.ofMillis(200));

    clock.advance(Duration.ofMillis(199));
    assertThat(limiter.acquire(alice, 2).allowed()).isFalse();
    clock.advance(Duration.ofMillis(1));
    assertThat(limiter.acquire(alice, 2).allowed()).isTrue();
  }

  @Test
  void acquire_refillNeverExceedsBurst() {
    RateKey alice = new RateKey("alice", null);
    clock.advance(Duration.ofHours(1));

    assertThat(limiter.acquire(alice, 5).allowed()).isTrue();
    assertThat(limiter.acquire(alice, 1).allowed()).isFalse();
  }

  @Test
  void acquire_tenantSharedBySubjects_limitsTheirSum() {
    // tenant burst 8 < 2 subjects x burst 5
    int allowed = 0;
    for (int i = 0; i < 5; i++) {
      allowed += limiter.acquire(new RateKey("a", "acme"), 1).allowed() ? 1 : 0;
      allowed += limiter.acquire(new RateKey("b", "acme"), 1).allowed() ? 1 : 0;
    }
    assertThat(allowed).isEqualTo(8);
  }

  @Test
  void acquire_deniedByTenant_doesNotChargeTheSubject() {
    limiter.acquire(new RateKey("a", "acme"), 5);
    limiter.acquire(new RateKey("b", "acme"), 3); // tenant now empty, b has 2 left

    assertThat(limiter.acquire(new RateKey("b", "acme"), 2).allowed()).isFalse();
    // 150 ms later the tenant has 3 again and b has 2 + 1.5 if the denial charged nothing
    // (it would have 1.5 had the denial taken b's 2)
    clock.advance(Duration.ofMillis(150));
    assertThat(limiter.acquire(new RateKey("b", "acme"), 3).allowed()).isTrue();
  }

  @Test
  void acquire_sameSubjectInTwoTenants_hasSeparateBuckets() {
    RateKey acmeAlice = new RateKey("alice", "acme");
    RateKey otherAlice = new RateKey("alice", "other");
    assertThat(limiter.acquire(acmeAlice, 5).allowed()).isTrue();
    assertThat(limiter.acquire(acmeAlice, 1).allowed()).isFalse();

    // "alice" of another tenant is someone else: her own full bucket, not acme's alice's
    assertThat(limiter.acquire(otherAlice, 5).allowed()).isTrue();
    assertThat(limiter.acquire(otherAlice, 1).allowed()).isFalse();
    // and a token without a tenant is a third bucket
    assertThat(limiter.acquire(new RateKey("alice", null), 5).allowed()).isTrue();
  }

  @Test
  void acquire_tenantOverride_usesItsOwnShape() {
    int allowed = 0;
    for (int s = 0; s < 20; s++) {
      for (int i = 0; i < 5; i++) {
        allowed += limiter.acquire(new RateKey("u" + s, "big"), 1).allowed() ? 1 : 0;
      }
    }
    assertThat(allowed).isEqualTo(100);
  }

  @Test
  void acquire_retryAfterIsTheLongerOfTheTwoBuckets() {
    limiter.acquire(new RateKey("a", "acme"), 5);
    limiter.acquire(new RateKey("b", "acme"), 3); // tenant empty (8), refills at 20/s

    Decision d = limiter.acquire(new RateKey("a", "acme"), 1);

    // subject a: 1 token at 10/s = 100 ms; tenant: 1 token at 20/s = 50 ms
    assertThat(d.retryAfter()).isEqualTo(Duration.ofMillis(100));
    assertThat(d.limit()).isEqualTo(Decision.SUBJECT);
    Decision byTenant = limiter.acquire(new RateKey("c", "acme"), 1);
    assertThat(byTenant.limit()).isEqualTo(Decision.TENANT);
    assertThat(byTenant.retryAfter()).isEqualTo(Duration.ofMillis(50));
  }

  @Test
  void builder_costAboveEveryBurst_isRejected() {
    assertThatThrownBy(() -> RateLimitPolicy.builder(new BucketSpec(1, 5), new BucketSpec(1, 10))
            .methodCost("x/Y", 6).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("burst 5");
  }

  @Test
  void stress_concurrentCallers_neverGetMoreThanTheBurst() throws Exception {
    RateLimitPolicy p = RateLimitPolicy.builder(new BucketSpec(1, 1000), new BucketSpec(1, 1500)).build();
    InMemoryRateLimiter l = InMemoryRateLimiter.create(p, clock); // clock frozen: no refill
    int threads = 8;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    CountDownLatch start = new CountDownLatch(1);
    List<Future<Integer>> results = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      String subject = "s" + (t % 2);
      results.add(pool.submit(() -> {
        start.await();
        int ok = 0;
        for (int i = 0; i < 1000; i++) {
          ok += l.acquire(new RateKey(subject, "acme"), 1).allowed() ? 1 : 0;
        }
        return ok;
      }));
    }
    start.countDown();
    int total = 0;
    for (Future<Integer> f : results) {
      total += f.get(30, TimeUnit.SECONDS);
    }
    pool.shutdown();
    // two subjects of burst 1000 each, capped by the tenant's 1500
    assertThat(total).isEqualTo(1500);
  }
}
