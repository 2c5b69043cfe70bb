package dev.ocrgate.server.auth.issuer;

import dev.ocrgate.server.http.HttpLimits;
import dev.ocrgate.server.http.PlainHttpServer;
import dev.ocrgate.server.http.PlainHttpServer.Response;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.function.Supplier;

/**
 * A tiny HTTP server answering {@code GET /.well-known/jwks.json} with the issuer's public keys,
 * for verifiers that fetch a JWKS URL. It serves public keys only, so it is plain HTTP; put it
 * behind the ingress's TLS for other hosts. Everything else is 404, other methods 405.
 *
 * <p>Served by a {@link PlainHttpServer} with {@link HttpLimits#DEFAULT}: no client can stall it
 * for the others. Thread-safe; {@link #close} stops it.
 */
public final class JwksHttpEndpoint implements AutoCloseable {
  public static final String PATH = "/.well-known/jwks.json";
  private static final Map<String, String> CACHE = Map.of("Cache-Control", "public, max-age=300");

  private final PlainHttpServer server;

  private JwksHttpEndpoint(PlainHttpServer server) {
    this.server = server;
  }

  /** Starts serving {@code jwks} on {@code host:port} (port 0 = any free port). */
  public static JwksHttpEndpoint start(String host, int port, Supplier<String> jwks) throws IOException {
    return new JwksHttpEndpoint(PlainHttpServer.start(host, port, HttpLimits.DEFAULT,
        path -> PATH.equals(path)
            ? new Response(200, "application/json", jwks.get().getBytes(StandardCharsets.UTF_8), CACHE)
            : Response.text(404, "text/plain; charset=utf-8", "not found\n"),
        "jwks-http"));
  }

  /** The bound port. */
  public int port() {
    return server.port();
  }

  @Override
  public void close() {
    server.close();
  }
}
