package dev.ocrgate.server.vision;

/**
 * Greedy CTC decoding of the recogniser's per-step class probabilities: take the most likely
 * class at each step, merge repeats, drop blanks. The confidence is the mean probability of the
 * steps that produced a character (0 when none did). Stateless; thread-safe.
 */
public final class CtcDecoder {
  private final CharDictionary dictionary;

  public CtcDecoder(CharDictionary dictionary) {
    this.dictionary = dictionary;
  }

  /** Text and confidence of one decoded line. */
  public record Decoded(String text, float confidence) {}

  /**
   * Decodes batch item {@code n} of an output {@code [N, steps, classes]}, considering only its
   * first {@code validSteps} steps (later ones saw only padding).
   */
  public Decoded decode(float[] probs, int n, int steps, int classes, int validSteps) {
    if (classes != dictionary.classes()) {
      throw new IllegalArgumentException(
          "model has " + classes + " classes, dictionary " + dictionary.classes());
    }
    StringBuilder text = new StringBuilder();
    double sum = 0;
    int kept = 0;
    int prev = -1;
    int base = n * steps * classes;
    for (int t = 0; t < Math.min(steps, validSteps); t++) {
      int row = base + t * classes;
      int best = 0;
      float bestP = probs[row];
      for (int c = 1; c < classes; c++) {
        if (probs[row + c] > bestP) {
          bestP = probs[row + c];
          best = c;
        }
      }
      if (best != 0 && best != prev) {
        text.append(dictionary.symbol(best));
        sum += bestP;
        kept++;
      }
      prev = best;
    }
    return new Decoded(text.toString(), kept == 0 ? 0f : (float) (sum / kept));
  }
}
