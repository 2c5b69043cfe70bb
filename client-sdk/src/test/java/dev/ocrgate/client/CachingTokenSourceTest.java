package dev.ocrgate.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ocrgate.server.testing.MutableClock;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The refresh policy, deterministic: a fake clock and an executor that runs only when told. */
class CachingTokenSourceTest {
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  private final MutableClock clock = new MutableClock(T0);
  private final ManualExecutor executor = new ManualExecutor();

  /** Mints "t1", "t2", … each valid for {@code lifetime} from the fake now. */
  private final class CountingSource implements TokenSource {
    final AtomicInteger fetches = new AtomicInteger();
    final Duration lifetime;
    volatile IOException failNext;

    CountingSource(Duration lifetime) {
      this.lifetime = lifetime;
    }

    @Override
    public AccessToken fetch() throws IOException {
      int n = fetches.incrementAndGet();
      IOException f = failNext;
      if (f != null) {
        failNext = null;
        throw f;
      }
      return AccessToken.of("t" + n, lifetime == null ? null : clock.instant().plus(lifetime));
    }
  }

  @Test
  void verify_refreshMargin_isMaxOf60sAnd20Percent_cappedAtHalfTheLifetime() {
    assertThat(CachingTokenSource.refreshMargin(Duration.ofHours(1))).isEqualTo(Duration.ofMinutes(12));
    assertThat(CachingTokenSource.refreshMargin(Duration.ofMinutes(10))).isEqualTo(Duration.ofMinutes(2));
    assertThat(CachingTokenSource.refreshMargin(Duration.ofMinutes(4))).isEqualTo(Duration.ofSeconds(60));
    assertThat(CachingTokenSource.refreshMargin(Duration.ofSeconds(100))).isEqualTo(Duration.ofSeconds(50));
    assertThat(CachingTokenSource.refreshMargin(Duration.ofSeconds(3))).isEqualTo(Duration.ofMillis(1500));
    assertThat(CachingTokenSource.refreshMargin(Duration.ZERO)).isEqualTo(Duration.ZERO);
    assertThat(CachingTokenSource.skew(Duration.ofHours(1))).isEqualTo(Duration.ofSeconds(5));
    assertThat(CachingTokenSource.skew(Duration.ofSeconds(3))).isEqualTo(Duration.ofMillis(300));
  }

  @Test
  void verify_firstGet_fetchesOnTheExecutor_notOnTheCallerThread() throws Exception {
    CountingSource source = new CountingSource(Duration.ofHours(1));
    CachingTokenSource cache = new CachingTokenSource(source, executor, clock);

    CompletableFuture<AccessToken> f = cache.get();

    assertThat(f).isNotDone();
    assertThat(source.fetches).hasValue(0);
    executor.runAll();
    assertThat(f.get().value()).isEqualTo("t1");
  }

  @Test
  void verify_freshToken_isServedFromCache_withoutFetching() throws Exception {
    CountingSource source = new CountingSource(Duration.ofHours(1));
    CachingTokenSource cache = new CachingTokenSource(source, executor, clock);
    cache.get();
    executor.runAll();

    clock.advance(Duration.ofMinutes(47)); // 13 min left > 12 min margin
    CompletableFuture<AccessToken> f = cache.get();

    assertThat(f).isDone();
    assertThat(f.get().value()).isEqualTo("t1");
    assertThat(executor.pending()).isZero();
    assertThat(source.fetches).hasValue(1);
  }

  @Test
  void verify_insideRefreshMargin_servesCachedToken_andRefreshesOnceInBackground() throws Exception {
    CountingSource source = new CountingSource(Duration.ofHours(1));
    CachingTokenSource cache = new CachingTokenSource(source, executor, clock);
    cache.get();
    executor.runAll();

    clock.advance(Duration.ofMinutes(48)); // exactly 12 min left: refresh due
    CompletableFuture<AccessToken> a = cache.get();
    CompletableFuture<AccessToken> b = cache.get();

    assertThat(a.get().value()).isEqualTo("t1");
    assertThat(b.get().value()).isEqualTo("t1");
    assertThat(executor.pending()).isEqualTo(1);
    executor.runAll();
    assertThat(cache.get().get().value()).isEqualTo("t2");
    assertThat(source.fetches).hasValue(2);
  }

  @Test
  void verify_expiredToken_callersWaitForTheOneFetch() throws Exception {
    CountingSource source = new CountingSource(Duration.ofHours(1));
    CachingTokenSource cache = new CachingTokenSource(source, executor, clock);
    cache.get();
    executor.runAll();

    clock.advance(Duration.ofMinutes(59).plusSeconds(55)); // within the 5 s skew: unusable
    CompletableFuture<AccessToken> a = cache.get();
    CompletableFuture<AccessToken> b = cache.get();

    assertThat(a).isNotDone();
    assertThat(b).isSameAs(a);
    assertThat(executor.pending()).isEqualTo(1);
    executor.runAll();
    assertThat(a.get().value()).isEqualTo("t2");
  }

