package dev.ocrgate.server.http;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;

/**
 * A response body of the JDK's HTTP client read into memory up to a limit: past it the
 * subscription is cancelled (the connection is dropped) and the body completes with an
 * {@link IOException}, so a remote server (a JWKS URL, an inference upstream, or anything posing as
 * one) cannot make this server buffer without bound. The one such rule for every outbound fetch.
 *
 * <p>Flow: the HTTP client calls the subscriber methods one at a time (reactive-streams rule
 * 1.3), so {@code buffer} needs no lock.
 */
public final class LimitedBody implements HttpResponse.BodySubscriber<byte[]> {
  private final int limit;
  private final CompletableFuture<byte[]> result = new CompletableFuture<>();
  private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();
  private Flow.Subscription subscription;

  private LimitedBody(int limit) {
    this.limit = limit;
  }

  /** A handler whose bodies fail past {@code limit} bytes. */
  public static HttpResponse.BodyHandler<byte[]> handler(int limit) {
    return info -> new LimitedBody(limit);
  }

  @Override
  public CompletionStage<byte[]> getBody() {
    return result;
  }

  @Override
  public void onSubscribe(Flow.Subscription s) {
    subscription = s;
    s.request(Long.MAX_VALUE);
  }

  @Override
  public void onNext(List<ByteBuffer> items) {
    for (ByteBuffer b : items) {
      if (result.isDone()) {
        return; // over the limit already: the rest is dropped, not kept
      }
      if (buffer.size() + (long) b.remaining() > limit) {
        subscription.cancel();
        result.completeExceptionally(new IOException("response body larger than " + limit + " bytes"));
        return;
      }
      byte[] chunk = new byte[b.remaining()];
      b.get(chunk);
      buffer.writeBytes(chunk);
    }
  }

  @Override
  public void onError(Throwable t) {
    result.completeExceptionally(t);
  }

  @Override
  public void onComplete() {
    result.complete(buffer.toByteArray());
  }
}
