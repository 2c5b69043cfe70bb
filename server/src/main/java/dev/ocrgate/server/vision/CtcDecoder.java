package dev.ocrgate.server.vision;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Greedy CTC decoding of the recogniser's per-step class probabilities: take the most likely
 * class at each step, merge repeats, drop blanks. The confidence is the mean probability of the
 * steps that produced a character (0 when none did). Each emitted symbol also keeps the highest
 * probability the space class had on the steps after it and before the next symbol, for
 * {@link WordSpaces}. With a {@link LexiconRespelling}, Latin words the word list does not know
 * are respelled on the greedy path before it is read. Stateless; thread-safe.
 */
public final class CtcDecoder {
  private final CharDictionary dictionary;
  private final LexiconRespelling respelling;

  public CtcDecoder(CharDictionary dictionary) {
    this(dictionary, null);
  }

  /** With unknown Latin words respelled on the greedy path before it is read ({@code respelling}; null = never). */
  public CtcDecoder(CharDictionary dictionary, LexiconRespelling respelling) {
    this.dictionary = dictionary;
    this.respelling = respelling;
  }

  /**
   * Text and confidence of one decoded line, and where its first and last characters stand: the
   * centres of their CTC runs, in pixels of the crop read from its left end (NaN when it has no
   * character or they were not measured). {@code frameText} is the text as a video frame reads
   * it: there no line is print, so the faint spaces {@link WordSpaces} keeps off print are offered
   * whatever the background (the same string as {@code text} when that changes nothing).
   */
  public record Decoded(String text, float confidence, float firstX, float lastX, String frameText) {
    public Decoded {
      java.util.Objects.requireNonNull(text, "text");
      java.util.Objects.requireNonNull(frameText, "frameText");
    }

    public Decoded(String text, float confidence, float firstX, float lastX) {
      this(text, confidence, firstX, lastX, text);
    }

    public Decoded(String text, float confidence) {
      this(text, confidence, Float.NaN, Float.NaN);
    }

    /** This line as a video frame reads it ({@code frameText} as its text). */
    public Decoded inFrame() {
      return frameText.equals(text) ? this : new Decoded(frameText, confidence, firstX, lastX, frameText);
    }
  }

  /**
   * The decoded symbols of one line.
   *
   * @param symbols dictionary entries, in reading order (a space is {@code " "})
   * @param spaceAfter {@code spaceAfter[i]} is the highest space-class probability on the steps
   *     between symbol i and symbol i + 1 (after the last symbol: up to the end of the line), the
   *     steps where no symbol won
   */
  public record Emitted(List<String> symbols, float[] spaceAfter, float[] centre, float confidence) {
    public Emitted {
      symbols = List.copyOf(symbols);
      spaceAfter = spaceAfter.clone();
      centre = centre.clone();
      if (spaceAfter.length != symbols.size() || centre.length != symbols.size()) {
        throw new IllegalArgumentException("one space probability and one centre per symbol");
      }
    }

    @Override
    public float[] spaceAfter() {
      return spaceAfter.clone();
    }

    @Override
    public float[] centre() {
      return centre.clone();
    }

    /** The symbols joined. */
    public String text() {
      return String.join("", symbols);
    }
  }

  /**
   * Decodes batch item {@code n} of an output {@code [N, steps, classes]}, considering only its
   * first {@code validSteps} steps (later ones saw only padding), keeping the space-class
   * probability between symbols.
   */
  public Emitted emitted(float[] probs, int n, int steps, int classes, int validSteps) {
    if (classes != dictionary.classes()) {
      throw new IllegalArgumentException(
          "model has " + classes + " classes, dictionary " + dictionary.classes());
    }
    int valid = Math.min(steps, validSteps);
    int spaceClass = dictionary.spaceIndex();
    int base = n * steps * classes;
    int[] path = new int[valid];
    for (int t = 0; t < valid; t++) {
      int row = base + t * classes;
      int best = 0;
      float bestP = probs[row];
      for (int c = 1; c < classes; c++) {
        if (probs[row + c] > bestP) {
          bestP = probs[row + c];
          best = c;
        }
      }
      path[t] = best;
    }
    if (respelling != null) {
      path = respelling.respell(probs, base, classes, path);
    }
    List<String> symbols = new ArrayList<>();
    float[] space = new float[valid];
    float[] centre = new float[valid];
    int runStart = 0;
    double sum = 0;
    int prev = -1;
    for (int t = 0; t < valid; t++) {
      int row = base + t * classes;
      int best = path[t];
      if (best != 0 && best != prev) {
        symbols.add(dictionary.symbol(best));
        sum += probs[row + best];
        runStart = t;
      }
      if (best != 0) {
        centre[symbols.size() - 1] = (runStart + t) / 2f;
      } else if (!symbols.isEmpty()) {
        int last = symbols.size() - 1;
        space[last] = Math.max(space[last], probs[row + spaceClass]);
      }
      prev = best;
    }
    int kept = symbols.size();
    return new Emitted(symbols, Arrays.copyOf(space, kept), Arrays.copyOf(centre, kept), kept == 0 ? 0f : (float) (sum / kept));
  }
}
