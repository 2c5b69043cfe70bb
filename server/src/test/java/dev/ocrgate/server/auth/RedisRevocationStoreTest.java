package dev.ocrgate.server.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.ocrgate.server.auth.RevocationStore.StoreUnavailableException;
import dev.ocrgate.server.redis.RedisLink;
import dev.ocrgate.server.testing.RedisServerExtension;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link RedisRevocationStore} against a real redis-server, including an outage. */
class RedisRevocationStoreTest {
  @RegisterExtension static final RedisServerExtension REDIS = new RedisServerExtension();

  private RedisLink link;
  private RedisRevocationStore store;
  private final Instant now = Instant.now();

  @BeforeEach
  void setUp() {
    link = RedisLink.create(REDIS.server().url(), Duration.ofSeconds(1));
    store = RedisRevocationStore.create(link, Clock.systemUTC());
  }

  @AfterEach
  void tearDown() {
    link.close();
  }

  @Test
  void isRevoked_revokedJti_isTrueForThatJtiOnly() throws Exception {
    store.revokeJti("jti-1", now.plusSeconds(60));

    assertThat(store.isRevoked("jti-1", "alice", now)).isTrue();
    assertThat(store.isRevoked("jti-2", "alice", now)).isFalse();
  }

  @Test
  void revokeJti_setsTtlOfRemainingLifetime() throws Exception {
    long t0 = System.nanoTime();
    store.revokeJti("jti-ttl", Instant.now().plusSeconds(60));
    long pttl = link.sync().pttl(RedisRevocationStore.JTI_PREFIX + "jti-ttl");
    long elapsedMs = (System.nanoTime() - t0) / 1_000_000 + 2; // + millisecond truncations

    // 60 s from when the test asked, less at most the time it took until the read (however slow)
    assertThat(pttl).isBetween(60_000L - elapsedMs, 60_000L);
  }

  @Test
  void revokeJti_alreadyExpired_storesNothing() throws Exception {
    store.revokeJti("old", Instant.now().minusSeconds(1));

    assertThat(link.sync().exists(RedisRevocationStore.JTI_PREFIX + "old")).isZero();
  }

  @Test
  void isRevoked_subjectCutoff_revokesOnlyTokensIssuedAtOrBefore() throws Exception {
    store.revokeSubjectBefore("bob", now, Duration.ofMinutes(15));

    assertThat(store.isRevoked("a", "bob", now.minusSeconds(5))).isTrue();
    assertThat(store.isRevoked("b", "bob", now)).isTrue();
    assertThat(store.isRevoked("c", "bob", now.plusSeconds(1))).isFalse();
    assertThat(store.isRevoked(null, "bob", null)).isTrue();
    assertThat(store.isRevoked("d", "carol", now.minusSeconds(5))).isFalse();
  }

  @Test
  void revokeSubjectBefore_earlierCutoff_doesNotLowerTheLaterOne() throws Exception {
    store.revokeSubjectBefore("bob", now, Duration.ofMinutes(15));
    store.revokeSubjectBefore("bob", now.minusSeconds(60), Duration.ofMinutes(1));

    assertThat(store.isRevoked("a", "bob", now.minusSeconds(30))).isTrue();
    assertThat(link.sync().pttl(RedisRevocationStore.SUB_PREFIX + "bob")).isGreaterThan(60_000L);
  }

  @Test
  void isRevoked_redisStopped_failsClosedThenRecoversWithoutNewStore() throws Exception {
    store.revokeJti("jti-x", now.plusSeconds(60));
    assertThat(store.healthy()).isTrue();

    REDIS.server().stop();

    await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
        assertThatThrownBy(() -> store.isRevoked("jti-x", "alice", now))
            .isInstanceOf(StoreUnavailableException.class)
            .hasMessageNotContaining("jti-x"));
    await().atMost(Duration.ofSeconds(30)).until(() -> !store.healthy());

    REDIS.server().startAgain();

    await().atMost(Duration.ofSeconds(30)).ignoreExceptions()
        .until(() -> !store.isRevoked("jti-y", "alice", now));
    assertThat(store.healthy()).isTrue();
    // The restarted server has no persistence: the old revocation is gone, new ones work.
    store.revokeJti("jti-y", now.plusSeconds(60));
    assertThat(store.isRevoked("jti-y", "alice", now)).isTrue();
  }

  @Test
  void isRevoked_redisDownAtStartup_failsClosedThenConnectsWhenItComesUp() throws Exception {
    REDIS.server().stop();
    RedisLink fresh = RedisLink.create(REDIS.server().url(), Duration.ofSeconds(1));
    try {
      RedisRevocationStore late = RedisRevocationStore.create(fresh, Clock.systemUTC());

      assertThatThrownBy(() -> late.isRevoked("j", "alice", now))
          .isInstanceOf(StoreUnavailableException.class);
      assertThat(late.healthy()).isFalse();

      REDIS.server().startAgain();

      await().atMost(Duration.ofSeconds(30)).ignoreExceptions()
          .until(() -> !late.isRevoked("j", "alice", now));
      assertThat(late.healthy()).isTrue();
    } finally {
      fresh.close();
    }
  }
}
