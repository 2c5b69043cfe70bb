package dev.ocrgate.server.auth.issuer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ocrgate.server.ratelimit.BucketSpec;
import dev.ocrgate.server.ratelimit.InMemoryRateLimiter;
import dev.ocrgate.server.ratelimit.RateKey;
import dev.ocrgate.server.ratelimit.RateLimitPolicy;
import dev.ocrgate.server.ratelimit.RateLimiter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;

/** The peer key: what shares a budget and what does not (the end-to-end flood is IssuerFloodTest). */
class PeerLimitTest {

  @Test
  void peerKey_ipv4IgnoresThePort_ipv6SharesItsSlash64() throws Exception {
    assertThat(PeerLimit.peerKey(new InetSocketAddress("127.0.0.1", 5000)))
        .isEqualTo(PeerLimit.peerKey(new InetSocketAddress("127.0.0.1", 6000)))
        .isEqualTo("ip4:127.0.0.1");
    assertThat(PeerLimit.peerKey(new InetSocketAddress("127.0.0.2", 5000))).isEqualTo("ip4:127.0.0.2");

    String a = PeerLimit.peerKey(new InetSocketAddress(InetAddress.getByName("2001:db8:1:2::1"), 1));
    String b = PeerLimit.peerKey(new InetSocketAddress(InetAddress.getByName("2001:db8:1:2:ffff::9"), 1));
    String c = PeerLimit.peerKey(new InetSocketAddress(InetAddress.getByName("2001:db8:1:3::1"), 1));
    assertThat(a).isEqualTo(b).isEqualTo("ip6:2001:db8:1:2::/64");
    assertThat(c).isNotEqualTo(a);
    assertThat(PeerLimit.peerKey(null)).isEqualTo("non-ip");
  }

  @Test
  void inMemoryBudget_onePeerExhausted_anotherStillHasItsOwn() {
    RateLimiter budgets = InMemoryRateLimiter.create(
        RateLimitPolicy.builder(new BucketSpec(0.001, 3), new BucketSpec(0.001, 3)).build(), () -> 0L);
    RateKey flooder = new RateKey(PeerLimit.peerKey(new InetSocketAddress("10.0.0.1", 1)), null);
    RateKey other = new RateKey(PeerLimit.peerKey(new InetSocketAddress("10.0.0.2", 1)), null);
    for (int i = 0; i < 3; i++) {
      assertThat(budgets.acquire(flooder, 1).allowed()).isTrue();
    }
    assertThat(budgets.acquire(flooder, 1).allowed()).isFalse();
    assertThat(budgets.acquire(other, 1).allowed()).isTrue();
  }
}
