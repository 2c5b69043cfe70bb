package dev.ocrgate.server.auth.issuer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ocrgate.server.auth.RevocationStore.StoreUnavailableException;
import dev.ocrgate.server.redis.RedisLink;
import dev.ocrgate.server.testing.RedisServerExtension;
import java.time.Duration;
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

    assertThat(link.sync().keys("rt:*")).containsExactly("rt:abc");
    assertThat(link.sync().pttl("rt:abc")).isBetween(590_000L, 600_000L);
  }

  @Test
  void redeem_redisDown_isUnavailable() {
    REDIS.server().stop();
    assertThatThrownBy(() -> store.redeem("abc")).isInstanceOf(StoreUnavailableException.class);
  }
}
