package dev.ocrgate.server.gateway;

import io.grpc.Status;
import io.netty.buffer.CompositeByteBuf;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.Future;
import java.net.InetSocketAddress;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * One connection's request reading, with every limit a peer meets before its request is handed
 * on: one request at a time (no pipelining), a permit of the server-wide request budget taken
 * when the head arrives (none left: 503 before the body is read), the body limit checked against
 * {@code Content-Length} before any body byte is read and against the bytes as they arrive (413;
 * the rest is read and dropped, never buffered, and the connection closes once the peer stops
 * sending, see {@link #linger}), and one read deadline: the connection has
 * {@code readTimeout} from opening, or from the previous answer, to deliver a whole request (else
 * it is closed, with 408 if a request had started). While a request is handled the connection
 * is still read, so that its close cancels the forwarded call; a pipelined request is dropped,
 * reading stops, and the connection closes after the answer.
 *
 * <p>Invariants: all state is touched on the channel's event loop only (answers written from
 * other threads hop onto it); at most one exchange is open; a permit is held exactly while an
 * exchange (or a request being read) is open and is released once; the body buffer is released
 * once the exchange is answered or the connection closes.
 */
final class RequestReader extends ChannelInboundHandlerAdapter {
  /** A refused connection is closed once the peer sent nothing for this long (see {@link #linger}). */
  private static final long LINGER_QUIET_NANOS = TimeUnit.SECONDS.toNanos(1);
  private final int maxBodyBytes;
  private final long readTimeoutNanos;
  private final Semaphore requestPermits;
  private final Consumer<Exchange> handler;

  private HttpRequest head;
  private CompositeByteBuf body;
  private boolean holdsPermit;
  private boolean discarding;
  /** A request arrived while one was open: close after answering the open one. */
  private boolean pipelined;
  private Exchange open;
  private Future<?> deadline;
  /** After a refusal: when the lingering close ends at the latest (nanoTime); 0 before. */
  private long lingerEnd;

  RequestReader(int maxBodyBytes, long readTimeoutNanos, Semaphore requestPermits, Consumer<Exchange> handler) {
    this.maxBodyBytes = maxBodyBytes;
    this.readTimeoutNanos = readTimeoutNanos;
    this.requestPermits = requestPermits;
    this.handler = handler;
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) throws Exception {
    armDeadline(ctx);
    super.channelActive(ctx);
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    try {
      if (discarding) {
        if (lingerEnd != 0) {
          lingerQuietly(ctx);
        }
        return; // after a refusal the connection is closing
      }
      if (open != null) {
        // Pipelining is not supported: the request is dropped and the connection closes after
        // the open answer. Reading stops (back-pressure) until then.
        pipelined = true;
        ctx.channel().config().setAutoRead(false);
        return;
      }
      if (msg instanceof HttpRequest request) {
        startRequest(ctx, request);
      }
      if (msg instanceof HttpContent content && head != null) {
        addContent(ctx, content);
      }
    } finally {
      ReferenceCountUtil.release(msg);
    }
  }

  private void startRequest(ChannelHandlerContext ctx, HttpRequest request) {
    DecoderResult result = request.decoderResult();
    if (result.isFailure()) {
      refuseUndecodable(ctx, result.cause());
      return;
    }
    if (!requestPermits.tryAcquire()) {
      DefaultHttpHeaders retry = new DefaultHttpHeaders();
      retry.set(HttpHeaderNames.RETRY_AFTER, "1");
      refuse(ctx, HttpErrors.response(HttpResponseStatus.SERVICE_UNAVAILABLE, Status.Code.UNAVAILABLE,
          "too many requests in progress", retry));
      return;
    }
    holdsPermit = true;
    long declared = HttpUtil.getContentLength(request, -1L);
    if (declared > maxBodyBytes) {
      refuseTooLarge(ctx);
      return;
    }
    if (HttpUtil.is100ContinueExpected(request)) {
      ctx.writeAndFlush(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.CONTINUE));
    }
    head = request;
    body = ctx.alloc().compositeBuffer(Integer.MAX_VALUE);
  }

  private void addContent(ChannelHandlerContext ctx, HttpContent content) {
    if (content.decoderResult().isFailure()) {
      refuseUndecodable(ctx, content.decoderResult().cause());
      return;
    }
    if ((long) body.readableBytes() + content.content().readableBytes() > maxBodyBytes) {
      refuseTooLarge(ctx);
      return;
    }
    if (content.content().isReadable()) {
      body.addComponent(true, content.content().retain());
    }
    if (content instanceof LastHttpContent) {
      dispatch(ctx);
    }
  }

  private void dispatch(ChannelHandlerContext ctx) {
    cancelDeadline();
    // Reading goes on while the request is handled, so that a client closing the connection is
    // seen at once and its forwarded call cancelled.
    HttpRequest request = head;
    boolean keepAlive = HttpUtil.isKeepAlive(request);
    head = null;
    open = new Exchange(request.method(), request.uri(), request.headers(), body,
        (InetSocketAddress) ctx.channel().remoteAddress(),
        response -> onEventLoop(ctx, response, keepAlive));
    handler.accept(open);
  }

  /** Hands an answer (from any thread) to the event loop; dropped when the loop has stopped. */
  private void onEventLoop(ChannelHandlerContext ctx, FullHttpResponse response, boolean keepAlive) {
    try {
      ctx.executor().execute(() -> answer(ctx, response, keepAlive));
    } catch (RejectedExecutionException e) {
      response.release(); // the port is closed: so is the connection
    }
  }

  /** Writes the open exchange's answer; on the event loop. */
  private void answer(ChannelHandlerContext ctx, FullHttpResponse response, boolean keepAlive) {
    open = null;
    // The permit goes back once the answer is written (or cannot be), so that a drain waiting for
    // every permit (HttpGateway.awaitTermination) never closes a connection under an answer.
    boolean permit = holdsPermit;
    holdsPermit = false;
    releaseRequest();
    if (!ctx.channel().isActive()) {
      response.release();
      returnPermit(permit);
      return;
    }
    HttpUtil.setContentLength(response, response.content().readableBytes());
    SecurityHeaders.addDefaults(response.headers());
    if (!keepAlive || pipelined) {
      response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
      ctx.writeAndFlush(response).addListener(written -> returnPermit(permit)).addListener(ChannelFutureListener.CLOSE);
      return;
    }
    ctx.writeAndFlush(response).addListener(written -> returnPermit(permit));
    armDeadline(ctx); // the next request, or the idle keep-alive, gets the same time
  }

  private void returnPermit(boolean held) {
    if (held) {
      requestPermits.release();
    }
  }

  private void refuseTooLarge(ChannelHandlerContext ctx) {
    refuse(ctx, HttpErrors.response(HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE, Status.Code.RESOURCE_EXHAUSTED,
        "request body larger than " + maxBodyBytes + " bytes", null));
  }

  /** A request the codec could not parse: 400, or 414/431/413 for a part over its limit. */
  private void refuseUndecodable(ChannelHandlerContext ctx, Throwable cause) {
    HttpResponseStatus status = decodeFailureStatus(cause);
    String message = switch (status.code()) {
      case 414 -> "request line too long";
      case 431 -> "request headers larger than the limit";
      case 413 -> "request body chunk too large";
      default -> "malformed HTTP request";
    };
    refuse(ctx, HttpErrors.response(status, status.code() == 400 ? Status.Code.INVALID_ARGUMENT
        : Status.Code.RESOURCE_EXHAUSTED, message, null));
  }

  /** Answers and closes; nothing more from the connection is handled (see {@link #linger}). */
  private void refuse(ChannelHandlerContext ctx, FullHttpResponse response) {
    discarding = true;
    head = null;
    releaseRequest();
    cancelDeadline();
    ctx.channel().config().setAutoRead(false);
    HttpUtil.setContentLength(response, response.content().readableBytes());
    SecurityHeaders.addDefaults(response.headers());
    response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
    ctx.writeAndFlush(response).addListener(f -> linger(ctx));
  }

  /**
   * Closes a refused connection once the peer has stopped sending: what still arrives is read and
   * dropped until nothing came for {@link #LINGER_QUIET_NANOS}, and for at most the read timeout.
   * Closing with unread bytes would make the kernel answer them with a reset, and a client still
   * uploading (a browser sending a too-large image) would lose the answer it was already sent.
   */
  private void linger(ChannelHandlerContext ctx) {
    if (!ctx.channel().isActive()) {
      return;
    }
    lingerEnd = System.nanoTime() + readTimeoutNanos;
    lingerQuietly(ctx);
    ctx.channel().config().setAutoRead(true);
    ctx.read();
  }

  /** (Re)arms the lingering close: after a quiet spell, or at the end of the lingering. */
  private void lingerQuietly(ChannelHandlerContext ctx) {
    cancelDeadline();
    long wait = Math.max(0, Math.min(LINGER_QUIET_NANOS, lingerEnd - System.nanoTime()));
    deadline = ctx.executor().schedule(() -> {
      ctx.close();
    }, wait, TimeUnit.NANOSECONDS);
  }

  private static HttpResponseStatus decodeFailureStatus(Throwable cause) {
    if (cause instanceof TooLongHttpHeaderException) {
      return HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE;
    }
    if (cause instanceof TooLongHttpLineException) {
      return HttpResponseStatus.REQUEST_URI_TOO_LONG;
    }
    return cause instanceof TooLongFrameException ? HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE : HttpResponseStatus.BAD_REQUEST;
  }

  private void armDeadline(ChannelHandlerContext ctx) {
    cancelDeadline();
    deadline = ctx.executor().schedule(() -> {
      if (open != null || discarding) {
        return; // handling a request is bounded by the forwarded call's deadline
      }
      if (head != null) {
        refuse(ctx, HttpErrors.response(HttpResponseStatus.REQUEST_TIMEOUT, Status.Code.DEADLINE_EXCEEDED,
            "request not received in time", null));
      } else {
        ctx.close();
      }
    }, readTimeoutNanos, TimeUnit.NANOSECONDS);
  }

  private void cancelDeadline() {
    if (deadline != null) {
      deadline.cancel(false);
      deadline = null;
    }
  }

  private void releaseRequest() {
    if (body != null) {
      body.release();
      body = null;
    }
    if (holdsPermit) {
      holdsPermit = false;
      requestPermits.release();
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    cancelDeadline();
    Exchange abandoned = open;
    open = null;
    if (abandoned != null) {
      abandoned.abandoned();
    }
    releaseRequest();
    super.channelInactive(ctx);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    ctx.close(); // TLS or socket errors: nothing useful to answer, nothing client-controlled to log
  }
}
