package dev.ocrgate.server.auth.issuer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ocrgate.server.auth.issuer.RefreshTokenStore.Outcome;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class InMemoryRefreshTokenStoreTest extends RefreshTokenStoreContract {
  private Instant now = Instant.parse("2026-01-01T00:00:00Z");
  private final Clock clock = new Clock() {
    @Override
    public ZoneOffset getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  };
  private final InMemoryRefreshTokenStore store = InMemoryRefreshTokenStore.create(clock);

  @Override
  RefreshTokenStore store() {
    return store;
  }

  @Test
  void redeem_afterTtl_isUnknown_andRedeemingDoesNotExtendIt() {
    store.save("h", GRANT, Duration.ofMinutes(10));
    now = now.plus(Duration.ofMinutes(6));
    assertThat(store.redeem("h").outcome()).isEqualTo(Outcome.REDEEMED);

    now = now.plus(Duration.ofMinutes(3));
    assertThat(store.redeem("h").outcome()).isEqualTo(Outcome.REUSED);
    now = now.plus(Duration.ofMinutes(2));
    assertThat(store.redeem("h").outcome()).isEqualTo(Outcome.UNKNOWN);
  }
}
