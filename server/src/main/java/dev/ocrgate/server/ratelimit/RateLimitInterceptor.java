package dev.ocrgate.server.ratelimit;

import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.StatusRuntimeException;

/**
 * Charges each call's cost (by method) to its subject's and tenant's buckets when it starts, and
 * installs a {@link FrameGate} for the call's stream frames. Runs after authentication (it reads
 * the identity the auth interceptor put in the Context through a {@link RateKeyResolver}); calls
 * without an identity are not metered here.
 *
 * <p>Over the limit: the call is closed with {@code RESOURCE_EXHAUSTED} and a
 * {@code google.rpc.RetryInfo} detail, before the service sees it. Thread-safe and stateless.
 */
public final class RateLimitInterceptor implements ServerInterceptor {
  private final RateLimiter limiter;
  private final RateLimitPolicy policy;
  private final RateKeyResolver resolver;
  private final RateLimitListener listener;
  private final RateLimiter framesLimiter;

  RateLimitInterceptor(RateLimiter limiter, RateLimitPolicy policy, RateKeyResolver resolver, RateLimitListener listener) {
    this.limiter = limiter;
    this.policy = policy;
    this.resolver = resolver;
    this.listener = listener;
    this.framesLimiter = new CountingLimiter(limiter, listener);
  }

  /** An interceptor charging {@code limiter} by {@code policy}, finding callers with {@code resolver}. */
  public static RateLimitInterceptor create(
      RateLimiter limiter, RateLimitPolicy policy, RateKeyResolver resolver, RateLimitListener listener) {
    return new RateLimitInterceptor(limiter, policy, resolver, listener);
  }

  @Override
  public <ReqT, RespT> ServerCall.Listener<ReqT> interceptCall(
      ServerCall<ReqT, RespT> call, Metadata headers, ServerCallHandler<ReqT, RespT> next) {
    RateKey key = resolver.resolve(headers);
    if (key == null) {
      return next.startCall(call, headers);
    }
    long cost = policy.costOf(call.getMethodDescriptor().getFullMethodName());
    if (cost > 0) {
      Decision d = limiter.acquire(key, cost);
      if (!d.allowed()) {
        listener.rateLimitRejected(d.limit());
        StatusRuntimeException e = RateLimitStatus.exhausted(d);
        call.close(e.getStatus(), e.getTrailers());
        return new ServerCall.Listener<>() {};
      }
    }
    FrameGate gate = FrameGate.of(framesLimiter, key, policy.frameCost());
    return Contexts.interceptCall(Context.current().withValue(FrameGate.KEY, gate), call, headers, next);
  }

  /** Counts frame denials in the same counter as call denials. */
  private record CountingLimiter(RateLimiter delegate, RateLimitListener listener) implements RateLimiter {
    @Override
    public Decision acquire(RateKey key, long cost) {
      Decision d = delegate.acquire(key, cost);
      if (!d.allowed()) {
        listener.rateLimitRejected(d.limit());
      }
      return d;
    }
  }
}
