package dev.ocrgate.server.auth.issuer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ocrgate.server.auth.RevocationStore.StoreUnavailableException;
import dev.ocrgate.server.redis.RedisLink;
import dev.ocrgate.server.testing.RedisServerExtension;
import io.lettuce.core.AclSetuserArgs;
import io.lettuce.core.protocol.CommandType;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class RedisRefreshTokenStoreTest extends RefreshTokenStoreContract {
  @RegisterExtension static final RedisServerExtension REDIS = new RedisServerExtension();

  private RedisLink link;
  private RedisRefreshTokenStore store;

  @BeforeEach
  void setUp() {
    link = RedisLink.create(REDIS.server().url(), Duration.ofSeconds(1));
    store = RedisRefreshTokenStore.create(link);
  }

  @AfterEach
  void tearDown() {
    link.close();
  }

  @Override
  RefreshTokenStore store() {
    return store;
  }

  @Test
  void save_storesOnlyTheHashKeyWithTtl_andRedeemKeepsTheTtl() throws Exception {
    store.save("abc", GRANT, Duration.ofMinutes(10));
    store.redeem("abc");

    assertThat(link.sync().keys("rt*")).containsExactly("rt2:abc");
    assertThat(link.sync().pttl("rt2:abc")).isBetween(590_000L, 600_000L);
  }

  @Test
  void save_whenASecondCommandWouldFail_leavesNoKeyWithoutTtl() throws Exception {
    // A user that may do everything but PEXPIRE: a save made of "write, then set the expiry"
    // leaves a token that never expires; one atomic SET ... PX cannot.
    link.sync().aclSetuser("noexpire", AclSetuserArgs.Builder.on().addPassword("pw")
        .allKeys().allChannels().allCommands().removeCommand(CommandType.PEXPIRE));
    try (RedisLink restricted = RedisLink.create(REDIS.server().url(), Duration.ofSeconds(1), "noexpire",
        "pw".toCharArray(), null)) {
      assertThat(restricted.sync().ping()).isEqualTo("PONG"); // connected and authenticated as that user
      RedisRefreshTokenStore s = RedisRefreshTokenStore.create(restricted);
      try {
        s.save("abc", GRANT, Duration.ofMinutes(10));
      } catch (StoreUnavailableException e) {
        // the old two-command save failed here, after its first command
      }
    }
    assertEveryKeyHasATtl();
    assertThat(store.redeem("abc").outcome()).isEqualTo(RefreshTokenStore.Outcome.REDEEMED);
  }

  @Test
  void everyWriteOfTheStore_setsAnExpiry() throws Exception {
    store.save("t1", GRANT, Duration.ofMinutes(10));
    store.redeem("t1");
    store.redeem("t1");
    store.addAccessToken("fam-1", "jti-1", Instant.now().plusSeconds(60), Duration.ofMinutes(10));
    store.revokeFamily("fam-1", Duration.ofMinutes(10));
    store.revokeFamily("fam-2", Duration.ofMinutes(10));

    assertThat(link.sync().dbsize()).isEqualTo(4);
    assertEveryKeyHasATtl();
  }

  private void assertEveryKeyHasATtl() {
    for (String key : link.sync().keys("*")) {
      assertThat(link.sync().pttl(key)).as("TTL of %s", key).isPositive();
    }
  }

  @Test
  void redeem_redisDown_isUnavailable() {
    REDIS.server().stop();
    assertThatThrownBy(() -> store.redeem("abc")).isInstanceOf(StoreUnavailableException.class);
  }
}
