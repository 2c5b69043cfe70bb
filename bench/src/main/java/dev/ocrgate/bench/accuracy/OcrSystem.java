package dev.ocrgate.bench.accuracy;

import java.nio.file.Path;
import java.util.List;

/**
 * An OCR system under evaluation. Implementations are used from one thread at a time.
 */
public interface OcrSystem extends AutoCloseable {
  /** Short name for the table (ocrgate, RapidOcr-Java, Tesseract). */
  String name();

  /** Version and the settings used, for the report. */
  String describe();

  /**
   * Reads the image file (decoding included: every system starts from the same PNG bytes).
   *
   * @return the lines in the system's own order
   */
  List<OcrLine> read(Path image, EvalSet set) throws Exception;

  @Override
  default void close() throws Exception {}
}
