package dev.ocrgate.server.gateway;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;

/**
 * Headers every answer of the HTTP port carries unless its handler set them: nothing is cached
 * or sniffed, no referrer leaks, no page may frame it, and a response that is not the page runs
 * nothing ({@code default-src 'none'}). The page's files set their own Content-Security-Policy
 * ({@link StaticResources}). Stateless.
 */
final class SecurityHeaders {
  /** For JSON and error answers: nothing may load or run from them. */
  static final String API_CSP = "default-src 'none'; frame-ancestors 'none'";

  private SecurityHeaders() {}

  static void addDefaults(HttpHeaders h) {
    setIfAbsent(h, HttpHeaderNames.CONTENT_SECURITY_POLICY, API_CSP);
    setIfAbsent(h, HttpHeaderNames.CACHE_CONTROL, "no-store");
    setIfAbsent(h, "X-Content-Type-Options", "nosniff");
    setIfAbsent(h, "Referrer-Policy", "no-referrer");
    setIfAbsent(h, HttpHeaderNames.X_FRAME_OPTIONS, "DENY");
    setIfAbsent(h, "Strict-Transport-Security", "max-age=31536000");
  }

  private static void setIfAbsent(HttpHeaders h, CharSequence name, String value) {
    if (!h.contains(name)) {
      h.set(name, value);
    }
  }
}
