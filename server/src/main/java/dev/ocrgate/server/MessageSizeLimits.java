package dev.ocrgate.server;

import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerStreamTracer;
import io.grpc.Status;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Request message size limits per method, enforced while the bytes arrive, before anything is
 * authenticated: the methods of the large-message services (OCR: images) accept messages up to
 * the server-wide limit, every other method (health, reflection, the token issuer) only small ones.
 *
 * <p>Why a stream tracer: grpc-java has one inbound message limit per server, checked against the
 * length prefix; below it the deframer collects a whole message before anyone sees it, and a
 * public method (health, reflection) asks for its message at once. So a 30 MiB health check is
 * buffered in full. The deframer reports every chunk of a message body it takes from the HTTP/2
 * stream to the stream's tracers ({@code inboundWireSize}), on the transport thread, before taking
 * the next chunk; throwing from there fails the stream at once with the thrown status
 * (RESOURCE_EXHAUSTED, like grpc-java's own limit), the stream is reset and its buffers released.
 * At most one flow-control window more than the limit is ever held for such a stream.
 *
 * <p>Compressed messages are counted on the wire, so a small compressed message could still
 * inflate to the server-wide limit while it is parsed; small-limit methods therefore refuse
 * compressed requests (UNIMPLEMENTED, as for an unsupported encoding) before asking for any
 * message, in {@link #interceptor()}.
 *
 * <p>Immutable; the tracers it creates keep one counter per stream.
 */
final class MessageSizeLimits extends ServerStreamTracer.Factory {
  private static final Metadata.Key<String> GRPC_ENCODING =
      Metadata.Key.of("grpc-encoding", Metadata.ASCII_STRING_MARSHALLER);
  private static final ServerStreamTracer UNLIMITED = new ServerStreamTracer() {};

  private final Set<String> largeMessageServices;
  private final int smallLimit;

  private MessageSizeLimits(Set<String> largeMessageServices, int smallLimit) {
    this.largeMessageServices = Set.copyOf(largeMessageServices);
    this.smallLimit = smallLimit;
  }

  /**
   * Methods of {@code largeMessageServices} keep the server-wide limit (set on the server
   * builder); every other method accepts request messages of at most {@code smallLimit} bytes.
   */
  static MessageSizeLimits of(Set<String> largeMessageServices, int smallLimit) {
    if (smallLimit <= 0) {
      throw new IllegalArgumentException("small message limit must be > 0, was " + smallLimit);
    }
    return new MessageSizeLimits(largeMessageServices, smallLimit);
  }

  /** Whether {@code fullMethodName} is held to the small limit. */
  boolean isSmall(String fullMethodName) {
    String service = MethodDescriptor.extractFullServiceName(fullMethodName);
    return !largeMessageServices.contains(service == null ? fullMethodName : service);
  }

  @Override
  public ServerStreamTracer newServerStreamTracer(String fullMethodName, Metadata headers) {
    return isSmall(fullMethodName) ? new Counting(smallLimit) : UNLIMITED;
  }

  /**
   * Refuses compressed requests to small-limit methods before the handler asks for a message.
   * Install it innermost (it must see every call that reaches a handler).
   */
  ServerInterceptor interceptor() {
    return new ServerInterceptor() {
      @Override
      public <ReqT, RespT> ServerCall.Listener<ReqT> interceptCall(
          ServerCall<ReqT, RespT> call, Metadata headers, ServerCallHandler<ReqT, RespT> next) {
        String encoding = headers.get(GRPC_ENCODING);
        if (encoding != null && !encoding.equals("identity")
            && isSmall(call.getMethodDescriptor().getFullMethodName())) {
          call.close(Status.UNIMPLEMENTED.withDescription("compressed requests are not accepted by this method"),
              new Metadata());
          return new ServerCall.Listener<>() {};
        }
        return next.startCall(call, headers);
      }
    };
  }

  /**
   * Counts the wire bytes of the current message. Called by the stream's deframer, one call at a
   * time (the transport thread); the atomic makes that ordering irrelevant.
   */
  private static final class Counting extends ServerStreamTracer {
    private final int limit;
    private final AtomicLong messageBytes = new AtomicLong();

    Counting(int limit) {
      this.limit = limit;
    }

    @Override
    public void inboundMessage(int seqNo) {
      messageBytes.set(0);
    }

    @Override
    public void inboundWireSize(long bytes) {
      if (messageBytes.addAndGet(bytes) > limit) {
        throw Status.RESOURCE_EXHAUSTED
            .withDescription("request message larger than " + limit + " bytes for this method")
            .asRuntimeException();
      }
    }
  }
}
