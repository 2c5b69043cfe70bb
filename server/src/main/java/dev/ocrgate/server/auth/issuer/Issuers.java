package dev.ocrgate.server.auth.issuer;

import dev.ocrgate.server.auth.RevocationStore;
import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.function.Supplier;

/** Static factories for the issuer's pieces (the service, its key ring) and the issuer-less revocation service. */
public final class Issuers {
  private Issuers() {}

  /**
   * The AuthService, behind its per-peer budget.
   *
   * @param keys the key ring to sign with, e.g. {@link #reloadingKeyRing}
   * @param throttle the failed-secret throttle, built for {@code settings}' max failures and window
   *     (in memory or in Redis, like the stores)
   * @param gate the global bound on concurrent secret hashing
   * @param peerLimit the per-peer budget of IssueToken and RefreshToken calls
   * @param revoker serves RevokeToken, on {@code revocations}
   */
  public static ServerServiceDefinition authService(ClientRegistry clients, Supplier<KeyRing> keys,
      RefreshTokenStore refreshTokens, RevocationStore revocations, FailureThrottle throttle, SecretCheckGate gate,
      PeerLimit peerLimit, IssuerSettings settings, Revoker revoker, Clock clock) {
    TokenIssuer issuer = new TokenIssuer(clients, keys, refreshTokens, revocations, throttle, gate, settings, clock);
    return ServerInterceptors.intercept(new AuthServiceImpl(issuer, keys, revoker), peerLimit);
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
