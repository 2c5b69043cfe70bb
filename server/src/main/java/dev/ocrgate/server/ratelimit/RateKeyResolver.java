package dev.ocrgate.server.ratelimit;

import io.grpc.Metadata;

/**
 * Finds whose buckets a call draws on. Called inside the call's {@link io.grpc.Context}, i.e. after
 * the authentication interceptor has installed the caller's identity; returns null for calls
 * without one (public methods), which are not metered here.
 */
@FunctionalInterface
public interface RateKeyResolver {
  RateKey resolve(Metadata headers);
}
