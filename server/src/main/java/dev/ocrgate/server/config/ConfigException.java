package dev.ocrgate.server.config;

/** A configuration problem found at startup; its message is meant for the operator, as is. */
public final class ConfigException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public ConfigException(String message) {
    super(message);
  }

  public ConfigException(String message, Throwable cause) {
    super(message, cause);
  }
}
