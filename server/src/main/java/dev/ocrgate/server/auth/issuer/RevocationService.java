package dev.ocrgate.server.auth.issuer;

import dev.ocrgate.api.v1.AuthServiceGrpc;
import dev.ocrgate.api.v1.RevokeTokenRequest;
import dev.ocrgate.api.v1.RevokeTokenResponse;
import dev.ocrgate.server.auth.Principal;
import dev.ocrgate.server.auth.RevocationStore.StoreUnavailableException;
import io.grpc.Status;
import io.grpc.StatusException;
import io.grpc.stub.StreamObserver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * AuthService with RevokeToken only, for servers that authenticate calls without the built-in
 * issuer (tokens from an external identity provider or {@code ocrgate token}): revocation must not
 * depend on who minted the tokens. The other methods answer UNIMPLEMENTED.
 *
 * <p>Thread-safe; built with {@link Issuers#revocationService}.
 */
public final class RevocationService extends AuthServiceGrpc.AuthServiceImplBase {
  private static final Logger log = LoggerFactory.getLogger(RevocationService.class);

  private final Revoker revoker;

  RevocationService(Revoker revoker) {
    this.revoker = revoker;
  }

  @Override
  public void revokeToken(RevokeTokenRequest request, StreamObserver<RevokeTokenResponse> out) {
    revoke(revoker, request, out);
  }

  /** RevokeToken for the caller of the current call, answered on {@code out}. */
  static void revoke(Revoker revoker, RevokeTokenRequest request, StreamObserver<RevokeTokenResponse> out) {
    try {
      revoker.revoke(Principal.current(), request);
      out.onNext(RevokeTokenResponse.getDefaultInstance());
      out.onCompleted();
    } catch (StatusException e) {
      out.onError(e);
    } catch (StoreUnavailableException e) {
      log.warn("revocation not stored: {}", e.getMessage());
      out.onError(Status.UNAVAILABLE.withDescription("revocation store unavailable").asException());
    }
  }
}
