package dev.ocrgate.client;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the {@code exp} claim of a JWT without verifying it — only to know when to refresh a
 * token whose source did not say (a static token, a token file). The server verifies; the
 * client only schedules.
 */
final class JwtExpiry {
  private static final Pattern EXP = Pattern.compile("\"exp\"\\s*:\\s*(\\d{1,12})(?:\\.\\d+)?\\s*[,}]");

  private JwtExpiry() {}

  /** The expiry of {@code token} if it is a JWT with a numeric {@code exp}, else null. */
  static Instant of(String token) {
    String[] parts = token.split("\\.", -1);
    if (parts.length != 3) {
      return null;
    }
    try {
      String payload = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8);
      Matcher m = EXP.matcher(payload);
      return m.find() ? Instant.ofEpochSecond(Long.parseLong(m.group(1))) : null;
    } catch (IllegalArgumentException e) {
      return null;
    }
  }
}
