package dev.ocrgate.server.vision;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Word spaces of Latin lines checked against a {@link Lexicon}, as Tesseract checks its words
 * against a dictionary: removes spaces the recogniser said inside a word, and adds one between
 * two words it ran together, where the word list shows it.
 *
 * <p><b>Joins.</b> On printed pages the recogniser splits monospaced words whose narrow letters
 * stand apart ({@code rat io}, {@code s i ze}, {@code stab le}), and the CTC steps cannot tell
 * these gaps from word gaps (bench/results/word-spaces.md). Adjacent tokens are joined when all
 * of these hold:
 * <ul>
 *   <li>the joined letters form a known word of at least {@value #MIN_JOINED} letters;
 *   <li>at least one part is not a known word (so {@code in to}, {@code a part}, {@code the re}
 *       stay apart: the split form reads as words, and the lexicon cannot tell them wrong);
 *   <li>every part is ASCII letters only, except that the first token may carry anything before
 *       its letters and the last anything after them ({@code "/etc/cron . dai ly/apt"} →
 *       {@code daily/apt}, {@code sep=equa lly.}) as long as no digit touches the letters
 *       ({@code x2ab out} is not {@code x2about});
 *   <li>no part but the first starts with a capital letter ({@code Debian Reference} stays);
 *   <li>at most {@value #MAX_PARTS} tokens ({@code di st ort ion}).
 * </ul>
 * Among the ways to group a line's tokens the one with the fewest unknown tokens wins, then the
 * one with the fewest joins ({@code set s i ze} → {@code set size}, not {@code sets i ze}). A
 * token counts as unknown when its letters (ASCII letters, punctuation stripped from both ends)
 * are not a known word; tokens with digits or other characters inside count as known, so they never
 * give a reason to join.
 *
 * <p><b>Splits.</b> On tight justified lines and large outlined text the recogniser runs two
 * words together ({@code callfor}, {@code canbe}, {@code holderis}). A token of at least
 * {@value #MIN_SPLIT} ASCII letters (punctuation, but no digit, allowed before and after), lower
 * case after its first letter, or all upper case on a line without lower-case letters
 * ({@code EVENIF}: large subtitles in capitals lose their spaces as lower-case ones do; in mixed
 * text a token in capitals is a name, {@code Date and Time HOWTO}), and not a known word, gets one
 * space when exactly one place splits it into two known words of at least two letters each, one of
 * which is a common English function word ({@link #FUNCTION_WORDS}: a fixed list of articles,
 * pronouns, prepositions, conjunctions and auxiliaries). The function-word condition keeps
 * package and program names whole ({@code thunderbird}, {@code inkscape}, {@code gnucash},
 * {@code frontend} all split into two known words, but none of them into a function word).
 *
 * <p><b>Heard spaces.</b> Where the recogniser heard a space too faintly for
 * {@link WordSpaces} to say it (the space class rose, but below {@code word_space_probability}),
 * {@link #heard} takes the places it heard one and adds a space at some of them when the list
 * confirms it: a token (maximal run of non-whitespace) whose letters are not a known word is cut
 * at heard places into parts whose letters (non-letters stripped from both ends) are each a known
 * word, one letter only as {@code a}, {@code A} or {@code I} ({@code coveredwork},
 * {@code USEORINABILITY}, {@code recipientsa}, {@code sale,or}, {@code LAW.EXCEPT}). The fewest
 * cuts that do it win; when two sets of cuts of that number do, the token stays as it is. Unlike
 * the splits above no part need be a function word: the heard space is the evidence the list
 * lacks (a name such as {@code thunderbird} is not cut unless the model heard a space inside it).
 * A token whose letters join a neighbour's into a known word is a fragment of a split word
 * ({@code orientat ion}), left whole for the joins above.
 *
 * <p><b>Invariants.</b> Only whitespace changes: the line's other characters and their order are
 * kept, a join removes the whitespace between the joined tokens and a split adds one space; a line
 * with nothing to change is returned as it is (same string). Tokens are maximal runs of
 * non-whitespace. Nothing here looks at scripts: the caller applies it to Latin text only
 * ({@code ocr.TextLines}: images whose every line is {@link LatinText#only Latin}), so Chinese
 * text is never touched. Immutable and thread-safe.
 */
public final class LexiconSpaces {
  static final int MAX_PARTS = 5;
  static final int MIN_JOINED = 3;
  static final int MIN_SPLIT = 5;

  /** Closed-class English words that mark a split as two words rather than a compound name. */
  static final Set<String> FUNCTION_WORDS = Set.of(
      "the", "of", "and", "to", "in", "is", "it", "be", "as", "at", "by", "on", "or", "for", "not",
      "but", "all", "can", "are", "was", "has", "had", "have", "with", "that", "this", "from",
      "they", "you", "we", "he", "she", "his", "her", "its", "our", "their", "an", "if", "so", "no",
      "do", "did", "may", "will", "would", "should", "could", "than", "then", "there", "these",
      "those", "which", "who", "what", "when", "where", "how", "into", "onto", "out", "up");

  private final Lexicon lexicon;

  public LexiconSpaces(Lexicon lexicon) {
    this.lexicon = lexicon;
  }

  /** {@code line} with its word spaces checked against the lexicon (see the class comment). */
  public String line(String line) {
    List<String> tokens = new ArrayList<>();
    List<String> spaceBefore = new ArrayList<>(); // whitespace before each token; last = trailing
    tokenize(line, tokens, spaceBefore);
    int n = tokens.size();
    if (n == 0) {
      return line;
    }
    // best[i]: fewest unknown tokens, then fewest joins, over groupings of the first i tokens
    long[] best = new long[n + 1];
    int[] from = new int[n + 1];
    String[] made = new String[n + 1];
    java.util.Arrays.fill(best, Long.MAX_VALUE);
    best[0] = 0;
    for (int i = 0; i < n; i++) {
      if (best[i] == Long.MAX_VALUE) {
        continue;
      }
      long single = best[i] + ((long) unknown(tokens.get(i)) << 32);
      if (single < best[i + 1]) {
        best[i + 1] = single;
        from[i + 1] = i;
        made[i + 1] = null;
      }
      for (int k = 2; k <= Math.min(MAX_PARTS, n - i); k++) {
        String joined = join(tokens.subList(i, i + k));
        long cost = best[i] + 1;
        if (joined != null && cost < best[i + k]) {
          best[i + k] = cost;
          from[i + k] = i;
          made[i + k] = joined;
        }
      }
    }
    List<int[]> groups = new ArrayList<>(); // {start, end}
    List<String> texts = new ArrayList<>();
    for (int j = n; j > 0; j = from[j]) {
      groups.add(0, new int[] {from[j], j});
      texts.add(0, made[j]);
    }
    boolean capitals = !hasLowerCase(line);
    boolean changed = false;
    StringBuilder out = new StringBuilder(line.length() + 4);
    for (int g = 0; g < groups.size(); g++) {
      int start = groups.get(g)[0];
      out.append(spaceBefore.get(start));
      String text = texts.get(g);
      if (text == null) {
        text = split(tokens.get(start), capitals);
      }
      changed |= !text.equals(tokens.get(start));
      out.append(text);
    }
    out.append(spaceBefore.get(n));
    return changed ? out.toString() : line;
  }

  /**
   * {@code line} with a space added at some of the {@code heard} offsets, as the class comment
   * says (Heard spaces); the line itself when none is added.
   *
   * @param heard offsets into {@code line}, each between two non-whitespace characters, where the
   *     recogniser heard a space it did not say (any order; others are ignored)
   */
  public String heard(String line, int[] heard) {
    if (heard.length == 0) {
      return line;
    }
    int[] cuts = heard.clone();
    java.util.Arrays.sort(cuts);
    List<String> tokens = new ArrayList<>();
    List<String> spaceBefore = new ArrayList<>();
    tokenize(line, tokens, spaceBefore);
    StringBuilder out = new StringBuilder(line.length() + cuts.length);
    int offset = 0;
    for (int t = 0; t < tokens.size(); t++) {
      String token = tokens.get(t);
      out.append(spaceBefore.get(t));
      offset += spaceBefore.get(t).length();
      boolean fragment = (t > 0 && joinsToWord(tokens.get(t - 1), token))
          || (t + 1 < tokens.size() && joinsToWord(token, tokens.get(t + 1)));
      out.append(fragment ? token : cutHeard(token, offset, cuts));
      offset += token.length();
    }
    out.append(spaceBefore.get(tokens.size()));
    return out.length() == line.length() ? line : out.toString();
  }

  /**
   * Whether the letters at the end of {@code left} and at the start of {@code right} make a known
   * word: then the two are a word split in two ({@code orientat ion}, {@code emu lator}), for the
   * joins to mend, and neither is cut.
   */
  private boolean joinsToWord(String left, String right) {
    int a = left.length();
    while (a > 0 && Lexicon.asciiLetter(left.charAt(a - 1))) {
      a--;
    }
    int b = 0;
    while (b < right.length() && Lexicon.asciiLetter(right.charAt(b))) {
      b++;
    }
    return a < left.length() && b > 0 && lexicon.known(left.substring(a) + right.substring(0, b));
  }

  /** {@code token} (at {@code offset} in its line) cut at the fewest heard places into known words, else itself. */
  private String cutHeard(String token, int offset, int[] heard) {
    List<Integer> at = new ArrayList<>(); // cut offsets within the token, then its end
    at.add(0);
    for (int h : heard) {
      if (h > offset && h < offset + token.length()) {
        at.add(h - offset);
      }
    }
    if (at.size() == 1 || knownWord(token)) {
      return token;
    }
    at.add(token.length());
    int m = at.size();
    // parts[j]: fewest known parts covering token[0, at[j]); ways[j]: how many groupings reach it (capped at 2)
    int[] parts = new int[m];
    int[] ways = new int[m];
    int[] from = new int[m];
    java.util.Arrays.fill(parts, Integer.MAX_VALUE);
    parts[0] = 0;
    ways[0] = 1;
    for (int j = 1; j < m; j++) {
      for (int i = 0; i < j; i++) {
        if (parts[i] == Integer.MAX_VALUE || !knownWord(token.substring(at.get(i), at.get(j)))) {
          continue;
        }
        int n = parts[i] + 1;
        if (n < parts[j]) {
          parts[j] = n;
          ways[j] = ways[i];
          from[j] = i;
        } else if (n == parts[j]) {
          ways[j] = Math.min(2, ways[j] + ways[i]);
        }
      }
    }
    if (parts[m - 1] == Integer.MAX_VALUE || ways[m - 1] > 1) {
      return token;
    }
    StringBuilder cut = new StringBuilder(token);
    for (int j = from[m - 1]; j > 0; j = from[j]) {
      cut.insert((int) at.get(j), ' ');
    }
    return cut.toString();
  }

  /** Whether {@code part}'s letters (non-letters stripped from both ends) are a known word. */
  private boolean knownWord(String part) {
    return lexicon.known(letters(part));
  }

  private static void tokenize(String line, List<String> tokens, List<String> spaceBefore) {
    int i = 0;
    int len = line.length();
    while (true) {
      int s = i;
      while (i < len && space(line.charAt(i))) {
        i++;
      }
      spaceBefore.add(line.substring(s, i));
      if (i == len) {
        return;
      }
      int t = i;
      while (i < len && !space(line.charAt(i))) {
        i++;
      }
      tokens.add(line.substring(t, i));
    }
  }

  private static boolean space(char c) {
    return Character.isWhitespace(c) || Character.isSpaceChar(c);
  }

  /** 1 when the token's letters (non-letters stripped from both ends) are ASCII letters and not a word. */
  private int unknown(String token) {
    String core = letters(token);
    return Lexicon.asciiLetters(core) && !lexicon.known(core) ? 1 : 0;
  }

  /** {@code token} without the non-letters at both ends. */
  private static String letters(String token) {
    int a = 0;
    int b = token.length();
    while (a < b && !Lexicon.asciiLetter(token.charAt(a))) {
      a++;
    }
    while (b > a && !Lexicon.asciiLetter(token.charAt(b - 1))) {
      b--;
    }
    return token.substring(a, b);
  }

  /** The joined token of {@code parts}, or null when they may not be joined. */
  private String join(List<String> parts) {
    int n = parts.size();
    String first = parts.get(0);
    int coreStart = first.length();
    while (coreStart > 0 && Lexicon.asciiLetter(first.charAt(coreStart - 1))) {
      coreStart--;
    }
    if (coreStart == first.length() || (coreStart > 0 && digit(first.charAt(coreStart - 1)))) {
      return null;
    }
    String last = parts.get(n - 1);
    int coreEnd = 0;
    while (coreEnd < last.length() && Lexicon.asciiLetter(last.charAt(coreEnd))) {
      coreEnd++;
    }
    if (coreEnd == 0 || (coreEnd < last.length() && digit(last.charAt(coreEnd)))) {
      return null;
    }
    List<String> cores = new ArrayList<>(n);
    cores.add(first.substring(coreStart));
    for (int k = 1; k < n - 1; k++) {
      if (!Lexicon.asciiLetters(parts.get(k))) {
        return null;
      }
      cores.add(parts.get(k));
    }
    cores.add(last.substring(0, coreEnd));
    StringBuilder joined = new StringBuilder();
    boolean anyUnknown = false;
    for (int k = 0; k < n; k++) {
      String core = cores.get(k);
      if (k > 0 && Character.isUpperCase(core.charAt(0))) {
        return null;
      }
      anyUnknown |= !lexicon.known(core);
      joined.append(core);
    }
    if (!anyUnknown || joined.length() < MIN_JOINED || !lexicon.known(joined.toString())) {
      return null;
    }
    return first.substring(0, coreStart) + joined + last.substring(coreEnd);
  }

  private static boolean hasLowerCase(String line) {
    for (int i = 0; i < line.length(); i++) {
      if (Character.isLowerCase(line.charAt(i))) {
        return true;
      }
    }
    return false;
  }

  /**
   * {@code token} with one space where it splits into a word and a function word, else itself; an
   * all-capitals token only on a line written in capitals ({@code capitals}).
   */
  private String split(String token, boolean capitals) {
    int a = 0;
    int b = token.length();
    while (a < b && !Lexicon.asciiLetter(token.charAt(a)) && !digit(token.charAt(a))) {
      a++;
    }
    while (b > a && !Lexicon.asciiLetter(token.charAt(b - 1)) && !digit(token.charAt(b - 1))) {
      b--;
    }
    String core = token.substring(a, b);
    if (core.length() < MIN_SPLIT || !Lexicon.asciiLetters(core)
        || !(Lexicon.lower(core.substring(1)) || (capitals && Lexicon.upper(core))) || lexicon.known(core)) {
      return token;
    }
    String found = null;
    for (int i = 2; i <= core.length() - 2; i++) {
      String left = core.substring(0, i);
      String right = core.substring(i);
      if ((FUNCTION_WORDS.contains(left.toLowerCase(java.util.Locale.ROOT))
          || FUNCTION_WORDS.contains(right.toLowerCase(java.util.Locale.ROOT)))
          && lexicon.known(left) && lexicon.known(right)) {
        if (found != null) {
          return token; // two ways to split: leave it
        }
        found = left + " " + right;
      }
    }
    return found == null ? token : token.substring(0, a) + found + token.substring(b);
  }

  private static boolean digit(char c) {
    return c >= '0' && c <= '9';
  }
}
