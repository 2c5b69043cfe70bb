package dev.ocrgate.server;

import dev.ocrgate.api.v1.OcrServiceGrpc;
import dev.ocrgate.server.config.ConfigException;
import dev.ocrgate.server.config.OcrgateConfig;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import java.net.InetSocketAddress;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gRPC port's limits at the edge, applied before any interceptor runs (Envoy's habit: every
 * resource a peer controls has a limit with a safe default): {@code server.*} on the Netty
 * builder, the per-method message sizes ({@link MessageSizeLimits}), and the rule that a server
 * without TLS or without authentication binds only loopback unless the operator opts in.
 * Stateless.
 */
final class EdgeLimits {
  private static final Logger log = LoggerFactory.getLogger(EdgeLimits.class);
  /** Services whose request messages may reach {@code server.max_inbound_message_bytes} (images). */
  private static final Set<String> LARGE_MESSAGE_SERVICES = Set.of(OcrServiceGrpc.SERVICE_NAME);

  /**
   * grpc-java logs every request message it refuses (too large, malformed) at WARNING with a
   * stack trace, "Exception processing message", from this one logger: any peer could fill the
   * log with them. The calls still show in the audit log and the call metrics. Held here because
   * java.util.logging keeps loggers only weakly.
   */
  private static final java.util.logging.Logger REFUSED_MESSAGE_LOG =
      java.util.logging.Logger.getLogger("io.grpc.netty.shaded.io.grpc.netty.NettyServerStream");

  static {
    REFUSED_MESSAGE_LOG.setLevel(Level.SEVERE);
  }

  private EdgeLimits() {}

  /** OcrService methods keep {@code max_inbound_message_bytes}; all others get the control limit. */
  static MessageSizeLimits messageSizeLimits(OcrgateConfig.ServerSection s) {
    return MessageSizeLimits.of(LARGE_MESSAGE_SERVICES, s.max_control_message_bytes);
  }

  /**
   * Every limit a peer meets before its call is authenticated (Envoy's "limits at the edge"):
   * message sizes, headers, concurrent calls and flow-control window per connection, handshake,
   * idle and age timeouts, keepalive, and the rapid-reset guard. The per-method message sizes are
   * {@link MessageSizeLimits}; the server-wide maximum below is the OCR methods' limit.
   */
  static NettyServerBuilder apply(NettyServerBuilder nb, OcrgateConfig.ServerSection s) {
    nb.maxInboundMessageSize(Math.max(s.max_inbound_message_bytes, s.max_control_message_bytes))
        .maxInboundMetadataSize(s.max_metadata_bytes)
        .maxConcurrentCallsPerConnection(s.max_concurrent_calls_per_connection)
        .flowControlWindow(s.flow_control_window_bytes)
        .handshakeTimeout(s.handshake_timeout_seconds, TimeUnit.SECONDS)
        .keepAliveTime(s.keepalive_time_seconds, TimeUnit.SECONDS)
        .keepAliveTimeout(s.keepalive_timeout_seconds, TimeUnit.SECONDS)
        // The SDK pings every minute by default; a peer pinging more often than every 20 s is
        // told to calm down and then disconnected (grpc-java's keepalive enforcement).
        .permitKeepAliveTime(20, TimeUnit.SECONDS)
        .permitKeepAliveWithoutCalls(true);
    if (s.max_connection_idle_seconds > 0) {
      nb.maxConnectionIdle(s.max_connection_idle_seconds, TimeUnit.SECONDS);
    }
    if (s.max_connection_age_seconds > 0) {
      nb.maxConnectionAge(s.max_connection_age_seconds, TimeUnit.SECONDS);
      if (s.max_connection_age_grace_seconds > 0) {
        nb.maxConnectionAgeGrace(s.max_connection_age_grace_seconds, TimeUnit.SECONDS);
      }
    }
    if (s.max_rst_frames_per_window > 0) {
      nb.maxRstFramesPerWindow(s.max_rst_frames_per_window, s.rst_frames_window_seconds);
    }
    return nb;
  }

  /**
   * Refuses to expose a server without TLS or without authentication on an address that is not
   * loopback (tokens readable on the network, or every method open to every peer), unless the
   * operator has opted in with {@code server.allow_insecure_non_loopback}. On loopback (local
   * development, a TLS-terminating proxy on the same host) it only warns.
   */
  static void refuseInsecureExposure(OcrgateConfig config) {
    OcrgateConfig.ServerSection s = config.server;
    refuseInsecureExposure(config, s.host, s.port);
    if (config.http.enabled) {
      refuseInsecureExposure(config, config.http.bindHost(s.host), config.http.port);
    }
  }

  private static void refuseInsecureExposure(OcrgateConfig config, String host, int port) {
    OcrgateConfig.ServerSection s = config.server;
    boolean authOff = !config.auth.enabled;
    if (!s.plaintext && !authOff) {
      return;
    }
    InetSocketAddress bind = new InetSocketAddress(host, port);
    if (bind.getAddress() != null && bind.getAddress().isLoopbackAddress()) {
      return;
    }
    String what = s.plaintext && authOff ? "server.plaintext and auth.enabled: false"
        : s.plaintext ? "server.plaintext" : "auth.enabled: false";
    if (!s.allow_insecure_non_loopback) {
      throw new ConfigException("refusing to serve with " + what + " on " + host
          + ", which is not a loopback address: bind 127.0.0.1, or set"
          + " server.allow_insecure_non_loopback: true if a network policy or a proxy on this host"
          + " guards the port");
    }
    log.warn("INSECURE EXPOSURE: {} on non-loopback address {} (server.allow_insecure_non_loopback)",
        what, host);
  }
}
