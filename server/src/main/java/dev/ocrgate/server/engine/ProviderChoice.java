package dev.ocrgate.server.engine;

/**
 * The execution provider an engine settled on and why, e.g. CPU because CUDA's libraries are
 * missing. {@code reason} is meant for the startup log.
 */
public record ProviderChoice(ExecutionProvider provider, String reason) {
  public ProviderChoice {
    if (provider == ExecutionProvider.AUTO) {
      throw new IllegalArgumentException("a choice is CUDA or CPU, not AUTO");
    }
  }

  /** {@code CPU} or {@code CUDA:<device>}, for the startup log line. */
  public String label(int deviceId) {
    return provider == ExecutionProvider.CUDA ? "CUDA:" + deviceId : "CPU";
  }
}
