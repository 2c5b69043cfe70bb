package dev.ocrgate.server.vision;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.HashSet;
import java.util.Set;

/**
 * A list of known words, as a spell checker's word list has them (the shipped one is SCOWL's
 * {@code american-english}, see {@code models/ppocr-v4/english-words.txt}). Only entries of ASCII
 * letters are kept: {@link LexiconSpaces} looks up nothing else.
 *
 * <p>{@link #known} decides case as a reader would: a word as listed is known ({@code Debian},
 * {@code size}); a capitalised or all-capital word is known when its lower-case or capitalised form
 * is ({@code Size}, {@code SIZE}); a lower-case word is not known from a capitalised entry
 * ({@code io} is not a word although {@code Io} is). One letter is a word only as {@code a},
 * {@code A} or {@code I}: word lists carry every letter, and a lone {@code s} or {@code t} on an
 * OCR line is a fragment. Immutable and thread-safe.
 */
public final class Lexicon {
  private final Set<String> words;

  private Lexicon(Set<String> words) {
    this.words = words;
  }

  /** The words of {@code entries} (entries that are not all ASCII letters are left out). */
  public static Lexicon of(Collection<String> entries) {
    Set<String> set = new HashSet<>();
    for (String e : entries) {
      add(set, e);
    }
    return new Lexicon(Set.copyOf(set));
  }

  /**
   * Reads a word list: UTF-8, one word per line; blank lines and lines starting with {@code #}
   * are skipped, as are entries that are not all ASCII letters ({@code don't}, {@code café}).
   *
   * @throws CharacterCodingException when the file is not UTF-8
   * @throws IOException when it cannot be read
   */
  public static Lexicon load(Path file) throws IOException {
    Set<String> set = new HashSet<>();
    for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
      if (!line.startsWith("#")) {
        add(set, line.strip());
      }
    }
    return new Lexicon(Set.copyOf(set));
  }

  private static void add(Set<String> set, String entry) {
    if (!entry.isEmpty() && asciiLetters(entry)) {
      set.add(entry);
    }
  }

  /** How many entries were kept. */
  public int size() {
    return words.size();
  }

  /** Whether {@code word} (ASCII letters) is a known word; see the class comment for case. */
  public boolean known(String word) {
    if (word.isEmpty() || !asciiLetters(word)) {
      return false;
    }
    if (word.length() == 1) {
      return word.equals("a") || word.equals("A") || word.equals("I");
    }
    if (words.contains(word)) {
      return true;
    }
    boolean capitalised = Character.isUpperCase(word.charAt(0))
        && (lower(word.substring(1)) || word.chars().allMatch(Character::isUpperCase));
    if (!capitalised) {
      return false;
    }
    String lower = word.toLowerCase(java.util.Locale.ROOT);
    return words.contains(lower) || words.contains(Character.toUpperCase(lower.charAt(0)) + lower.substring(1));
  }

  /** Only ASCII letters, at least one. */
  static boolean asciiLetters(String s) {
    if (s.isEmpty()) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      if (!asciiLetter(s.charAt(i))) {
        return false;
      }
    }
    return true;
  }

  /** An ASCII letter, a-z or A-Z. */
  static boolean asciiLetter(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
  }

  /** Only upper-case ASCII letters, at least one. */
  static boolean upper(String s) {
    return !s.isEmpty() && s.chars().allMatch(c -> c >= 'A' && c <= 'Z');
  }

  /** Only lower-case ASCII letters, at least one. */
  static boolean lower(String s) {
    return !s.isEmpty() && s.chars().allMatch(c -> c >= 'a' && c <= 'z');
  }
}
