package dev.ocrgate.client.testing;

import dev.ocrgate.api.v1.AuthServiceGrpc;
import dev.ocrgate.api.v1.IssueTokenRequest;
import dev.ocrgate.api.v1.RefreshTokenRequest;
import dev.ocrgate.api.v1.TokenResponse;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A test AuthService: one client ("backend" / "s3cret"); access tokens from a
 * {@link TokenAuthority}; opaque single-use refresh tokens. Thread-safe.
 */
public final class TestAuthService extends AuthServiceGrpc.AuthServiceImplBase {
  public static final String CLIENT_ID = "backend";
  public static final String CLIENT_SECRET = "s3cret";

  private final TokenAuthority authority;
  private final Duration accessLifetime;
  private final Set<String> liveRefreshTokens = ConcurrentHashMap.newKeySet();
  public final AtomicInteger issued = new AtomicInteger();
  public final AtomicInteger refreshed = new AtomicInteger();
  public final AtomicInteger refreshRejected = new AtomicInteger();

  public TestAuthService(TokenAuthority authority, Duration accessLifetime) {
    this.authority = authority;
    this.accessLifetime = accessLifetime;
  }

  @Override
  public void issueToken(IssueTokenRequest request, StreamObserver<TokenResponse> out) {
    if (!CLIENT_ID.equals(request.getClientId()) || !CLIENT_SECRET.equals(request.getClientSecret())) {
      out.onError(Status.UNAUTHENTICATED.withDescription("bad client credentials").asRuntimeException());
      return;
    }
    issued.incrementAndGet();
    out.onNext(tokens());
    out.onCompleted();
  }

  @Override
  public void refreshToken(RefreshTokenRequest request, StreamObserver<TokenResponse> out) {
    if (!liveRefreshTokens.remove(request.getRefreshToken())) {
      refreshRejected.incrementAndGet();
      out.onError(Status.UNAUTHENTICATED.withDescription("refresh token not valid").asRuntimeException());
      return;
    }
    refreshed.incrementAndGet();
    out.onNext(tokens());
    out.onCompleted();
  }

  private TokenResponse tokens() {
    String refresh = UUID.randomUUID().toString();
    liveRefreshTokens.add(refresh);
    return TokenResponse.newBuilder()
        .setAccessToken(authority.mint(accessLifetime))
        .setTokenType("Bearer")
        .setExpiresIn((int) accessLifetime.toSeconds())
        .setRefreshToken(refresh)
        .setRefreshExpiresIn(3600)
        .build();
  }
}
