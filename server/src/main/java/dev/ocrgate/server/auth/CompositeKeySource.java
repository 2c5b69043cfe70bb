package dev.ocrgate.server.auth;

import java.util.List;

/** Asks several key sources in order; the first that knows the kid wins. Thread-safe. */
final class CompositeKeySource implements KeySource {
  private final List<KeySource> sources;

  CompositeKeySource(List<KeySource> sources) {
    this.sources = List.copyOf(sources);
  }

  @Override
  public VerificationKey find(String kid) {
    for (KeySource s : sources) {
      VerificationKey k = s.find(kid);
      if (k != null) {
        return k;
      }
    }
    return null;
  }

  @Override
  public void close() {
    for (KeySource s : sources) {
      try {
        s.close();
      } catch (Exception ignored) {
        // closing is best effort
      }
    }
  }
}
