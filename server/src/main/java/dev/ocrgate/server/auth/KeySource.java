package dev.ocrgate.server.auth;

/**
 * Where verification keys come from (a secret, PEM files, a JWKS file, a JWKS URL). Implementations
 * are thread-safe and never block for longer than their documented timeout; they never follow a URL
 * found in a token.
 */
public interface KeySource extends AutoCloseable {
  /** The key with {@code kid} (null kid = a kid-less key), or null when unknown. */
  VerificationKey find(String kid);

  @Override
  default void close() {}
}
