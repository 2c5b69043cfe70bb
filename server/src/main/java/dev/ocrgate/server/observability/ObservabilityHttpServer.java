package dev.ocrgate.server.observability;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.ocrgate.server.config.ConfigException;
import dev.ocrgate.server.config.MetricsSection;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Plain HTTP for probes and scrapers, on its own port (JDK HttpServer, no framework):
 * <ul>
 *   <li>{@code GET /metrics}: Prometheus text exposition format 0.0.4;
 *   <li>{@code GET /healthz}: liveness, 200 while the process can answer at all;
 *   <li>{@code GET /readyz}: readiness, 200 only while the gRPC health status of the whole server
 *       is SERVING; 503 while warming up, draining or after a dependency marked it NOT_SERVING.
 * </ul>
 * Any other path is 404, any other method 405. Nothing here reveals configuration or secrets.
 *
 * <p>Threads: one daemon thread serves requests in turn (scrapes and probes are rare and cheap).
 * {@link #close} stops it; the JVM can exit without it.
 */
public final class ObservabilityHttpServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ObservabilityHttpServer.class);
  static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

  private final HttpServer server;
  private final ExecutorService executor;

  private ObservabilityHttpServer(HttpServer server, ExecutorService executor) {
    this.server = server;
    this.executor = executor;
  }

  /**
   * Binds {@code config.host:config.port} and starts serving.
   *
   * @param readiness the overall gRPC serving status, read on every {@code /readyz}
   * @throws ConfigException when the port cannot be bound
   */
  public static ObservabilityHttpServer start(
      MetricsSection config, Metrics metrics, Supplier<ServingStatus> readiness) {
    HttpServer http;
    try {
      http = HttpServer.create(new InetSocketAddress(config.host, config.port), 16);
    } catch (IOException e) {
      throw new ConfigException(
          "cannot listen on " + config.host + ":" + config.port + " (metrics): " + e.getMessage(), e);
    }
    ExecutorService executor = Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "ocrgate-observability-http");
      t.setDaemon(true);
      return t;
    });
    http.setExecutor(executor);
    http.createContext("/", exchange -> handle(exchange, metrics, readiness));
    http.start();
    log.info("metrics and probes on http://{}:{} (/metrics /healthz /readyz)",
        config.host, http.getAddress().getPort());
    return new ObservabilityHttpServer(http, executor);
  }

  /** The bound port (useful when configured with port 0). */
  public int port() {
    return server.getAddress().getPort();
  }

  private static void handle(
      HttpExchange exchange, Metrics metrics, Supplier<ServingStatus> readiness) throws IOException {
    try (exchange) {
      String path = exchange.getRequestURI().getPath();
      String method = exchange.getRequestMethod();
      if (!method.equals("GET") && !method.equals("HEAD")) {
        reply(exchange, 405, "text/plain; charset=utf-8", "method not allowed\n");
        return;
      }
      switch (path) {
        case "/metrics" -> reply(exchange, 200, PROMETHEUS_TEXT, metrics.scrape().orElse(""));
        case "/healthz" -> reply(exchange, 200, "text/plain; charset=utf-8", "ok\n");
        case "/readyz" -> {
          ServingStatus status = readiness.get();
          int code = status == ServingStatus.SERVING ? 200 : 503;
          reply(exchange, code, "text/plain; charset=utf-8", status.name() + "\n");
        }
        default -> reply(exchange, 404, "text/plain; charset=utf-8", "not found\n");
      }
    } catch (RuntimeException e) {
      log.warn("observability endpoint failed: {}", e.toString());
    }
  }

  private static void reply(HttpExchange exchange, int code, String contentType, String body)
      throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", contentType);
    boolean head = exchange.getRequestMethod().equals("HEAD");
    exchange.sendResponseHeaders(code, head ? -1 : bytes.length);
    if (!head) {
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(bytes);
      }
    }
  }

  /** Stops serving at once (probes after this fail to connect, which is what a stopped pod does). */
  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