  @Test
  void verify_fetchFailure_failsTheWaiters_thenTheNextCallRecovers() throws Exception {
    CountingSource source = new CountingSource(Duration.ofHours(1));
    source.failNext = new IOException("issuer down");
    CachingTokenSource cache = new CachingTokenSource(source, executor, clock);

    CompletableFuture<AccessToken> failed = cache.get();
    executor.runAll();
    assertThatThrownBy(failed::get).isInstanceOf(ExecutionException.class).hasCauseInstanceOf(IOException.class);

    CompletableFuture<AccessToken> next = cache.get();
    executor.runAll();
    assertThat(next.get().value()).isEqualTo("t2");
    assertThat(source.fetches).hasValue(2);
  }

  @Test
  void verify_failedBackgroundRefresh_keepsTheCachedToken_andPausesBeforeTryingAgain() throws Exception {
    CountingSource source = new CountingSource(Duration.ofHours(1));
    CachingTokenSource cache = new CachingTokenSource(source, executor, clock);
    cache.get();
    executor.runAll();
    clock.advance(Duration.ofMinutes(50));
    source.failNext = new IOException("issuer down");

    assertThat(cache.get().get().value()).isEqualTo("t1");
    executor.runAll(); // the background refresh fails
    assertThat(cache.get().get().value()).isEqualTo("t1");
    assertThat(executor.pending()).as("paused after a failure").isZero();

    clock.advance(CachingTokenSource.FAILED_REFRESH_PAUSE);
    assertThat(cache.get().get().value()).isEqualTo("t1");
    executor.runAll();
    assertThat(cache.get().get().value()).isEqualTo("t3");
  }

  @Test
  void verify_invalidate_dropsOnlyTheRejectedToken() throws Exception {
    CountingSource source = new CountingSource(Duration.ofHours(1));
    CachingTokenSource cache = new CachingTokenSource(source, executor, clock);
    cache.get();
    executor.runAll();
    AccessToken t1 = cache.get().get();

    cache.invalidate(AccessToken.of("t1", null)); // equal text, other instance: not the cached one
    assertThat(cache.get()).isDone();
    cache.invalidate(t1);
    CompletableFuture<AccessToken> f = cache.get();
    assertThat(f).isNotDone();
    executor.runAll();
    AccessToken t2 = f.get();
    cache.invalidate(t1); // late invalidation of the old token keeps the new one
    assertThat(cache.get().get()).isSameAs(t2);
  }

  @Test
  void verify_unknownExpiry_neverBlocks_andIsRecheckedInBackground() throws Exception {
    CountingSource source = new CountingSource(null);
    CachingTokenSource cache = new CachingTokenSource(source, executor, clock);
    cache.get();
    executor.runAll();

    clock.advance(Duration.ofDays(1));
    CompletableFuture<AccessToken> f = cache.get();

    assertThat(f.get().value()).isEqualTo("t1");
    assertThat(executor.pending()).isEqualTo(1);
  }

  @Test
  void verify_manyThreadsWithoutToken_shareOneFetch() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    AtomicInteger fetches = new AtomicInteger();
    TokenSource slow = () -> {
      fetches.incrementAndGet();
      try {
        release.await(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return AccessToken.of("shared", clock.instant().plus(Duration.ofHours(1)));
    };
    ExecutorService refresher = Executors.newFixedThreadPool(4);
    ExecutorService callers = Executors.newFixedThreadPool(32);
    try {
      CachingTokenSource cache = new CachingTokenSource(slow, refresher, clock);
      CountDownLatch start = new CountDownLatch(1);
      List<CompletableFuture<CompletableFuture<AccessToken>>> calls = new ArrayList<>();
      for (int i = 0; i < 64; i++) {
        calls.add(CompletableFuture.supplyAsync(() -> {
          try {
            start.await();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          return cache.get();
        }, callers));
      }
      start.countDown();
      List<CompletableFuture<AccessToken>> tokens = new ArrayList<>();
      for (var c : calls) {
        tokens.add(c.get(10, TimeUnit.SECONDS));
      }
      release.countDown();
      for (var t : tokens) {
        assertThat(t.get(10, TimeUnit.SECONDS).value()).isEqualTo("shared");
      }
      assertThat(fetches).hasValue(1);
    } finally {
      release.countDown();
      refresher.shutdownNow();
      callers.shutdownNow();
    }
  }

  /** Runs submitted tasks only when the test says so. */
  private static final class ManualExecutor implements Executor {
    private final Queue<Runnable> tasks = new ArrayDeque<>();

    @Override
    public synchronized void execute(Runnable command) {
      tasks.add(command);
    }

    synchronized int pending() {
      return tasks.size();
    }

    void runAll() {
      Runnable r;
      while ((r = poll()) != null) {
        r.run();
      }
    }

    private synchronized Runnable poll() {
      return tasks.poll();
    }
  }
}
