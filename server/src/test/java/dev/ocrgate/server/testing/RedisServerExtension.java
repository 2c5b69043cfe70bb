package dev.ocrgate.server.testing;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * JUnit 5 extension owning one {@link RedisTestServer} per test class. Register it as a static
 * field with {@code @RegisterExtension}; before each test the server is (re)started if a previous
 * test stopped it and its data is flushed, so tests do not see each other's keys.
 */
public final class RedisServerExtension implements BeforeAllCallback, BeforeEachCallback, AfterAllCallback {
  private RedisTestServer server;

  /** The running server (valid between beforeAll and afterAll). */
  public RedisTestServer server() {
    if (server == null) {
      throw new IllegalStateException("redis-server not started yet (register the extension as a static field)");
    }
    return server;
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    server = RedisTestServer.start();
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    server.startAgain();
    server.command("FLUSHALL");
  }

  @Override
  public void afterAll(ExtensionContext context) {
    if (server != null) {
      server.close();
      server = null;
    }
  }
}
