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
   * kubelet and Prometheus can reach it. The endpoint carries no secrets and needs no token.
   */
  @JsonProperty public String host = "127.0.0.1";
  /** TCP port; 0 picks a free one. Default 9464 (the usual Prometheus exporter port). */
  @JsonProperty public int port = 9464;
}
