package dev.ocrgate.server.ratelimit;

import java.util.Objects;

/**
 * Whose budget a call draws on: its subject's bucket and, when it has one, its tenant's bucket.
 *
 * @param subject the token's {@code sub}, never null
 * @param tenant the tenant claim, or null when the token carries none (then only the subject pays)
 */
public record RateKey(String subject, String tenant) {
  public RateKey {
    Objects.requireNonNull(subject, "subject");
  }
}
