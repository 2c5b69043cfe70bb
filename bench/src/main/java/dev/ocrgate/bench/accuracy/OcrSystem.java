package dev.ocrgate.bench.accuracy;

import java.nio.file.Path;
import java.util.List;

/**
 * An OCR system under evaluation. Used from one thread at a time, except in the throughput pass,
 * which calls {@link #read} from up to {@link #maxConcurrency()} threads at once.
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

  /**
   * How many {@link #read} calls may run at once; 1 (the default) = the system cannot take
   * concurrent calls in one process, so its throughput is its sequential rate.
   */
  default int maxConcurrency() {
    return 1;
  }

  @Override
  default void close() throws Exception {}
}
