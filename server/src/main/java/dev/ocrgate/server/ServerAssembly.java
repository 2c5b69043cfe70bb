package dev.ocrgate.server;

import dev.ocrgate.server.config.OcrgateConfig;
import dev.ocrgate.server.ocr.OcrModule;

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
    OcrModule ocr = OcrModule.create(config);
    builder
        .addService(ocr.grpcService())
        .warmUp(ocr::warmUp)
        .onClose(ocr)
        .startupFact("provider", ocr.engine().provider())
        .startupFact("models", ocr.engine().modelName());
    return builder.build();
  }
}
