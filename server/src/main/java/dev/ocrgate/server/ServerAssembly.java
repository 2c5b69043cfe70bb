package dev.ocrgate.server;

import dev.ocrgate.server.config.OcrgateConfig;

/**
 * Wires the production server from a validated config: interceptors (outermost first), services,
 * warm-up tasks and the resources to close. The one place that knows every package; each package
 * knows only its own configuration section.
 */
public final class ServerAssembly {
  private ServerAssembly() {}

  /** The server for {@code config}, not yet started. */
  public static OcrgateServer assemble(OcrgateConfig config) {
    OcrgateServer.Builder builder = OcrgateServer.builder(config);
    return builder.build();
  }
}
