package dev.ocrgate.server.vision;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The recogniser's output classes: index 0 is the CTC blank, indices 1..n are the lines of the
 * dictionary file (one character each), and index n + 1 is a space (PaddleOCR's
 * {@code use_space_char}). Immutable.
 */
public final class CharDictionary {
  private final String[] symbols;

  private CharDictionary(String[] symbols) {
    this.symbols = symbols;
  }

  /**
   * Reads a dictionary file (UTF-8, one entry per line).
   *
   * @throws IOException when the file cannot be read or is not UTF-8
   */
  public static CharDictionary load(Path file) throws IOException {
    List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    return of(lines);
  }

  /** From entries in dictionary order (blank and space are added). */
  public static CharDictionary of(List<String> entries) {
    String[] s = new String[entries.size() + 2];
    s[0] = "";
    for (int i = 0; i < entries.size(); i++) {
      s[i + 1] = stripLineEnd(entries.get(i));
    }
    s[s.length - 1] = " ";
    return new CharDictionary(s);
  }

  private static String stripLineEnd(String line) {
    int end = line.length();
    while (end > 0 && (line.charAt(end - 1) == '\r' || line.charAt(end - 1) == '\n')) {
      end--;
    }
    return line.substring(0, end);
  }

  /** Number of classes, blank and space included: the size of the model's last dimension. */
  public int classes() {
    return symbols.length;
  }

  /** The class of the space (the last one). */
  public int spaceIndex() {
    return symbols.length - 1;
  }

  /** The text of class {@code index} (empty for the blank). */
  public String symbol(int index) {
    return symbols[index];
  }
}
