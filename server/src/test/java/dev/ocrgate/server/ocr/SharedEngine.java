package dev.ocrgate.server.ocr;

import dev.ocrgate.server.config.EngineSection;
import dev.ocrgate.server.testing.RepoPaths;

/**
 * One CPU {@link OcrEngine} on the real PP-OCRv4 models per test JVM (loading takes seconds), warmed
 * up once. Never closed explicitly: the sessions live as long as the forked test JVM.
 */
final class SharedEngine {
  private static OcrEngine engine;

  private SharedEngine() {}

  static synchronized OcrEngine get() {
    if (engine == null) {
      EngineSection s = new EngineSection();
      s.provider = "cpu";
      engine = OcrEngine.open(RepoPaths.modelDir(), s);
      engine.warmUp();
    }
    return engine;
  }
}
