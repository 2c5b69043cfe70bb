package dev.ocrgate.server.auth.issuer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ocrgate.server.auth.issuer.RefreshTokenStore.Outcome;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.ArrayList;
import org.junit.jupiter.api.Test;

/** Behaviour every {@link RefreshTokenStore} has; subclasses supply the store. */
abstract class RefreshTokenStoreContract {
  static final RefreshGrant GRANT = new RefreshGrant("fam-1", "client", "sub", "acme", List.of("ocr:recognize"), 1000L,
      1000L, "fp");

  abstract RefreshTokenStore store();

  @Test
  void redeem_unknown_isUnknown() throws Exception {
    assertThat(store().redeem("nope").outcome()).isEqualTo(Outcome.UNKNOWN);
  }

  @Test
  void redeem_firstTime_returnsGrant_secondTime_isReuse() throws Exception {
    store().save("h1", GRANT, Duration.ofMinutes(5));

    RefreshTokenStore.Redemption first = store().redeem("h1");
    RefreshTokenStore.Redemption second = store().redeem("h1");

    assertThat(first.outcome()).isEqualTo(Outcome.REDEEMED);
    assertThat(first.grant()).isEqualTo(GRANT);
    assertThat(second.outcome()).isEqualTo(Outcome.REUSED);
    assertThat(second.grant().familyId()).isEqualTo("fam-1");
  }

  @Test
  void revokeFamily_returnsItsAccessTokens_andMarksItRevoked() throws Exception {
    Instant exp = Instant.ofEpochSecond(2_000_000_000L);
    store().addAccessToken("fam-1", "jti-a", exp, Duration.ofMinutes(5));
    store().addAccessToken("fam-1", "jti-b", exp.plusSeconds(1), Duration.ofMinutes(5));
    store().addAccessToken("fam-2", "jti-c", exp, Duration.ofMinutes(5));
    assertThat(store().familyRevoked("fam-1")).isFalse();

    var jtis = store().revokeFamily("fam-1", Duration.ofMinutes(5));

    assertThat(jtis).containsOnlyKeys("jti-a", "jti-b").containsEntry("jti-b", exp.plusSeconds(1));
    assertThat(store().familyRevoked("fam-1")).isTrue();
    assertThat(store().familyRevoked("fam-2")).isFalse();
  }

  @Test
  void stress_concurrentRedeems_exactlyOneWins() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      for (int round = 0; round < 20; round++) {
        String hash = "race-" + round;
        store().save(hash, GRANT, Duration.ofMinutes(5));
        List<Future<Outcome>> outcomes = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
          outcomes.add(pool.submit(() -> store().redeem(hash).outcome()));
        }
        int redeemed = 0;
        for (Future<Outcome> f : outcomes) {
          redeemed += f.get(10, TimeUnit.SECONDS) == Outcome.REDEEMED ? 1 : 0;
        }
        assertThat(redeemed).as("round %d", round).isEqualTo(1);
      }
    } finally {
      pool.shutdownNow();
    }
  }
}
