package dev.ocrgate.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ocrgate.api.v1.RevokeTokenRequest;
import dev.ocrgate.server.config.OcrgateConfig;
import dev.ocrgate.server.redis.RedisLink;
import dev.ocrgate.server.testing.RedisServerExtension;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@link RevocationEndToEndContract} with revocations in a real redis-server. Redis expires keys on
 * its own clock, not the test's fake one, so the retention is also asserted on the key's TTL.
 */
class RevocationEndToEndRedisTest extends RevocationEndToEndContract {
  @RegisterExtension static final RedisServerExtension REDIS = new RedisServerExtension();

  @Override
  void configureStore(OcrgateConfig c) {
    c.redis.url = REDIS.server().url();
    c.redis.timeout_ms = 2000;
  }

  @Test
  void revokedJti_isKeptInRedisForTheMaximumLifetimePlusTwiceTheSkew() throws Exception {
    String victim = token(OCRGATE, "acme", "ttl", Duration.ofHours(1), "ocr:recognize");

    revoke(admin("acme"), RevokeTokenRequest.newBuilder().setJti(jti(victim)).setIssuer(OCRGATE));

    try (RedisLink link = RedisLink.create(REDIS.server().url(), Duration.ofSeconds(2))) {
      List<String> keys = link.sync().keys("revoked:v2:jti:*");
      assertThat(keys).containsExactly("revoked:v2:jti:ocrgate:acme:" + jti(victim));
      // 24 h + 2 × 60 s when stored, less however long the machine took since (generously bounded)
      assertThat(link.sync().pttl(keys.get(0)))
          .isBetween(Duration.ofHours(24).plusSeconds(120).minusMinutes(5).toMillis(),
              Duration.ofHours(24).plusSeconds(120).toMillis());
    }
  }
}
