package dev.ocrgate.server;

import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

/**
 * SIGTERM and SIGINT trigger a graceful drain instead of the JVM's default exit (status 143):
 * Kubernetes sends SIGTERM and expects in-flight calls to finish and the process to exit 0.
 */
public final class TerminationSignals {
  private static final Logger log = LoggerFactory.getLogger(TerminationSignals.class);

  private TerminationSignals() {}

  /**
   * Installs handlers for TERM and INT that count down the returned latch; the caller waits on it
   * and then shuts down. A second signal while draining is ignored (the drain is bounded).
   */
  public static CountDownLatch install() {
    CountDownLatch latch = new CountDownLatch(1);
    for (String name : new String[] {"TERM", "INT"}) {
      try {
        Signal.handle(new Signal(name), sig -> {
          log.info("received SIG{}: shutting down gracefully", sig.getName());
          latch.countDown();
        });
      } catch (IllegalArgumentException e) {
        log.warn("cannot handle SIG{} on this platform: {}", name, e.getMessage());
      }
    }
    return latch;
  }

  /** Starts {@code server}, waits for TERM/INT, drains, and returns the process exit status. */
  public static int serveUntilSignalled(OcrgateServer server) throws InterruptedException {
    CountDownLatch latch = install();
    server.start();
    latch.await();
    server.shutdownGracefully();
    return 0;
  }
}
