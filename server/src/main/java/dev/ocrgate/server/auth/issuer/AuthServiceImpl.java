package dev.ocrgate.server.auth.issuer;

import dev.ocrgate.api.v1.AuthServiceGrpc;
import dev.ocrgate.api.v1.GetJwksRequest;
import dev.ocrgate.api.v1.GetJwksResponse;
import dev.ocrgate.api.v1.IssueTokenRequest;
import dev.ocrgate.api.v1.RefreshTokenRequest;
import dev.ocrgate.api.v1.RevokeTokenRequest;
import dev.ocrgate.api.v1.RevokeTokenResponse;
import dev.ocrgate.api.v1.TokenResponse;
import io.grpc.StatusException;
import io.grpc.stub.StreamObserver;
import java.util.function.Supplier;

/**
 * The gRPC face of the built-in issuer: IssueToken and RefreshToken ({@link TokenIssuer}),
 * RevokeToken ({@link Revoker}) and GetJwks. Without the issuer, {@link RevocationService} serves
 * RevokeToken alone.
 *
 * <p>Thread-safe; built with {@link Issuers}.
 */
public final class AuthServiceImpl extends AuthServiceGrpc.AuthServiceImplBase {
  private final TokenIssuer issuer;
  private final Supplier<KeyRing> keys;
  private final Revoker revoker;

  AuthServiceImpl(TokenIssuer issuer, Supplier<KeyRing> keys, Revoker revoker) {
    this.issuer = issuer;
    this.keys = keys;
    this.revoker = revoker;
  }

  @Override
  public void issueToken(IssueTokenRequest request, StreamObserver<TokenResponse> out) {
    try {
      reply(out, issuer.issue(request.getClientId(), request.getClientSecret(), request.getScopesList()));
    } catch (StatusException e) {
      out.onError(e);
    }
  }

  @Override
  public void refreshToken(RefreshTokenRequest request, StreamObserver<TokenResponse> out) {
    try {
      reply(out, issuer.refresh(request.getRefreshToken(), request.getScopesList()));
    } catch (StatusException e) {
      out.onError(e);
    }
  }

  @Override
  public void revokeToken(RevokeTokenRequest request, StreamObserver<RevokeTokenResponse> out) {
    RevocationService.revoke(revoker, request, out);
  }

  @Override
  public void getJwks(GetJwksRequest request, StreamObserver<GetJwksResponse> out) {
    reply(out, GetJwksResponse.newBuilder().setJwksJson(keys.get().jwksJson()).build());
  }

  private static <T> void reply(StreamObserver<T> out, T value) {
    out.onNext(value);
    out.onCompleted();
  }
}
