package dev.ocrgate.server.ratelimit;

import dev.ocrgate.server.redis.RedisKeys;
import java.util.Objects;

/**
 * Whose budget a call draws on: its subject's bucket and, when it has one, its tenant's bucket.
 *
 * <p>The one rule for naming buckets, used by every {@link RateLimiter}: a subject's bucket is
 * qualified by its tenant ({@code rl:{<tenant>}:s:<subject>}; {@code rl:{s:<subject>}} without a
 * tenant), so two tenants' subjects of the same name never share a bucket; a tenant's bucket is
 * {@code rl:{<tenant>}:t}. The braces are a Redis Cluster hash tag (a call's keys share one slot).
 * Names are escaped by {@link RedisKeys#escape} ({@code %}, {@code :}, braces) so that no choice of
 * subject or tenant can spell another pair's key or split the hash tag.
 *
 * @param subject the token's {@code sub}, never null
 * @param tenant the tenant claim, or null when the token carries none (then only the subject pays)
 */
public record RateKey(String subject, String tenant) {
  public RateKey {
    Objects.requireNonNull(subject, "subject");
  }

  /** The subject's bucket, qualified by the tenant. */
  public String subjectBucket() {
    return subjectBucket("rl");
  }

  /** The tenant's bucket; null when there is no tenant. */
  public String tenantBucket() {
    return tenantBucket("rl");
  }

  /** {@link #subjectBucket()} in another namespace than {@code rl} (a budget that must not share buckets). */
  public String subjectBucket(String namespace) {
    return tenant == null ? namespace + ":{s:" + escape(subject) + "}"
        : namespace + ":{" + escape(tenant) + "}:s:" + escape(subject);
  }

  /** {@link #tenantBucket()} in another namespace than {@code rl}. */
  public String tenantBucket(String namespace) {
    return tenant == null ? null : namespace + ":{" + escape(tenant) + "}:t";
  }

  private static String escape(String name) {
    return RedisKeys.escape(name);
  }
}
