package dev.ocrgate.server.http;

import java.time.Duration;

/**
 * What one {@link PlainHttpServer} grants its peers.
 *
 * @param maxConnections connections open at once; a new one beyond this closes the oldest
 * @param requestTimeout from accept until the answer is written; then the connection is closed
 * @param maxRequestHeadBytes request line plus headers; a larger head is answered 431
 */
public record HttpLimits(int maxConnections, Duration requestTimeout, int maxRequestHeadBytes) {
  /** 64 connections, 10 s per request, 8 KiB of request head. */
  public static final HttpLimits DEFAULT = new HttpLimits(64, Duration.ofSeconds(10), 8 * 1024);

  public HttpLimits {
    if (maxConnections < 1) {
      throw new IllegalArgumentException("maxConnections must be >= 1, was " + maxConnections);
    }
    if (requestTimeout.isNegative() || requestTimeout.isZero()) {
      throw new IllegalArgumentException("requestTimeout must be > 0, was " + requestTimeout);
    }
    if (maxRequestHeadBytes < 64) {
      throw new IllegalArgumentException("maxRequestHeadBytes must be >= 64, was " + maxRequestHeadBytes);
    }
  }
}
