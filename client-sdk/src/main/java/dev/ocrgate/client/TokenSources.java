package dev.ocrgate.client;

import io.grpc.Channel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * The {@link TokenSource}s of the SDK. Hand one to {@link OcrClient.Builder#tokenSource}; the
 * client caches and refreshes tokens itself.
 */
public final class TokenSources {
  /** Longest lifetime {@link #serviceAccount} mints: 1 hour. */
  public static final Duration MAX_SERVICE_ACCOUNT_LIFETIME = Duration.ofHours(1);

  private TokenSources() {}

  /**
   * Always the same token (e.g. from an environment variable). It cannot be renewed: once the
   * server rejects it, calls fail with UNAUTHENTICATED.
   *
   * @throws IllegalArgumentException if it is blank or holds whitespace
   */
  public static TokenSource staticToken(String token) {
    AccessToken t = AccessToken.of(token, JwtExpiry.of(token));
    return () -> t;
  }

  /**
   * A token read from {@code file} (trimmed), re-read whenever the file changes (modification time
   * or size), checked ahead of the token's expiry, every 30 s if it is not a JWT, and after the
   * server rejected it.
   *
   * @throws IllegalArgumentException if the file is not readable now
   */
  public static TokenSource file(Path file) {
    Objects.requireNonNull(file, "file");
    if (!Files.isReadable(file)) {
      throw new IllegalArgumentException("token file " + file + " is not readable");
    }
    return new FileTokenSource(file);
  }

  /**
   * The client-credentials grant against {@code AuthService} on the client's own target
   * (IssueToken, then RefreshToken with the rotating refresh token).
   *
   * @param scopes scopes to ask for; none = every scope the client is allowed
   */
  public static TokenSource clientCredentials(String clientId, String clientSecret, String... scopes) {
    return clientCredentials(null, clientId, clientSecret, scopes);
  }

  /**
   * As {@link #clientCredentials(String, String, String...)}, against the {@code AuthService} of
   * {@code authChannel} (a separate issuer). The caller owns and closes that channel.
   */
  public static TokenSource clientCredentials(
      Channel authChannel, String clientId, String clientSecret, String... scopes) {
    requireText(clientId, "clientId");
    requireText(clientSecret, "clientSecret");
    return new ClientCredentialsTokenSource(
        authChannel, clientId, clientSecret, List.of(scopes), Clock.systemUTC());
  }

  /**
   * Self-signed service-account JWTs, signed with the PKCS#8 PEM private key in {@code keyPem}.
   *
   * @param keyId the {@code kid} under which the server knows the public key
   * @param account the service account ({@code iss} and {@code sub})
   * @param audience the {@code aud} the server expects
   * @param lifetime each token's lifetime, in (0, 1 h]
   * @throws IOException if the key cannot be read
   */
  public static TokenSource serviceAccount(
      Path keyPem, String keyId, String account, String audience, Duration lifetime, String... scopes)
      throws IOException {
    return serviceAccount(PemKeys.privateKey(keyPem), keyId, account, audience, lifetime, scopes);
  }

  /** As {@link #serviceAccount(Path, String, String, String, Duration, String...)} with a key. */
  public static TokenSource serviceAccount(
      PrivateKey key, String keyId, String account, String audience, Duration lifetime, String... scopes) {
    return serviceAccount(key, keyId, account, audience, lifetime, List.of(scopes), Clock.systemUTC());
  }

  static TokenSource serviceAccount(
      PrivateKey key, String keyId, String account, String audience, Duration lifetime,
      List<String> scopes, Clock clock) {
    Objects.requireNonNull(key, "key");
    requireText(keyId, "keyId");
    requireText(account, "account");
    requireText(audience, "audience");
    if (lifetime.isNegative() || lifetime.isZero() || lifetime.compareTo(MAX_SERVICE_ACCOUNT_LIFETIME) > 0) {
      throw new IllegalArgumentException("lifetime must be in (0, 1h], was " + lifetime);
    }
    return new ServiceAccountTokenSource(key, keyId, account, audience, lifetime, scopes, clock);
  }

  private static void requireText(String value, String name) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException(name + " must not be blank");
    }
  }
}
