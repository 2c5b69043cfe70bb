package dev.ocrgate.server.upstream;

import java.util.function.BooleanSupplier;
import java.util.function.IntSupplier;

/**
 * What the upstream engine reports for metrics. Called from HTTP client threads; implementations
 * must be thread-safe and must not block. Labels are fixed by the engine: {@code outcome} is the
 * HTTP status code ({@code 200}, {@code 429}, …) or one of {@code timeout}, {@code connect},
 * {@code io}, {@code malformed}.
 */
public interface UpstreamListener {
  /** Records nothing. */
  UpstreamListener NONE = new UpstreamListener() {};

  /** One upstream exchange ended with {@code outcome} after {@code nanos}. */
  default void onExchange(String outcome, long nanos) {}

  /** One failed exchange ({@code outcome} as above, never {@code 200}). */
  default void onError(String outcome) {}

  /** Tokens reported in an answer's {@code usage}. */
  default void onTokens(long promptTokens, long completionTokens) {}

  /** Called once: requests in flight upstream, and whether the upstream answers its health probe. */
  default void register(IntSupplier inFlight, BooleanSupplier up) {}
}
