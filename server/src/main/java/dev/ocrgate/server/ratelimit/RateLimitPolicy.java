package dev.ocrgate.server.ratelimit;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What calls cost and how big the buckets are: one shape for every subject, a default shape for
 * tenants with per-tenant overrides, a cost per gRPC method (full name, e.g.
 * {@code ocrgate.v1.OcrService/Recognize}), a default cost, and the cost of one stream frame.
 * Immutable; built with {@link #builder}.
 */
public final class RateLimitPolicy {
  private final BucketSpec subject;
  private final BucketSpec tenant;
  private final Map<String, BucketSpec> tenantOverrides;
  private final Map<String, Long> methodCosts;
  private final long defaultCost;
  private final long frameCost;

  private RateLimitPolicy(Builder b) {
    this.subject = b.subject;
    this.tenant = b.tenant;
    this.tenantOverrides = Map.copyOf(b.tenantOverrides);
    this.methodCosts = Map.copyOf(b.methodCosts);
    this.defaultCost = b.defaultCost;
    this.frameCost = b.frameCost;
  }

  public static Builder builder(BucketSpec subject, BucketSpec tenant) {
    return new Builder(subject, tenant);
  }

  public BucketSpec subjectSpec() {
    return subject;
  }

  /** The bucket shape of {@code tenantId}: its override, else the tenant default. */
  public BucketSpec tenantSpec(String tenantId) {
    return tenantOverrides.getOrDefault(tenantId, tenant);
  }

  /** The longest time any tenant bucket takes to refill from empty, nanoseconds. */
  long longestTenantRefillNanos() {
    long max = tenant.refillNanos();
    for (BucketSpec s : tenantOverrides.values()) {
      max = Math.max(max, s.refillNanos());
    }
    return max;
  }

  /** Tokens a call of {@code fullMethodName} costs at its start; 0 = free. */
  public long costOf(String fullMethodName) {
    return methodCosts.getOrDefault(fullMethodName, defaultCost);
  }

  /** Tokens each frame of a stream costs; 0 = frames are free. */
  public long frameCost() {
    return frameCost;
  }

  /** Validates as it goes; every cost must fit in the smallest burst it meets. */
  public static final class Builder {
    private final BucketSpec subject;
    private final BucketSpec tenant;
    private final Map<String, BucketSpec> tenantOverrides = new HashMap<>();
    private final Map<String, Long> methodCosts = new HashMap<>();
    private long defaultCost = 1;
    private long frameCost = 1;

    private Builder(BucketSpec subject, BucketSpec tenant) {
      this.subject = Objects.requireNonNull(subject, "subject");
      this.tenant = Objects.requireNonNull(tenant, "tenant");
    }

    public Builder tenant(String tenantId, BucketSpec spec) {
      tenantOverrides.put(Objects.requireNonNull(tenantId, "tenantId"), Objects.requireNonNull(spec, "spec"));
      return this;
    }

    /** The cost of one method (0 = free, e.g. health checks). */
    public Builder methodCost(String fullMethodName, long cost) {
      methodCosts.put(fullMethodName, checkCost("cost of " + fullMethodName, cost));
      return this;
    }

    /** The cost of methods without their own. Default 1. */
    public Builder defaultCost(long cost) {
      this.defaultCost = checkCost("default_cost", cost);
      return this;
    }

    /** The cost of one stream frame. Default 1. */
    public Builder frameCost(long cost) {
      this.frameCost = checkCost("frame_cost", cost);
      return this;
    }

    public RateLimitPolicy build() {
      long smallest = Math.min(subject.burst(), tenant.burst());
      for (BucketSpec s : tenantOverrides.values()) {
        smallest = Math.min(smallest, s.burst());
      }
      long biggest = Math.max(defaultCost, frameCost);
      for (long c : methodCosts.values()) {
        biggest = Math.max(biggest, c);
      }
      if (biggest > smallest) {
        throw new IllegalArgumentException(
            "a cost of " + biggest + " can never pass a bucket with burst " + smallest);
      }
      return new RateLimitPolicy(this);
    }

    private static long checkCost(String what, long cost) {
      if (cost < 0) {
        throw new IllegalArgumentException(what + " must be >= 0, got " + cost);
      }
      return cost;
    }
  }
}
