package dev.ocrgate.client;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

/**
 * The one place that decides whether a unary call is retried with a fresh credential, in the
 * manner of OkHttp's {@code Authenticator}: on UNAUTHENTICATED the token the call was sent with is
 * invalidated and the call is made again, at most {@link #MAX_AUTH_RETRIES} time. Any other status
 * — PERMISSION_DENIED in particular, which a new token of the same identity cannot fix — is
 * returned as it is. When the retry fails too, its status is what the caller sees.
 *
 * <p>Stateless; safe from any thread.
 */
final class AuthRetry {
  static final int MAX_AUTH_RETRIES = 1;

  private AuthRetry() {}

  /**
   * Runs {@code attempt} (which must put the holder it is given into the call's options under
   * {@link BearerCallCredentials#USED_TOKEN}) and retries it per the policy above.
   *
   * @param tokens the client's token cache, or null when the client sends no token (no retry)
   */
  static <R> R unary(CachingTokenSource tokens, Function<AtomicReference<AccessToken>, R> attempt) {
    for (int retries = 0; ; retries++) {
      AtomicReference<AccessToken> used = new AtomicReference<>();
      try {
        return attempt.apply(used);
      } catch (StatusRuntimeException e) {
        if (tokens == null || retries >= MAX_AUTH_RETRIES || !retryable(e.getStatus())) {
          throw e;
        }
        AccessToken rejected = used.get();
        if (rejected != null) {
          tokens.invalidate(rejected);
        }
      }
    }
  }

  /** UNAUTHENTICATED, unless it is our own refusal to send a token over plaintext. */
  static boolean retryable(Status status) {
    return status.getCode() == Status.Code.UNAUTHENTICATED
        && !BearerCallCredentials.INSECURE_REFUSED.equals(status.getDescription());
  }
}
