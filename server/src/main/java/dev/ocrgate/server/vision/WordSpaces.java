package dev.ocrgate.server.vision;

import java.util.List;

/**
 * Restores word spaces that the recogniser heard but did not say, between Latin characters.
 *
 * <p>PP-OCRv4's Chinese recogniser often reads large Latin text without its word spaces
 * ({@code Thestormiscomingtonight}): on the steps between two words the blank wins, but the space
 * class still rises well above its level inside a word. Measured on the tuning sets
 * (bench/results/word-spaces.md): between letters of one word the space class stayed below 0.1 on
 * every one of 2,938 pairs, at 59 of 75 lost word gaps it reached 0.1. So a space is inserted between
 * two consecutive Latin letters or digits (below U+0250; never next to punctuation, where page text
 * such as {@code /usr/share} or {@code x-terminal} would gain false spaces) when the space class
 * reached {@code minProbability} on the steps between them. Spaces the model emitted are kept, and
 * nothing changes next to a non-Latin symbol, so Chinese text reads exactly as before.
 *
 * <p>Immutable and thread-safe.
 */
public final class WordSpaces {
  private final float minProbability;

  /** @param minProbability space-class probability that makes a gap a word gap; 0 = off */
  public WordSpaces(float minProbability) {
    if (!(minProbability >= 0 && minProbability <= 1)) {
      throw new IllegalArgumentException("minProbability must be in [0, 1], was " + minProbability);
    }
    this.minProbability = minProbability;
  }

  /** The text of {@code emitted} with the spaces restored (unchanged when off). */
  public String text(CtcDecoder.Emitted emitted) {
    List<String> symbols = emitted.symbols();
    if (minProbability == 0) {
      return emitted.text();
    }
    float[] space = emitted.spaceAfter();
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < symbols.size(); i++) {
      out.append(symbols.get(i));
      if (i + 1 < symbols.size() && space[i] >= minProbability
          && latin(symbols.get(i)) && latin(symbols.get(i + 1))) {
        out.append(' ');
      }
    }
    return out.toString();
  }

  /** One Latin letter or digit (below U+0250). */
  static boolean latin(String symbol) {
    if (symbol.codePointCount(0, symbol.length()) != 1) {
      return false;
    }
    int cp = symbol.codePointAt(0);
    return cp < 0x250 && Character.isLetterOrDigit(cp);
  }
}
