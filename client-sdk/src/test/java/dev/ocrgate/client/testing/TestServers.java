package dev.ocrgate.client.testing;

import dev.ocrgate.server.OcrgateServer;
import dev.ocrgate.server.config.OcrgateConfig;
import dev.ocrgate.server.testing.TestTls;
import io.grpc.BindableService;
import io.grpc.ServerInterceptor;

/** Starts real Netty servers (TLS with the dev certificates unless plaintext) for SDK tests. */
public final class TestServers {
  private TestServers() {}

  /** A started TLS server on 127.0.0.1:{@code port} (0 = any free port). */
  public static OcrgateServer tls(int port, ServerInterceptor interceptor, BindableService... services) {
    OcrgateConfig config = config(port);
    TestTls.certs().applyTo(config.tls);
    return start(config, interceptor, services);
  }

  /** A started plaintext server (for the tests of refusing to send tokens without TLS). */
  public static OcrgateServer plaintext(ServerInterceptor interceptor, BindableService... services) {
    OcrgateConfig config = config(0);
    config.server.plaintext = true;
    return start(config, interceptor, services);
  }

  private static OcrgateConfig config(int port) {
    OcrgateConfig config = new OcrgateConfig();
    config.server.host = "127.0.0.1";
    config.server.port = port;
    config.server.drain_timeout_seconds = 0; // a stop cuts streams at once, like a crash
    return config;
  }

  private static OcrgateServer start(OcrgateConfig config, ServerInterceptor interceptor, BindableService... services) {
    OcrgateServer.Builder b = OcrgateServer.builder(config).addInterceptor(interceptor);
    for (BindableService s : services) {
      b.addService(s);
    }
    return b.build().start();
  }
}
