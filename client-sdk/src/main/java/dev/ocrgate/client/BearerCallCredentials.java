package dev.ocrgate.client;

import io.grpc.CallCredentials;
import io.grpc.CallOptions;
import io.grpc.Metadata;
import io.grpc.SecurityLevel;
import io.grpc.Status;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Attaches {@code authorization: Bearer <token>} from the {@link CachingTokenSource} to every
 * call, and refuses to put a token on a connection that is not privacy- and integrity-protected
 * (plaintext) unless the client was built with {@code allowInsecureTokenTransport()}: the call
 * then fails with UNAUTHENTICATED before anything is sent.
 *
 * <p>Threading: {@link #applyRequestMetadata} runs on a transport thread and never blocks; when
 * the token is not cached it completes on the token executor. A call that carries a
 * {@link #USED_TOKEN} holder learns which token it was sent with, so that on UNAUTHENTICATED the
 * exact token can be invalidated (see {@link AuthRetry}).
 */
final class BearerCallCredentials extends CallCredentials {
  /** Per-call holder of the token attached to the call; call-scoped, never reused. */
  static final CallOptions.Key<AtomicReference<AccessToken>> USED_TOKEN =
      CallOptions.Key.create("dev.ocrgate.client.usedToken");

  static final Metadata.Key<String> AUTHORIZATION =
      Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);

  static final String INSECURE_REFUSED =
      "refusing to send a bearer token over a connection without TLS;"
          + " use TLS or OcrClient.Builder.allowInsecureTokenTransport()";
  static final String NO_TOKEN = "cannot obtain an access token";

  private final CachingTokenSource tokens;
  private final boolean allowInsecure;

  BearerCallCredentials(CachingTokenSource tokens, boolean allowInsecure) {
    this.tokens = tokens;
    this.allowInsecure = allowInsecure;
  }

  @Override
  public void applyRequestMetadata(RequestInfo info, Executor appExecutor, MetadataApplier applier) {
    if (info.getSecurityLevel() != SecurityLevel.PRIVACY_AND_INTEGRITY && !allowInsecure) {
      applier.fail(Status.UNAUTHENTICATED.withDescription(INSECURE_REFUSED));
      return;
    }
    AtomicReference<AccessToken> holder = usedTokenHolder(info);
    tokens
        .get()
        .whenComplete(
            (token, error) -> {
              if (error != null) {
                Throwable cause = error instanceof CompletionException ? error.getCause() : error;
                applier.fail(Status.UNAUTHENTICATED.withDescription(NO_TOKEN).withCause(cause));
                return;
              }
              if (holder != null) {
                holder.set(token);
              }
              Metadata headers = new Metadata();
              headers.put(AUTHORIZATION, "Bearer " + token.value());
              applier.apply(headers);
            });
  }

  private static AtomicReference<AccessToken> usedTokenHolder(RequestInfo info) {
    try {
      return info.getCallOptions().getOption(USED_TOKEN);
    } catch (UnsupportedOperationException e) {
      return null;
    }
  }
}
