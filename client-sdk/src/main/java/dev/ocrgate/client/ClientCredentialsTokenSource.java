package dev.ocrgate.client;

import dev.ocrgate.api.v1.AuthServiceGrpc;
import dev.ocrgate.api.v1.IssueTokenRequest;
import dev.ocrgate.api.v1.RefreshTokenRequest;
import dev.ocrgate.api.v1.TokenResponse;
import io.grpc.Channel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The OAuth 2.0 client-credentials grant against ocrgate's {@code AuthService}: the first token
 * comes from {@code IssueToken}; later ones from {@code RefreshToken} with the single-use refresh
 * token of the previous answer while it is valid, falling back to {@code IssueToken} when the
 * refresh token is expired or refused. {@code IssueToken} and {@code RefreshToken} are public
 * methods, so they are called without a bearer token.
 *
 * <p>Thread safety: {@link #fetch} is synchronized (a refresh token must be used once only).
 * Status descriptions from the auth service are short fixed texts, never the secret; this class
 * never puts the secret or a token into an exception message.
 */
final class ClientCredentialsTokenSource implements TokenSource {
  static final long CALL_TIMEOUT_SECONDS = 10;

  private final Channel channel; // null until bound to the client's channel
  private final String clientId;
  private final String clientSecret;
  private final List<String> scopes;
  private final Clock clock;
  // @GuardedBy("this")
  private String refreshToken;
  // @GuardedBy("this")
  private Instant refreshExpiresAt = Instant.MIN;

  ClientCredentialsTokenSource(
      Channel channel, String clientId, String clientSecret, List<String> scopes, Clock clock) {
    this.channel = channel;
    this.clientId = clientId;
    this.clientSecret = clientSecret;
    this.scopes = List.copyOf(scopes);
    this.clock = clock;
  }

  /** This source, talking to {@code clientChannel} if it was made without a channel of its own. */
  ClientCredentialsTokenSource boundTo(Channel clientChannel, Clock clientClock) {
    return channel != null ? this : new ClientCredentialsTokenSource(clientChannel, clientId, clientSecret, scopes, clientClock);
  }

  @Override
  public synchronized AccessToken fetch() throws IOException {
    if (channel == null) {
      throw new IllegalStateException("client-credentials source used outside an OcrClient");
    }
    AuthServiceGrpc.AuthServiceBlockingStub stub =
        AuthServiceGrpc.newBlockingStub(channel).withDeadlineAfter(CALL_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    Instant now = clock.instant();
    TokenResponse response = null;
    if (refreshToken != null && now.isBefore(refreshExpiresAt)) {
      response = tryRefresh(stub);
    }
    if (response == null) {
      response = issue(stub);
    }
    if (!response.getRefreshToken().isEmpty()) {
      refreshToken = response.getRefreshToken();
      refreshExpiresAt = now.plusSeconds(response.getRefreshExpiresIn());
    } else {
      refreshToken = null;
    }
    try {
      return AccessToken.of(response.getAccessToken(), now.plusSeconds(response.getExpiresIn()));
    } catch (IllegalArgumentException e) {
      throw new IOException("the auth service returned no usable access token");
    }
  }

  private TokenResponse tryRefresh(AuthServiceGrpc.AuthServiceBlockingStub stub) throws IOException {
    String presented = refreshToken;
    refreshToken = null; // single use, whatever happens
    try {
      return stub.refreshToken(RefreshTokenRequest.newBuilder().setRefreshToken(presented).addAllScopes(scopes).build());
    } catch (StatusRuntimeException e) {
      if (transientFailure(e.getStatus())) {
        throw failure("RefreshToken", e);
      }
      return null; // expired, used or revoked: start a new grant
    }
  }

  private TokenResponse issue(AuthServiceGrpc.AuthServiceBlockingStub stub) throws IOException {
    try {
      return stub.issueToken(
          IssueTokenRequest.newBuilder()
              .setClientId(clientId)
              .setClientSecret(clientSecret)
              .addAllScopes(scopes)
              .build());
    } catch (StatusRuntimeException e) {
      throw failure("IssueToken", e);
    }
  }

  private static boolean transientFailure(Status status) {
    return status.getCode() == Status.Code.UNAVAILABLE
        || status.getCode() == Status.Code.DEADLINE_EXCEEDED
        || status.getCode() == Status.Code.RESOURCE_EXHAUSTED;
  }

  private static IOException failure(String method, StatusRuntimeException e) {
    Status s = e.getStatus();
    return new IOException(
        "AuthService." + method + " failed: " + s.getCode()
            + (s.getDescription() == null ? "" : " (" + s.getDescription() + ")"));
  }

  @Override
  public String toString() {
    return "ClientCredentialsTokenSource[client_id=" + clientId + "]";
  }
}
