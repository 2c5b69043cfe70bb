package dev.ocrgate.server.observability;

import dev.ocrgate.server.config.ConfigException;
import dev.ocrgate.server.config.MetricsSection;
import dev.ocrgate.server.http.HttpLimits;
import dev.ocrgate.server.http.PlainHttpServer;
import dev.ocrgate.server.http.PlainHttpServer.Response;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import java.io.IOException;
import java.time.Duration;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Plain HTTP for probes and scrapers, on its own port:
 * <ul>
 *   <li>{@code GET /metrics}: Prometheus text exposition format 0.0.4;
 *   <li>{@code GET /healthz}: liveness, 200 while the process can answer at all;
 *   <li>{@code GET /readyz}: readiness, 200 only while the gRPC health status of the whole server
 *       is SERVING; 503 while warming up, draining or after a dependency marked it NOT_SERVING.
 * </ul>
 * Any other path is 404, any other method 405. Nothing here reveals configuration or secrets.
 *
 * <p>Served by a {@link PlainHttpServer}: one thread that never waits for a peer, so a client
 * that connects and stalls (or many, up to {@code metrics.max_connections}, beyond which the
 * oldest are closed) cannot keep {@code /healthz} from answering; a liveness probe failing
 * because of such a client would restart every replica. {@link #close} stops it.
 */
public final class ObservabilityHttpServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ObservabilityHttpServer.class);
  static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";
  private static final String TEXT = "text/plain; charset=utf-8";

  private final PlainHttpServer server;

  private ObservabilityHttpServer(PlainHttpServer server) {
    this.server = server;
  }

  /**
   * Binds {@code config.host:config.port} and starts serving.
   *
   * @param readiness the overall gRPC serving status, read on every {@code /readyz}
   * @throws ConfigException when the port cannot be bound
   */
  public static ObservabilityHttpServer start(
      MetricsSection config, Metrics metrics, Supplier<ServingStatus> readiness) {
    HttpLimits limits = new HttpLimits(config.max_connections,
        Duration.ofSeconds(config.request_timeout_seconds), HttpLimits.DEFAULT.maxRequestHeadBytes());
    PlainHttpServer http;
    try {
      http = PlainHttpServer.start(config.host, config.port, limits, path -> handle(path, metrics, readiness),
          "ocrgate-observability-http");
    } catch (IOException e) {
      throw new ConfigException(
          "cannot listen on " + config.host + ":" + config.port + " (metrics): " + e.getMessage(), e);
    }
    log.info("metrics and probes on {}:{} (HTTP /metrics /healthz /readyz)", config.host, http.port());
    return new ObservabilityHttpServer(http);
  }

  /** The bound port (useful when configured with port 0). */
  public int port() {
    return server.port();
  }

  private static Response handle(String path, Metrics metrics, Supplier<ServingStatus> readiness) {
    return switch (path) {
      case "/metrics" -> Response.text(200, PROMETHEUS_TEXT, metrics.scrape().orElse(""));
      case "/healthz" -> Response.text(200, TEXT, "ok\n");
      case "/readyz" -> {
        ServingStatus status = readiness.get();
        yield Response.text(status == ServingStatus.SERVING ? 200 : 503, TEXT, status.name() + "\n");
      }
      default -> Response.text(404, TEXT, "not found\n");
    };
  }

  /** Stops serving at once (probes after this fail to connect, which is what a stopped pod does). */
  @Override
  public void close() {
    server.close();
  }
}
