package dev.ocrgate.api;

import io.grpc.Metadata;

/**
 * Response headers of {@code OcrService/StreamFrames} that belong to the contract (see ocr.proto,
 * {@code Frame.rows}). One definition for the server that sends them and the clients that read
 * them.
 */
public final class StreamHeaders {
  private StreamHeaders() {}

  /**
   * {@code ocrgate-frame-rows: 1}: this server reads {@code Frame.rows}. A client sends a frame as
   * some of its rows only on a call whose response headers carry it; a server without it (older
   * than the field) would read the rows as the whole frame.
   */
  public static final Metadata.Key<String> FRAME_ROWS =
      Metadata.Key.of("ocrgate-frame-rows", Metadata.ASCII_STRING_MARSHALLER);

  /** The value of {@link #FRAME_ROWS} a server that reads rows sends. */
  public static final String READS_ROWS = "1";
}
