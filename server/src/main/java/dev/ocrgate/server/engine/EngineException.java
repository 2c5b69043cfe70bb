package dev.ocrgate.server.engine;

/**
 * ONNX Runtime could not be set up or an inference failed. Messages are for operators (they may
 * name files and providers) and are never sent to clients.
 */
public final class EngineException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public EngineException(String message) {
    super(message);
  }

  public EngineException(String message, Throwable cause) {
    super(message, cause);
  }
}
