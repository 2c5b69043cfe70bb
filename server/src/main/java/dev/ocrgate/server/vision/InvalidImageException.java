package dev.ocrgate.server.vision;

/**
 * An image the server refuses: too large, undecodable, wrong raw size. The message is short,
 * contains no client data, and is safe to return as an INVALID_ARGUMENT description. Not final
 * only for {@link DecodeBudgetException}, the one refusal that is not the image's fault.
 */
public class InvalidImageException extends Exception {
  private static final long serialVersionUID = 1L;

  public InvalidImageException(String message) {
    super(message);
  }

  public InvalidImageException(String message, Throwable cause) {
    super(message, cause);
  }
}
