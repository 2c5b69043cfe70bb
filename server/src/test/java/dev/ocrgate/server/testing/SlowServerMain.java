package dev.ocrgate.server.testing;

import dev.ocrgate.server.OcrgateServer;
import dev.ocrgate.server.TerminationSignals;
import dev.ocrgate.server.config.OcrgateConfig;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * A server process for the SIGTERM test: TLS with the given dev certificates, the slow test
 * service, the production signal handling. Writes its port to {@code args[0]} once SERVING, and a
 * file {@code entered} next to it once a call has reached the handler; a line on stdin releases
 * the held calls (the test sends it once the server has started draining).
 */
public final class SlowServerMain {
  private SlowServerMain() {}

  public static void main(String[] args) throws Exception {
    Path portFile = Path.of(args[0]);
    Path certs = Path.of(args[1]);
    OcrgateConfig config = new OcrgateConfig();
    config.server.port = 0;
    config.server.drain_timeout_seconds = 60;
    config.tls.cert_chain = certs.resolve("server.crt").toString();
    config.tls.private_key = certs.resolve("server.key").toString();
    SlowOcrService slow = new SlowOcrService();
    OcrgateServer server = OcrgateServer.builder(config).addService(slow).build();
    Thread marker =
        new Thread(() -> {
          try {
            slow.entered.await();
            Files.writeString(portFile.resolveSibling("entered"), "1");
          } catch (Exception e) {
            // the test then times out waiting for the marker and says so
          }
        });
    marker.setDaemon(true);
    marker.start();
    Thread releaser =
        new Thread(() -> {
          try {
            new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
          } catch (IOException e) {
            // stdin closed: release anyway, the test is over
          }
          slow.release();
        });
    releaser.setDaemon(true);
    releaser.start();
    CountDownLatch signalled = TerminationSignals.install();
    server.start();
    Path tmp = portFile.resolveSibling(portFile.getFileName() + ".tmp");
    Files.writeString(tmp, Integer.toString(server.port()));
    Files.move(tmp, portFile);
    signalled.await();
    boolean drained = server.shutdownGracefully();
    System.exit(drained ? 0 : 3);
  }
}
