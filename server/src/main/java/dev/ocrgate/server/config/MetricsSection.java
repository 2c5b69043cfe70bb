package dev.ocrgate.server.config;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The plain-HTTP observability endpoint: {@code /metrics} (Prometheus text), {@code /healthz}
 * (liveness) and {@code /readyz} (readiness, mirrors gRPC health). Separate from the gRPC port so
 * that probes and scrapers need neither TLS client setup nor a token.
 */
public final class MetricsSection {
  /** Serve the observability endpoint. Default true. */
  @JsonProperty public boolean enabled = true;
  /**
   * Address to bind. Default {@code 127.0.0.1}; set {@code 0.0.0.0} in a container so the
   * kubelet and Prometheus can reach it, and then restrict who may connect with a network policy.
   * The endpoint carries no secrets and needs no token.
   */
  @JsonProperty public String host = "127.0.0.1";
  /** TCP port; 0 picks a free one. Default 9464 (the usual Prometheus exporter port). */
  @JsonProperty public int port = 9464;
  /**
   * Connections open at once. Default 64. A new connection beyond this closes the oldest one,
   * so connections that are held open without a request cannot lock out the probes.
   */
  @JsonProperty public int max_connections = 64;
  /**
   * Time a connection has from accept to send its request and read the answer, seconds; then
   * it is closed. Default 10. No connection can delay another: they are served without blocking.
   */
  @JsonProperty public int request_timeout_seconds = 10;
}
