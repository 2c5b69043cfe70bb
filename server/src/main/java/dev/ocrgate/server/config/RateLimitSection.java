package dev.ocrgate.server.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Token-bucket rate limits per subject and per tenant (the {@code rate_limit:} section). Buckets
 * live in Redis when {@code redis.url} is set (shared by replicas, failing open if Redis is down),
 * otherwise in memory.
 */
public final class RateLimitSection {
  /** Meter authenticated calls. Default false. */
  @JsonProperty public boolean enabled = false;
  /** Every subject's bucket. Default 20 tokens/s, burst 40. */
  @JsonProperty public Bucket subject = new Bucket(20, 40);
  /** Every tenant's bucket (shared by its subjects) unless overridden. Default 100/s, burst 200. */
  @JsonProperty public Bucket tenant = new Bucket(100, 200);
  /** Per-tenant overrides of {@link #tenant}, by tenant id. Default none. */
  @JsonProperty public Map<String, Bucket> tenants = new LinkedHashMap<>();
  /** Tokens per call by full method name ({@code ocrgate.v1.OcrService/Recognize}); 0 = free. */
  @JsonProperty
  public Map<String, Long> method_costs = new LinkedHashMap<>(Map.of("ocrgate.v1.OcrService/StreamFrames", 0L));
  /** Tokens for a method not in {@link #method_costs}. Default 1. */
  @JsonProperty public long default_cost = 1;
  /** Tokens per StreamFrames frame. Default 1. */
  @JsonProperty public long frame_cost = 1;

  /** A bucket's shape. */
  public static final class Bucket {
    /** Refill, tokens per second, &gt; 0. */
    @JsonProperty public double rate_per_second;
    /** Capacity, tokens, &ge; 1. */
    @JsonProperty public long burst;

    public Bucket() {}

    public Bucket(double ratePerSecond, long burst) {
      this.rate_per_second = ratePerSecond;
      this.burst = burst;
    }
  }
}
