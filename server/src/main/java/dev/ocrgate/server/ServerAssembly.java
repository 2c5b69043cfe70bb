package dev.ocrgate.server;

import dev.ocrgate.server.auth.DevKeys;
import dev.ocrgate.server.auth.InMemoryRevocationStore;
import dev.ocrgate.server.auth.JwtAuth;
import dev.ocrgate.server.config.OcrgateConfig;
import dev.ocrgate.server.observability.GrpcServerMetrics;
import dev.ocrgate.server.observability.Metrics;
import java.nio.file.Path;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wires the production server from a validated config: interceptors (outermost first), services,
 * warm-up tasks and the resources to close. The one place that knows every package; each package
 * knows only its own configuration section.
 */
public final class ServerAssembly {
  private static final Logger log = LoggerFactory.getLogger(ServerAssembly.class);

  private ServerAssembly() {}

  /** The server for {@code config}, not yet started. */
  public static OcrgateServer assemble(OcrgateConfig config) {
    Metrics metrics = Metrics.prometheus();
    OcrgateServer.Builder builder = OcrgateServer.builder(config).metrics(metrics);
    // Outermost: every call is counted and timed, including those the auth interceptor rejects.
    builder.addInterceptor(GrpcServerMetrics.create(metrics));
    builder.onClose(metrics);
    addAuth(config, builder);
    return builder.build();
  }

  /** Authentication comes right after metrics: nothing else runs for a caller it refuses. */
  private static void addAuth(OcrgateConfig config, OcrgateServer.Builder builder) {
    if (!config.auth.enabled) {
      log.warn("AUTH DISABLED (auth.enabled: false): every caller can call every method");
      builder.startupFact("auth", "OFF");
      return;
    }
    Clock clock = Clock.systemUTC();
    Path devKeyDir = config.dev.enabled ? DevKeys.dir(Path.of(config.dev.certs_dir)) : null;
    InMemoryRevocationStore revocations = InMemoryRevocationStore.create(clock);
    JwtAuth auth = JwtAuth.fromConfig(config.auth, System::getenv, devKeyDir, revocations, clock);
    builder.addInterceptor(auth.interceptor()).onClose(auth).onClose(revocations).startupFact("auth", "jwt");
  }
}
