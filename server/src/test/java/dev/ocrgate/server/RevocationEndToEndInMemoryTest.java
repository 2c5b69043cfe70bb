package dev.ocrgate.server;

import dev.ocrgate.server.config.OcrgateConfig;

/** {@link RevocationEndToEndContract} on one node: revocations in memory (no Redis configured). */
class RevocationEndToEndInMemoryTest extends RevocationEndToEndContract {
  @Override
  void configureStore(OcrgateConfig c) {
    c.redis.url = null;
  }
}
