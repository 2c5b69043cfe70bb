package dev.ocrgate.server.vision;

/**
 * The image is acceptable but the server's decode memory budget ({@link DecodeBudget}) had no
 * room for it in time. Not the image's fault: callers answer RESOURCE_EXHAUSTED (retry later),
 * not INVALID_ARGUMENT. A subclass of {@link InvalidImageException} so that every decode call
 * site refuses it without decoding; the message is fixed and client-safe.
 */
public final class DecodeBudgetException extends InvalidImageException {
  private static final long serialVersionUID = 1L;

  /** The fixed description clients see. */
  public static final String MESSAGE = "server is busy decoding other images; retry later";

  public DecodeBudgetException() {
    super(MESSAGE);
  }
}
