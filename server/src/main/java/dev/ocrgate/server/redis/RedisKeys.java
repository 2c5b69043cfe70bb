package dev.ocrgate.server.redis;

/**
 * The one rule for putting caller-controlled names (subjects, tenants, issuers, token ids, peer
 * addresses) into Redis key names: {@code %}, {@code :}, <code>{</code> and <code>}</code> are
 * percent-encoded ({@code %25 %3A %7B %7D}), so that no choice of names can spell another name's
 * key (the parts of a key are separated by {@code :}) or split a Redis Cluster hash tag (braces).
 * Stateless.
 */
public final class RedisKeys {
  private RedisKeys() {}

  /** {@code part} with the separator, the escape character and braces percent-encoded. */
  public static String escape(String part) {
    StringBuilder out = null;
    for (int i = 0; i < part.length(); i++) {
      char c = part.charAt(i);
      String e = switch (c) {
        case '%' -> "%25";
        case ':' -> "%3A";
        case '{' -> "%7B";
        case '}' -> "%7D";
        default -> null;
      };
      if (e != null && out == null) {
        out = new StringBuilder(part.length() + 8).append(part, 0, i);
      }
      if (out != null) {
        if (e != null) {
          out.append(e);
        } else {
          out.append(c);
        }
      }
    }
    return out == null ? part : out.toString();
  }
}
