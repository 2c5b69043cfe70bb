package dev.ocrgate.server.auth.issuer;

import dev.ocrgate.api.v1.AuthServiceGrpc;
import dev.ocrgate.api.v1.GetJwksRequest;
import dev.ocrgate.api.v1.GetJwksResponse;
import dev.ocrgate.api.v1.IssueTokenRequest;
import dev.ocrgate.api.v1.RefreshTokenRequest;
import dev.ocrgate.api.v1.RevokeTokenRequest;
import dev.ocrgate.api.v1.RevokeTokenResponse;
import dev.ocrgate.api.v1.TokenResponse;
import dev.ocrgate.server.auth.Principal;
import dev.ocrgate.server.auth.RevocationStore;
import dev.ocrgate.server.auth.RevocationStore.StoreUnavailableException;
import io.grpc.Status;
import io.grpc.StatusException;
import io.grpc.stub.StreamObserver;
import java.time.Clock;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gRPC face of the built-in issuer: IssueToken and RefreshToken ({@link TokenIssuer}),
 * RevokeToken and GetJwks. RevokeToken's scope ({@value #ADMIN_SCOPE}) is enforced by the auth
 * interceptor's method policy and checked again here, so a deployment that forgot the policy does
 * not open revocation to everyone.
 *
 * <p>Thread-safe; built with {@link Issuers}.
 */
public final class AuthServiceImpl extends AuthServiceGrpc.AuthServiceImplBase {
  /** The scope RevokeToken needs. */
  public static final String ADMIN_SCOPE = "ocr:admin";
  private static final Logger log = LoggerFactory.getLogger(AuthServiceImpl.class);
  private static final int MAX_ID_CHARS = 256;

  private final TokenIssuer issuer;
  private final Supplier<KeyRing> keys;
  private final RevocationStore revocations;
  private final IssuerSettings settings;
  private final Clock clock;

  AuthServiceImpl(TokenIssuer issuer, Supplier<KeyRing> keys, RevocationStore revocations,
      IssuerSettings settings, Clock clock) {
    this.issuer = issuer;
    this.keys = keys;
    this.revocations = revocations;
    this.settings = settings;
    this.clock = clock;
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
    Principal caller = Principal.current();
    if (caller == null || !caller.hasScope(ADMIN_SCOPE)) {
      out.onError(Status.PERMISSION_DENIED.withDescription("missing scope " + ADMIN_SCOPE).asException());
      return;
    }
    try {
      switch (request.getTargetCase()) {
        case JTI:
          requireId(request.getJti());
          // The jti's own exp is unknown here: keep it for the longest lifetime a token of ours has.
          revocations.revokeJti(request.getJti(), clock.instant().plus(settings.accessTtl()).plus(settings.clockSkew()));
          log.info("revoked jti={} by sub={}", request.getJti(), caller.subject());
          break;
        case SUBJECT:
          requireId(request.getSubject());
          revocations.revokeSubjectBefore(request.getSubject(), clock.instant(), settings.revocationRetention());
          log.info("revoked every token of sub={} issued before now, by sub={}", request.getSubject(), caller.subject());
          break;
        default:
          throw Status.INVALID_ARGUMENT.withDescription("jti or subject required").asException();
      }
      reply(out, RevokeTokenResponse.getDefaultInstance());
    } catch (StatusException e) {
      out.onError(e);
    } catch (StoreUnavailableException e) {
      log.warn("revocation not stored: {}", e.getMessage());
      out.onError(Status.UNAVAILABLE.withDescription("revocation store unavailable").asException());
    }
  }

  @Override
  public void getJwks(GetJwksRequest request, StreamObserver<GetJwksResponse> out) {
    reply(out, GetJwksResponse.newBuilder().setJwksJson(keys.get().jwksJson()).build());
  }

  private static void requireId(String id) throws StatusException {
    if (id.isEmpty() || id.length() > MAX_ID_CHARS) {
      throw Status.INVALID_ARGUMENT.withDescription("jti or subject must be 1..256 characters").asException();
    }
  }

  private static <T> void reply(StreamObserver<T> out, T value) {
    out.onNext(value);
    out.onCompleted();
  }
}
