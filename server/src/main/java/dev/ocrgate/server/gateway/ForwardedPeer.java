package dev.ocrgate.server.gateway;

import io.grpc.Attributes;
import io.grpc.ForwardingServerCall;
import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;

/**
 * Carries the HTTP peer's address to the in-process server, so that everything keyed by
 * {@link Grpc#TRANSPORT_ATTR_REMOTE_ADDR} (the issuer's per-peer budget, the audit log) sees the
 * real client rather than the in-process transport.
 *
 * <p>Why this can be trusted: the address is the accepted socket's, written by the gateway into
 * a metadata entry it owns ({@link #KEY}); client headers are never copied into metadata except
 * {@code authorization}, and only the gateway holds a channel to the in-process server, whose
 * name is random. {@link #interceptor()} runs outermost on that server only: it removes the entry
 * and presents the address as the call's remote address to every interceptor after it.
 *
 * <p>Stateless; thread-safe.
 */
final class ForwardedPeer {
  /** The metadata entry: numeric address, '|', port. Never read from an HTTP request. */
  static final Metadata.Key<String> KEY = Metadata.Key.of("ocrgate-http-peer", Metadata.ASCII_STRING_MARSHALLER);

  private ForwardedPeer() {}

  /** Writes {@code peer} (an accepted socket's address) into {@code headers}. */
  static void put(Metadata headers, InetSocketAddress peer) {
    headers.discardAll(KEY);
    if (peer != null && peer.getAddress() != null) {
      headers.put(KEY, peer.getAddress().getHostAddress() + "|" + peer.getPort());
    }
  }

  /** The address {@link #put} wrote, or null; numeric, so no name lookup happens. */
  static InetSocketAddress parse(String value) {
    int bar = value == null ? -1 : value.lastIndexOf('|');
    if (bar <= 0) {
      return null;
    }
    try {
      InetAddress address = InetAddress.getByName(value.substring(0, bar)); // a literal: no DNS
      return new InetSocketAddress(address, Integer.parseInt(value.substring(bar + 1)));
    } catch (UnknownHostException | IllegalArgumentException e) {
      return null;
    }
  }

  /** For the in-process server only, installed outermost: the forwarded address becomes the call's. */
  static ServerInterceptor interceptor() {
    return new ServerInterceptor() {
      @Override
      public <ReqT, RespT> ServerCall.Listener<ReqT> interceptCall(
          ServerCall<ReqT, RespT> call, Metadata headers, ServerCallHandler<ReqT, RespT> next) {
        InetSocketAddress peer = parse(headers.get(KEY));
        headers.discardAll(KEY);
        if (peer == null) {
          return next.startCall(call, headers);
        }
        Attributes attributes = call.getAttributes().toBuilder().set(Grpc.TRANSPORT_ATTR_REMOTE_ADDR, peer).build();
        return next.startCall(new ForwardingServerCall.SimpleForwardingServerCall<>(call) {
          @Override
          public Attributes getAttributes() {
            return attributes;
          }
        }, headers);
      }
    };
  }
}
