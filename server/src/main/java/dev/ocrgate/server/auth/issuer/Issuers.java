package dev.ocrgate.server.auth.issuer;

import dev.ocrgate.server.auth.RevocationStore;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.function.Supplier;

/** Static factories for the issuer's pieces (the service, its key ring) and the issuer-less revocation service. */
public final class Issuers {
  private Issuers() {}

  /**
   * The AuthService.
   *
   * @param keys the key ring to sign with, e.g. {@link #reloadingKeyRing}
   * @param throttle the failed-secret throttle, built for {@code settings}' max failures and window
   *     (in memory or in Redis, like the stores)
   * @param revoker serves RevokeToken, on {@code revocations}
   */
  public static AuthServiceImpl authService(ClientRegistry clients, Supplier<KeyRing> keys,
      RefreshTokenStore refreshTokens, RevocationStore revocations, FailureThrottle throttle,
      IssuerSettings settings, Revoker revoker, Clock clock) {
    TokenIssuer issuer = new TokenIssuer(clients, keys, refreshTokens, revocations, throttle, settings, clock);
    return new AuthServiceImpl(issuer, keys, revoker);
  }

  /** AuthService with RevokeToken alone, for a server that authenticates calls without the issuer. */
  public static RevocationService revocationService(Revoker revoker) {
    return new RevocationService(revoker);
  }

  /**
   * The key ring in {@code dir} (created with one {@code algorithm} key when absent), re-read
   * within a second after {@code ocrgate keys rotate} changes it.
   */
  public static Supplier<KeyRing> reloadingKeyRing(Path dir, String algorithm, Clock clock) throws IOException {
    KeyRing ring = KeyRing.ensure(dir, algorithm, clock);
    return new ReloadingKeyRing(dir, ring, clock, 1000);
  }
}
