package dev.ocrgate.client.testing;

import io.grpc.ForwardingServerCall;
import io.grpc.ForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A test stand-in for the server's JWT interceptor: checks {@code authorization: Bearer} against
 * a {@link TokenAuthority}, at the start of the call and again on every inbound message, so a
 * stream whose token expires is closed UNAUTHENTICATED at its next frame, as a server that
 * re-checks expiry would. Public AuthService methods pass without a token. Records what it saw.
 */
public final class TestBearerInterceptor implements ServerInterceptor {
  static final Metadata.Key<String> AUTHORIZATION =
      Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);

  private final TokenAuthority authority;
  /** Every token presented, in order (null for a call without one). */
  public final List<String> presented = new CopyOnWriteArrayList<>();
  /** Every rejection, as "CODE description". */
  public final List<String> rejections = new CopyOnWriteArrayList<>();

  public TestBearerInterceptor(TokenAuthority authority) {
    this.authority = authority;
  }

  @Override
  public <ReqT, RespT> ServerCall.Listener<ReqT> interceptCall(
      ServerCall<ReqT, RespT> call, Metadata headers, ServerCallHandler<ReqT, RespT> next) {
    if (call.getMethodDescriptor().getServiceName().equals("ocrgate.v1.AuthService")) {
      return next.startCall(call, headers);
    }
    String header = headers.get(AUTHORIZATION);
    String token = header != null && header.startsWith("Bearer ") ? header.substring(7) : null;
    presented.add(token);
    GuardedCall<ReqT, RespT> guarded = new GuardedCall<>(call);
    if (token == null || !authority.isValid(token, authority.clock().instant())) {
      reject(guarded, Status.UNAUTHENTICATED.withDescription(token == null ? "missing token" : "invalid token"));
      return new ServerCall.Listener<>() {};
    }
    if (authority.isDenied(token)) {
      reject(guarded, Status.PERMISSION_DENIED.withDescription("missing scope ocr:stream"));
      return new ServerCall.Listener<>() {};
    }
    ServerCall.Listener<ReqT> delegate = next.startCall(guarded, headers);
    return new ForwardingServerCallListener.SimpleForwardingServerCallListener<>(delegate) {
      @Override
      public void onMessage(ReqT message) {
        if (guarded.isClosed()) {
          return;
        }
        if (!authority.isValid(token, authority.clock().instant())) {
          reject(guarded, Status.UNAUTHENTICATED.withDescription("token expired"));
          return;
        }
        super.onMessage(message);
      }
    };
  }

  private void reject(GuardedCall<?, ?> call, Status status) {
    rejections.add(status.getCode() + " " + status.getDescription());
    call.close(status, new Metadata());
  }

  public long rejectionsWith(Status.Code code) {
    return rejections.stream().filter(r -> r.startsWith(code.name() + " ")).count();
  }

  /** A ServerCall that ignores sends and closes after it was closed. */
  static final class GuardedCall<ReqT, RespT> extends ForwardingServerCall.SimpleForwardingServerCall<ReqT, RespT> {
    private boolean closed;

    GuardedCall(ServerCall<ReqT, RespT> delegate) {
      super(delegate);
    }

    synchronized boolean isClosed() {
      return closed;
    }

    @Override
    public synchronized void sendMessage(RespT message) {
      if (!closed) {
        super.sendMessage(message);
      }
    }

    @Override
    public synchronized void close(Status status, Metadata trailers) {
      if (!closed) {
        closed = true;
        super.close(status, trailers);
      }
    }
  }
}
