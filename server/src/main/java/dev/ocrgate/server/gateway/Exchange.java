package dev.ocrgate.server.gateway;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * One received HTTP request (head and whole body, already within the limits) and the one answer
 * it gets. {@link #respond} may be called from any thread, once; later calls are ignored. The body
 * belongs to the exchange and is released after the answer is written (handlers that read it
 * asynchronously copy what they need first).
 *
 * <p>Thread safety: the request fields are immutable; {@link #respond} and {@link #onAbandoned}
 * are safe from any thread.
 */
final class Exchange {
  private final HttpMethod method;
  private final String path;
  private final Map<String, List<String>> query;
  private final HttpHeaders headers;
  private final ByteBuf body;
  private final InetSocketAddress peer;
  private final Consumer<FullHttpResponse> writer;
  private final AtomicBoolean answered = new AtomicBoolean();
  private volatile Runnable abandon = () -> {};

  Exchange(HttpMethod method, String uri, HttpHeaders headers, ByteBuf body, InetSocketAddress peer,
      Consumer<FullHttpResponse> writer) {
    this.method = method;
    QueryStringDecoder decoded = new QueryStringDecoder(uri);
    this.path = decoded.path();
    this.query = decoded.parameters();
    this.headers = headers;
    this.body = body;
    this.peer = peer;
    this.writer = writer;
  }

  HttpMethod method() {
    return method;
  }

  /** The decoded path, without the query. */
  String path() {
    return path;
  }

  /** The first value of query parameter {@code name}, or null. */
  String queryParameter(String name) {
    List<String> values = query.get(name);
    return values == null || values.isEmpty() ? null : values.get(0);
  }

  HttpHeaders headers() {
    return headers;
  }

  /** The whole body (read-only use; released after the answer). */
  ByteBuf body() {
    return body;
  }

  /** The accepted socket's remote address (never a client-sent header). */
  InetSocketAddress peer() {
    return peer;
  }

  /** Answers with {@code status}, {@code contentType} and {@code content}; security headers are added by the writer. */
  void respond(HttpResponseStatus status, String contentType, byte[] content, HttpHeaders extra) {
    FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, Unpooled.wrappedBuffer(content));
    if (extra != null) {
      r.headers().add(extra);
    }
    r.headers().set(HttpHeaderNames.CONTENT_TYPE, contentType);
    respond(r);
  }

  /** Answers with a built response; the first answer wins. */
  void respond(FullHttpResponse response) {
    if (answered.compareAndSet(false, true)) {
      writer.accept(response);
    } else {
      response.release();
    }
  }

  /** What to do when the connection closes before the answer (cancel the forwarded call). */
  void onAbandoned(Runnable task) {
    abandon = task;
  }

  /** Called by the connection when it closed with this exchange unanswered. */
  void abandoned() {
    if (answered.compareAndSet(false, true)) {
      abandon.run();
    }
  }
}
