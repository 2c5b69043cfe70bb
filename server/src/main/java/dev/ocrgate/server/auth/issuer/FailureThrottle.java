package dev.ocrgate.server.auth.issuer;

/**
 * Slows down secret guessing: after {@code maxFailures} failed attempts for one client id within
 * {@code window}, further attempts for that id are refused (RESOURCE_EXHAUSTED) until the window,
 * counted from the first failure, has passed. A success does not reset the count, so an attacker
 * cannot interleave the real client's successes to keep guessing.
 *
 * <p>Two implementations with the same semantics: {@link InMemoryFailureThrottle} for one node,
 * {@link RedisFailureThrottle} shared by every replica (so spreading the guesses over N replicas
 * gains nothing), which falls back to counting per replica while Redis is unreachable.
 *
 * <p>Implementations are thread-safe and never throw for a store outage: the issuer keeps
 * answering wrong secrets with UNAUTHENTICATED.
 */
public interface FailureThrottle {
  /** True when {@code clientId} has used up its failures for now. */
  boolean blocked(String clientId);

  /** Counts one failed attempt (the window starts at the first). */
  void recordFailure(String clientId);
}
