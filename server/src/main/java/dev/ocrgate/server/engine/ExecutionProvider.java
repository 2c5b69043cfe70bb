package dev.ocrgate.server.engine;

import java.util.Locale;

/** Which ONNX Runtime execution provider runs the models. */
public enum ExecutionProvider {
  /** CUDA when it initialises on this machine, otherwise CPU (the reason is logged). */
  AUTO,
  /** CUDA only: startup fails when it cannot be initialised. */
  CUDA,
  /** CPU only. */
  CPU;

  /** Parses {@code auto}, {@code cuda} or {@code cpu} (any case). */
  public static ExecutionProvider parse(String name) {
    if (name == null) {
      return AUTO;
    }
    switch (name.trim().toLowerCase(Locale.ROOT)) {
      case "auto":
        return AUTO;
      case "cuda":
        return CUDA;
      case "cpu":
        return CPU;
      default:
        throw new EngineException(
            "engine.provider must be auto, cuda or cpu, not '" + name + "'");
    }
  }
}
