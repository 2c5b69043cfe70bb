package dev.ocrgate.server.http;

import java.nio.charset.StandardCharsets;

/**
 * The request line of an HTTP/1.x request head: method and path (query dropped). Headers are not
 * needed by any endpoint and are skipped. Pure functions; thread-safe.
 */
record RequestHead(String method, String path) {
  /**
   * The length of the head in {@code buf[0..len)}, including its blank line (CRLF CRLF, or bare
   * LF LF as RFC 9112 tolerates), or -1 while it is incomplete.
   */
  static int headLength(byte[] buf, int len) {
    for (int i = 0; i < len; i++) {
      if (buf[i] != '\n') {
        continue;
      }
      if (i + 1 < len && buf[i + 1] == '\n') {
        return i + 2;
      }
      if (i + 2 < len && buf[i + 1] == '\r' && buf[i + 2] == '\n') {
        return i + 3;
      }
    }
    return -1;
  }

  /** The request line of a complete head, or null when it is not {@code METHOD /path HTTP/1.x}. */
  static RequestHead parse(byte[] head, int len) {
    int end = 0;
    while (end < len && head[end] != '\r' && head[end] != '\n') {
      end++;
    }
    String[] parts = new String(head, 0, end, StandardCharsets.ISO_8859_1).split(" ", -1);
    if (parts.length != 3 || !parts[2].startsWith("HTTP/1.") || !isToken(parts[0])
        || !parts[1].startsWith("/")) {
      return null;
    }
    int query = parts[1].indexOf('?');
    return new RequestHead(parts[0], query < 0 ? parts[1] : parts[1].substring(0, query));
  }

  private static boolean isToken(String s) {
    if (s.isEmpty()) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 'A' || c > 'Z') {
        return false;
      }
    }
    return true;
  }
}
