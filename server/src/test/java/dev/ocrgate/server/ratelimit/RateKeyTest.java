package dev.ocrgate.server.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RateKeyTest {
  @Test
  void buckets_plainNames_keepTheRedisKeyFormat() {
    RateKey key = new RateKey("a", "acme");
    assertThat(key.subjectBucket()).isEqualTo("rl:{acme}:s:a");
    assertThat(key.tenantBucket()).isEqualTo("rl:{acme}:t");
    assertThat(new RateKey("a", null).subjectBucket()).isEqualTo("rl:{s:a}");
    assertThat(new RateKey("a", null).tenantBucket()).isNull();
  }

  @Test
  void buckets_sameSubjectInTwoTenants_differ() {
    assertThat(new RateKey("alice", "acme").subjectBucket())
        .isNotEqualTo(new RateKey("alice", "other").subjectBucket())
        .isNotEqualTo(new RateKey("alice", null).subjectBucket());
  }

  @Test
  void buckets_craftedNames_cannotSpellAnotherKeyOrSplitTheHashTag() {
    // unescaped, subject "x}:t" of tenant "a" would be "rl:{a}:s:x}:t", which is also tenant
    // "a}:s:x"'s bucket; and a brace in a name would end the hash tag early
    List<RateKey> keys = List.of(new RateKey("x}:t", "a"), new RateKey("y", "a}:s:x"),
        new RateKey("s:b", null), new RateKey("b", "s"), new RateKey("b}", null),
        new RateKey("%7D", "a"), new RateKey("}", "a"));
    Set<String> names = new HashSet<>();
    for (RateKey k : keys) {
      assertThat(names.add(k.subjectBucket())).as(k.toString()).isTrue();
      assertThat(hashTagIsWholeName(k.subjectBucket())).as(k.subjectBucket()).isTrue();
    }
    Set<String> tenants = new HashSet<>();
    for (RateKey k : keys) {
      if (k.tenantBucket() != null && tenants.add(k.tenantBucket())) {
        assertThat(names.add(k.tenantBucket())).as(k.tenantBucket()).isTrue();
      }
    }
  }

  /** The key has exactly one '{' and one '}', the tag opening right after "rl:". */
  private static boolean hashTagIsWholeName(String key) {
    return key.startsWith("rl:{") && key.indexOf('{', 4) < 0 && key.indexOf('}') == key.lastIndexOf('}');
  }
}
