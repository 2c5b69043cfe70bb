package dev.ocrgate.server.auth;

import io.grpc.Grpc;
import io.grpc.ServerCall;
import io.grpc.Status;
import java.net.SocketAddress;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One line per call on logger {@value #LOGGER}: time, method, subject, tenant, jti, status,
 * latency, peer. Never a token, secret or key. Values that come from a token are escaped
 * ({@link LogSafe}) so a claim cannot forge log lines. Stateless; thread-safe.
 */
final class AuditLog {
  static final String LOGGER = "ocrgate.audit";
  private static final Logger audit = LoggerFactory.getLogger(LOGGER);

  private final boolean enabled;
  private final Clock clock;

  AuditLog(boolean enabled, Clock clock) {
    this.enabled = enabled;
    this.clock = clock;
  }

  void record(ServerCall<?, ?> call, Principal p, Status status, long startNanos) {
    if (!enabled || !audit.isInfoEnabled()) {
      return;
    }
    long micros = (System.nanoTime() - startNanos) / 1_000;
    SocketAddress peer = call.getAttributes().get(Grpc.TRANSPORT_ATTR_REMOTE_ADDR);
    audit.info("time={} method={} subject={} tenant={} jti={} status={} latency_us={} peer={}",
        clock.instant(),
        call.getMethodDescriptor().getFullMethodName(),
        p == null ? "-" : LogSafe.of(p.subject()),
        p == null || p.tenant() == null ? "-" : LogSafe.of(p.tenant()),
        p == null || p.tokenId() == null ? "-" : LogSafe.of(p.tokenId()),
        status.getCode(),
        micros,
        peer == null ? "-" : peer);
  }
}
