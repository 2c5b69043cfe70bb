package dev.ocrgate.server.auth;

/** Makes attacker-controlled header values safe for a log line: printable ASCII, at most 64 chars. */
public final class LogSafe {
  private static final int MAX = 64;

  private LogSafe() {}

  public static String of(String s) {
    if (s == null) {
      return "(none)";
    }
    StringBuilder sb = new StringBuilder(Math.min(s.length(), MAX) + 3);
    for (int i = 0; i < s.length() && sb.length() < MAX; i++) {
      char c = s.charAt(i);
      sb.append(c >= 0x20 && c < 0x7f ? c : '?');
    }
    if (s.length() > MAX) {
      sb.append("...");
    }
    return sb.toString();
  }
}
