package dev.ocrgate.server.auth.issuer;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

/**
 * A tiny HTTP server (JDK {@code com.sun.net.httpserver}) answering {@code GET
 * /.well-known/jwks.json} with the issuer's public keys, for verifiers that fetch a JWKS URL. It
 * serves public keys only, so it is plain HTTP; put it behind the ingress's TLS for other hosts.
 * Everything else is 404, other methods 405.
 *
 * <p>Thread-safe; one small daemon thread pool; {@link #close} stops it.
 */
public final class JwksHttpEndpoint implements AutoCloseable {
  public static final String PATH = "/.well-known/jwks.json";

  private final HttpServer server;
  private final ExecutorService executor;

  private JwksHttpEndpoint(HttpServer server, ExecutorService executor) {
    this.server = server;
    this.executor = executor;
  }

  /** Starts serving {@code jwks} on {@code host:port} (port 0 = any free port). */
  public static JwksHttpEndpoint start(String host, int port, Supplier<String> jwks) throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress(host, port), 16);
    ExecutorService executor = Executors.newFixedThreadPool(2, r -> {
      Thread t = new Thread(r, "jwks-http");
      t.setDaemon(true);
      return t;
    });
    server.setExecutor(executor);
    server.createContext("/", ex -> handle(ex, jwks));
    server.start();
    return new JwksHttpEndpoint(server, executor);
  }

  /** The bound port. */
  public int port() {
    return server.getAddress().getPort();
  }

  private static void handle(HttpExchange ex, Supplier<String> jwks) throws IOException {
    try (ex) {
      if (!PATH.equals(ex.getRequestURI().getPath())) {
        ex.sendResponseHeaders(404, -1);
      } else if (!"GET".equals(ex.getRequestMethod()) && !"HEAD".equals(ex.getRequestMethod())) {
        ex.getResponseHeaders().set("Allow", "GET, HEAD");
        ex.sendResponseHeaders(405, -1);
      } else {
        byte[] body = jwks.get().getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.getResponseHeaders().set("Cache-Control", "public, max-age=300");
        boolean head = "HEAD".equals(ex.getRequestMethod());
        ex.sendResponseHeaders(200, head ? -1 : body.length);
        if (!head) {
          try (OutputStream out = ex.getResponseBody()) {
            out.write(body);
          }
        }
      }
    }
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
