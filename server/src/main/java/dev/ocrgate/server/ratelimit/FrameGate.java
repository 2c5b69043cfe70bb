package dev.ocrgate.server.ratelimit;

import io.grpc.Context;

/**
 * The per-frame hook of a stream: the stream handler calls {@link #admitFrame} for every frame it
 * receives and, on a denial, ends the stream with {@link RateLimitStatus#exhausted} (or waits the
 * decision's retry delay before requesting the next frame) — a frame is never dropped silently.
 *
 * <p>{@link RateLimitInterceptor} installs the gate of the calling subject/tenant in the call's
 * Context; {@link #current} returns it, or {@link #UNLIMITED} when rate limiting is off. Call-scoped:
 * do not keep a gate beyond its call. Thread-safe.
 */
public final class FrameGate {
  /** The gate of the current call. */
  public static final Context.Key<FrameGate> KEY = Context.key("dev.ocrgate.server.ratelimit.FrameGate");

  /** A gate that admits every frame. */
  public static final FrameGate UNLIMITED = new FrameGate(null, null, 0);

  private final RateLimiter limiter;
  private final RateKey key;
  private final long frameCost;

  private FrameGate(RateLimiter limiter, RateKey key, long frameCost) {
    this.limiter = limiter;
    this.key = key;
    this.frameCost = frameCost;
  }

  static FrameGate of(RateLimiter limiter, RateKey key, long frameCost) {
    return frameCost == 0 ? UNLIMITED : new FrameGate(limiter, key, frameCost);
  }

  /** The gate of the current call's Context, or {@link #UNLIMITED}. */
  public static FrameGate current() {
    FrameGate g = KEY.get();
    return g == null ? UNLIMITED : g;
  }

  /** Charges one frame to the caller's buckets. */
  public Decision admitFrame() {
    return limiter == null ? Decision.ALLOW : limiter.acquire(key, frameCost);
  }
}
