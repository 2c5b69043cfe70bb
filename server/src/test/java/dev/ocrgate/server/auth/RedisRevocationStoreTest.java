package dev.ocrgate.server.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.ocrgate.server.auth.RevocationStore.Scope;
import dev.ocrgate.server.auth.RevocationStore.StoreUnavailableException;
import dev.ocrgate.server.redis.RedisLink;
import dev.ocrgate.server.testing.RedisServerExtension;
import io.lettuce.core.SetArgs;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link RedisRevocationStore} against a real redis-server: the contract, key format, legacy keys, an outage. */
class RedisRevocationStoreTest extends RevocationStoreContract {
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

  @Override
  RevocationStore store() {
    return store;
  }

  @Override
  Instant now() {
    return now;
  }

  @Test
  void revokeJti_setsTtlUntilTheGivenInstant() throws Exception {
    long t0 = System.nanoTime();
    store.revokeJti(ACME, "jti-ttl", Instant.now().plusSeconds(60));
    long pttl = link.sync().pttl(RedisRevocationStore.key(RedisRevocationStore.JTI_PREFIX, ACME, "jti-ttl"));
    long elapsedMs = (System.nanoTime() - t0) / 1_000_000 + 2; // + millisecond truncations

    // 60 s from when the test asked, less at most the time it took until the read (however slow)
    assertThat(pttl).isBetween(60_000L - elapsedMs, 60_000L);
  }

  @Test
  void revokeJti_alreadyExpired_storesNothing() throws Exception {
    store.revokeJti(ACME, "old", Instant.now().minusSeconds(1));

    assertThat(link.sync().keys("revoked:*")).isEmpty();
  }

  @Test
  void keys_nameIssuerTenantAndId_percentEncodingSeparators() throws Exception {
    store.revokeJti(Scope.of("https://idp.example", "acme"), "j-1", now.plusSeconds(60));
    store.revokeSubjectBefore(Scope.of("ocrgate", ""), "a%b", now, Duration.ofMinutes(1));

    assertThat(link.sync().keys("revoked:*")).containsExactlyInAnyOrder(
        "revoked:v2:jti:https%3A//idp.example:acme:j-1",
        "revoked:v2:sub:ocrgate::a%25b");
  }

  @Test
  void revokeSubjectBefore_keepsTheLongerRetention() throws Exception {
    store.revokeSubjectBefore(ACME, "bob", now, Duration.ofMinutes(15));
    store.revokeSubjectBefore(ACME, "bob", now.minusSeconds(60), Duration.ofMinutes(1));

    assertThat(link.sync().pttl(RedisRevocationStore.key(RedisRevocationStore.SUB_PREFIX, ACME, "bob")))
        .isGreaterThan(60_000L);
  }

  @Test
  void legacyKeys_ofThePreviousVersion_stillRevokeInEveryScope() throws Exception {
    // what a replica of the version before scopes wrote: bare jti, bare sub (cut-off epoch ms)
    link.sync().set(RedisRevocationStore.LEGACY_JTI_PREFIX + "old-jti", "1", SetArgs.Builder.px(60_000));
    link.sync().set(RedisRevocationStore.LEGACY_SUB_PREFIX + "old-sub", Long.toString(now.toEpochMilli()),
        SetArgs.Builder.px(60_000));

    assertThat(store.isRevoked(ACME, "old-jti", "alice", now)).isTrue();
    assertThat(store.isRevoked(GLOBEX, "old-jti", "alice", now)).isTrue();
    assertThat(store.isRevoked(IDP_ACME, null, "old-sub", now.minusSeconds(1))).isTrue();
    assertThat(store.isRevoked(GLOBEX, "x", "old-sub", now.plusSeconds(1))).as("issued after the cut-off").isFalse();
    assertThat(store.isRevoked(ACME, "other-jti", "alice", now)).isFalse();
  }

  @Test
  void isRevoked_redisStopped_failsClosedThenRecoversWithoutNewStore() throws Exception {
    store.revokeJti(ACME, "jti-x", now.plusSeconds(60));
    assertThat(store.healthy()).isTrue();

    REDIS.server().stop();

    await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
        assertThatThrownBy(() -> store.isRevoked(ACME, "jti-x", "alice", now))
            .isInstanceOf(StoreUnavailableException.class)
            .hasMessageNotContaining("jti-x"));
    await().atMost(Duration.ofSeconds(30)).until(() -> !store.healthy());

    REDIS.server().startAgain();

    await().atMost(Duration.ofSeconds(30)).ignoreExceptions()
        .until(() -> !store.isRevoked(ACME, "jti-y", "alice", now));
    assertThat(store.healthy()).isTrue();
    // The restarted server has no persistence: the old revocation is gone, new ones work.
    store.revokeJti(ACME, "jti-y", now.plusSeconds(60));
    assertThat(store.isRevoked(ACME, "jti-y", "alice", now)).isTrue();
  }

  @Test
  void isRevoked_redisDownAtStartup_failsClosedThenConnectsWhenItComesUp() throws Exception {
    REDIS.server().stop();
    RedisLink fresh = RedisLink.create(REDIS.server().url(), Duration.ofSeconds(1));
    try {
      RedisRevocationStore late = RedisRevocationStore.create(fresh, Clock.systemUTC());

      assertThatThrownBy(() -> late.isRevoked(ACME, "j", "alice", now))
          .isInstanceOf(StoreUnavailableException.class);
      assertThat(late.healthy()).isFalse();

      REDIS.server().startAgain();

      await().atMost(Duration.ofSeconds(30)).ignoreExceptions()
          .until(() -> !late.isRevoked(ACME, "j", "alice", now));
      assertThat(late.healthy()).isTrue();
    } finally {
      fresh.close();
    }
  }
}
