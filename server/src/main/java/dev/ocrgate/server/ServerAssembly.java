package dev.ocrgate.server;

import dev.ocrgate.server.config.OcrgateConfig;
import dev.ocrgate.server.observability.GrpcServerMetrics;
import dev.ocrgate.server.observability.Metrics;

/**
 * Wires the production server from a validated config: interceptors (outermost first), services,
 * warm-up tasks and the resources to close. The one place that knows every package; each package
 * knows only its own configuration section.
 */
public final class ServerAssembly {
  private ServerAssembly() {}

  /** The server for {@code config}, not yet started. */
  public static OcrgateServer assemble(OcrgateConfig config) {
    Metrics metrics = Metrics.prometheus();
    OcrgateServer.Builder builder = OcrgateServer.builder(config).metrics(metrics);
    // Outermost: every call is counted and timed, including those the auth interceptor rejects.
    builder.addInterceptor(GrpcServerMetrics.create(metrics));
    builder.onClose(metrics);
    return builder.build();
  }
}
