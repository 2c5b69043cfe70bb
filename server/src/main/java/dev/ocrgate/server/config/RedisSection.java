package dev.ocrgate.server.config;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The Redis server holding state shared by replicas (the {@code redis:} section): revoked tokens,
 * rate-limit buckets and refresh tokens. Unset = every store is in-memory (one node).
 */
public final class RedisSection {
  /**
   * {@code redis://host:port[/db]} or {@code rediss://} for TLS. Default none (in-memory state).
   * Prefer no password in the URL (it would be printed by {@code config check}); use Redis ACLs on
   * a private network.
   */
  @JsonProperty public String url;
  /** Bound on connecting and on every command, milliseconds. Default 500. */
  @JsonProperty public int timeout_ms = 500;

  /** True when a Redis URL is configured. */
  public boolean enabled() {
    return url != null && !url.isBlank();
  }

  /** Throws {@link ConfigException} naming the first bad key. */
  public void validate() {
    if (timeout_ms < 1 || timeout_ms > 60_000) {
      throw new ConfigException("redis.timeout_ms must be in [1, 60000], got " + timeout_ms);
    }
    if (enabled() && !(url.startsWith("redis://") || url.startsWith("rediss://"))) {
      throw new ConfigException("redis.url must start with redis:// or rediss://");
    }
  }
}
