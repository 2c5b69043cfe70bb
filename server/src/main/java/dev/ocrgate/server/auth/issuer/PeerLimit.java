package dev.ocrgate.server.auth.issuer;

import dev.ocrgate.api.v1.AuthServiceGrpc;
import dev.ocrgate.server.ratelimit.Decision;
import dev.ocrgate.server.ratelimit.RateKey;
import dev.ocrgate.server.ratelimit.RateLimitListener;
import dev.ocrgate.server.ratelimit.RateLimitStatus;
import dev.ocrgate.server.ratelimit.RateLimiter;
import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.StatusRuntimeException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.Set;

/**
 * A budget per network peer for the issuer's public calls that cost work (IssueToken: a PBKDF2
 * verification; RefreshToken: store round trips), charged when the call starts, before its
 * message is even read. Over budget → RESOURCE_EXHAUSTED with {@code google.rpc.RetryInfo}
 * ({@link RateLimitStatus}), and no hashing is done. GetJwks is free.
 *
 * <p>The budget is a token bucket of the shared {@link RateLimiter} implementations (in memory,
 * or in Redis for every replica; see {@code SharedState}), keyed by the peer: the IPv4 address of
 * {@link Grpc#TRANSPORT_ATTR_REMOTE_ADDR}, or the /64 prefix of an IPv6 address (one host usually
 * owns a whole /64); peers without an IP address (in-process) share one key. The port is not part
 * of the key, so new connections do not get new budgets. Behind a proxy or NAT every client
 * behind it shares one budget (forwarded-for headers are not trusted: any caller can write them).
 *
 * <p>Stateless and thread-safe; applied to the AuthService only ({@link Issuers}).
 */
public final class PeerLimit implements ServerInterceptor {
  /** The denial's {@code limit}, also the label of the rate-limit rejection counter. */
  static final String LIMIT = "issuer_peer";
  private static final Set<String> CHARGED = Set.of(
      AuthServiceGrpc.getIssueTokenMethod().getFullMethodName(),
      AuthServiceGrpc.getRefreshTokenMethod().getFullMethodName());

  private final RateLimiter budgets;
  private final RateLimitListener listener;

  private PeerLimit(RateLimiter budgets, RateLimitListener listener) {
    this.budgets = budgets;
    this.listener = listener;
  }

  /** Charges one token of {@code budgets} (keyed per peer) for each IssueToken and RefreshToken. */
  public static PeerLimit create(RateLimiter budgets, RateLimitListener listener) {
    return new PeerLimit(budgets, listener);
  }

  @Override
  public <ReqT, RespT> ServerCall.Listener<ReqT> interceptCall(
      ServerCall<ReqT, RespT> call, Metadata headers, ServerCallHandler<ReqT, RespT> next) {
    if (CHARGED.contains(call.getMethodDescriptor().getFullMethodName())) {
      Decision d = budgets.acquire(new RateKey(peerKey(call.getAttributes().get(Grpc.TRANSPORT_ATTR_REMOTE_ADDR)), null), 1);
      if (!d.allowed()) {
        listener.rateLimitRejected(LIMIT);
        StatusRuntimeException e = RateLimitStatus.exhausted(d);
        call.close(e.getStatus(), e.getTrailers());
        return new ServerCall.Listener<>() {};
      }
    }
    return next.startCall(call, headers);
  }

  /** The budget key of a remote address: IPv4 address, IPv6 /64, or one key for the rest. */
  static String peerKey(SocketAddress remote) {
    if (!(remote instanceof InetSocketAddress inet) || inet.getAddress() == null) {
      return "non-ip";
    }
    InetAddress a = inet.getAddress();
    if (a instanceof Inet6Address) {
      byte[] b = a.getAddress();
      StringBuilder sb = new StringBuilder("ip6:");
      for (int i = 0; i < 8; i += 2) {
        sb.append(Integer.toHexString(((b[i] & 0xff) << 8) | (b[i + 1] & 0xff))).append(':');
      }
      return sb.append(":/64").toString();
    }
    return "ip4:" + a.getHostAddress();
  }
}
