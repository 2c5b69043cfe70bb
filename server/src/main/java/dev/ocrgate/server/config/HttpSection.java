package dev.ocrgate.server.config;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The HTTP/JSON port ({@code POST /v1/recognize}, and the browser page's files): HTTP/1.1 over
 * the same TLS material as the gRPC port, on a port of its own. Every request is forwarded over an
 * in-process gRPC channel to the same services behind the same interceptors (authentication, rate
 * limits, size limits, metrics, audit), so this section holds only the limits of the HTTP edge:
 * what a peer can make the server hold before its request reaches those interceptors.
 *
 * <p>A second port rather than the gRPC port: grpc-java's Netty server speaks only HTTP/2 and
 * owns its socket, so sharing the port would need a protocol-sniffing front end in front of it,
 * and the gRPC port's edge limits (HTTP/2 windows, streams per connection, keepalive) do not fit
 * HTTP/1.1 uploads; a separate port keeps each edge with limits that fit it (docs/http.md).
 */
public final class HttpSection {
  /** Serve the HTTP/JSON port. Default false; {@code serve --dev} turns it on. */
  @JsonProperty public boolean enabled = false;
  /** Address to bind. Default: the same as {@code server.host}. */
  @JsonProperty public String host;
  /** TCP port; 0 picks a free one. Default 8444. */
  @JsonProperty public int port = 8444;
  /**
   * Largest request body, bytes (raw image, multipart form or JSON with a base64 image). Default
   * 32 MiB. A declared {@code Content-Length} above it is answered 413 before any body byte is
   * read; a chunked body is counted as it arrives and answered 413 when it passes the limit. The
   * forwarded gRPC message must also fit {@code server.max_inbound_message_bytes}.
   */
  @JsonProperty public int max_body_bytes = 32 * 1024 * 1024;
  /**
   * Largest request line plus headers, bytes. Default 32 KiB (as {@code server.max_metadata_bytes}):
   * room for an 8 KiB token, which {@code auth.max_token_bytes} caps with a 401.
   */
  @JsonProperty public int max_header_bytes = 32 * 1024;
  /** Connections open at once; a connection beyond it is closed at accept. Default 256. */
  @JsonProperty public int max_connections = 256;
  /**
   * Requests being handled at once (bodies held in memory, calls in flight), over all
   * connections. Default 64; one more is answered 503 with {@code Retry-After} before its body is
   * read. With {@code max_body_bytes} this bounds the memory requests can hold.
   */
  @JsonProperty public int max_concurrent_requests = 64;
  /**
   * Time a connection has to deliver one whole request (line, headers and body) after it opened
   * or after the previous answer, seconds; then it is closed (a request cut off gets 408). Also
   * the idle time of a kept-alive connection. Default 30. Slow senders (slowloris) cannot hold a
   * connection longer.
   */
  @JsonProperty public int read_timeout_seconds = 30;
  /**
   * Deadline of the forwarded call, seconds: past it the answer is 504. Default 60.
   */
  @JsonProperty public int request_timeout_seconds = 60;

  /** Checks every value once, at start; a bad value is a {@link ConfigException} naming the key. */
  public void validate() {
    if (port < 0 || port > 65535) {
      throw new ConfigException("http.port must be in 0..65535, was " + port);
    }
    positive("http.max_body_bytes", max_body_bytes);
    positive("http.max_header_bytes", max_header_bytes);
    positive("http.max_connections", max_connections);
    positive("http.max_concurrent_requests", max_concurrent_requests);
    positive("http.read_timeout_seconds", read_timeout_seconds);
    positive("http.request_timeout_seconds", request_timeout_seconds);
    if (max_header_bytes < 1024) {
      throw new ConfigException("http.max_header_bytes must be >= 1024, was " + max_header_bytes);
    }
  }

  /** The address to bind: {@code host}, or {@code serverHost} when unset. */
  public String bindHost(String serverHost) {
    return host == null || host.isBlank() ? serverHost : host;
  }

  private static void positive(String key, int value) {
    if (value <= 0) {
      throw new ConfigException(key + " must be > 0, was " + value);
    }
  }
}
