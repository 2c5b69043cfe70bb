package dev.ocrgate.server.vision;

import java.util.ArrayList;
import java.util.List;

/**
 * Word spaces of Latin text: restores those the recogniser heard but did not say, and, where the
 * line's own geometry shows it, drops those it said but the page does not have.
 *
 * <p><b>Space class.</b> PP-OCRv4's Chinese recogniser often reads large Latin text without its
 * word spaces ({@code Thestormiscomingtonight}): on the steps between two words the blank wins,
 * but the space class still rises well above its level inside a word. Measured on the tuning sets
 * (bench/results/word-spaces.md): between letters of one word the space class stayed below 0.1 on
 * every one of 2,938 pairs, at 59 of 75 lost word gaps it reached 0.1. So a space is inserted
 * between two consecutive Latin letters or digits (below U+0250), after a comma, semicolon,
 * closing bracket or double quote before one ({@code general,the} on justified lines,
 * {@code "status"file} on pages), or before an opening bracket or double quote after one
 * ({@code or(2)} in subtitles), when the space class reached {@code minProbability} on the steps
 * between them ({@link #spaceable}); never next to other punctuation, where page text such as
 * {@code /usr/share} or {@code x-terminal} would gain false spaces.
 *
 * <p><b>Ink gaps.</b> On printed pages the model also says spaces that are not there, inside
 * monospaced words whose narrow letters stand apart ({@code rat io}, {@code s i ze},
 * {@code cron . daily}), and misses some that are. With the crop's {@link InkColumns}, the gap
 * between two symbols is the widest ink-free run of columns between their CTC step centres. The
 * line calibrates itself: its word gap W is the median gap at the spaces the model said between
 * Latin symbols (at least {@value #MIN_SAID_SPACES} of them, and W at least
 * {@value #MIN_WORD_GAP_TO_BODY} of the text body's height, else the line is left to the space
 * class alone: a short line), and a crop that does not split cleanly into ink and background
 * ({@link InkColumns#separation()} below {@code minSeparation}: text over noise or texture, where
 * the gaps cannot be told from the background) is left alone too, and so is a line where the
 * rule would drop more than {@code maxOverruled} of the spaces the model said (its W is off: a
 * justified line, mixed fonts, a crop cutting another column). Between two Latin symbols
 * (letters, digits or punctuation below U+0250), a gap in {@code (removeFrom·W, removeTo·W)} is no
 * word gap: wider than the gaps inside proportional words, narrower than the line's word gaps,
 * which is where monospaced letters sit; a gap of at least {@code insert·W} between two letters or
 * digits is one. Gaps below {@code removeFrom·W} are left to the model: there the ink of two words
 * touches (an underline, a tight justified line) and the columns carry no evidence.
 *
 * The ink-gap rule ships off ({@code recognition.word_gaps}): on the held-out pages it helped
 * monospace-heavy pages as much as it hurt justified prose (bench/results/word-spaces.md).
 *
 * <p><b>Heard, not said.</b> A space the space class reached only {@code listedProbability}
 * for (at least that, below {@code minProbability}) is offered to a {@link LexiconSpaces}, which
 * adds it where it cuts a token the word list does not know into words it does
 * ({@link LexiconSpaces#heard}): {@code coveredwork}, {@code USEORINABILITY}, {@code sale,or}. The
 * places offered are those a space may stand at ({@link #spaceable}) and, as sentences end there,
 * after a full stop, question or exclamation mark before a capital ({@code LAW.EXCEPT}); not where
 * the ink-gap rule ruled a space out; only on lines whose every symbol is Latin. {@link #spaced}
 * gives the text with and without them, and the caller keeps them off print ({@code
 * ocr.Recognizer} takes a light crop background as print; a video frame's lines keep them
 * whatever their background, {@link CtcDecoder.Decoded#frameText}): on the bench's pages every faint space
 * the word list confirmed was a monospaced identifier's letter spacing ({@code fillcolor},
 * {@code labelfontname}), never a lost word gap (bench/results/word-spaces.md).
 *
 * <p>Nothing changes next to a non-Latin symbol, so Chinese characters read exactly as before
 * (Latin words inside a Chinese page are Latin text to both rules). Immutable and thread-safe.
 */
public final class WordSpaces {
  static final int MIN_SAID_SPACES = 3;
  static final double MIN_WORD_GAP_TO_BODY = 0.3;

  /**
   * The ink-gap rule's ratios to the line's word gap W; all 0 = off.
   *
   * @param insert a gap of at least {@code insert·W} between letters/digits is a word gap
   * @param removeFrom lower end of the band of gaps that are not word gaps
   * @param removeTo upper end of that band
   * @param minSeparation crops whose {@link InkColumns#separation()} is lower are left to the
   *     space class (noise or texture fills the gaps)
   * @param maxOverruled a line where more than this share of the model's spaces would be dropped
   *     is left to the space class (its word gap was not measured right)
   */
  public record Gaps(double insert, double removeFrom, double removeTo, double minSeparation,
      double maxOverruled) {
    public static final Gaps OFF = new Gaps(0, 0, 0, 0, 0);

    public Gaps {
      if (!(removeFrom >= 0 && removeTo >= removeFrom && removeTo <= 1
          && (insert == 0 || insert >= removeTo) && minSeparation >= 0 && minSeparation <= 1
          && maxOverruled >= 0 && maxOverruled <= 1)) {
        throw new IllegalArgumentException("word gaps need 0 <= remove_from <= remove_to <= 1, "
            + "insert 0 or >= remove_to, min_separation and max_overruled in [0, 1]");
      }
    }

    boolean off() {
      return insert == 0 && removeTo == 0;
    }
  }

  private final float minProbability;
  private final Gaps gaps;
  private final float listedProbability;
  private final LexiconSpaces listed;

  /**
   * @param minProbability space-class probability that makes a gap a word gap; 0 = off
   * @param gaps the ink-gap rule, {@link Gaps#OFF} for none
   */
  public WordSpaces(float minProbability, Gaps gaps) {
    this(minProbability, gaps, 0, null);
  }

  /**
   * With heard spaces confirmed by a word list (see the class comment).
   *
   * @param listedProbability space-class probability at which a space is offered to
   *     {@code listed}; 0 = never
   * @param listed the word list's spaces, or null (then {@code listedProbability} must be 0)
   */
  public WordSpaces(float minProbability, Gaps gaps, float listedProbability, LexiconSpaces listed) {
    if (!(minProbability >= 0 && minProbability <= 1)) {
      throw new IllegalArgumentException("minProbability must be in [0, 1], was " + minProbability);
    }
    if (!(listedProbability >= 0 && listedProbability <= 1) || (listedProbability > 0 && listed == null)) {
      throw new IllegalArgumentException("listedProbability must be in [0, 1] and needs a word list, was "
          + listedProbability);
    }
    this.minProbability = minProbability;
    this.gaps = gaps;
    this.listedProbability = listedProbability;
    this.listed = listedProbability > 0 ? listed : null;
  }

  /** The space-class rule only. */
  public WordSpaces(float minProbability) {
    this(minProbability, Gaps.OFF);
  }

  /** Whether {@link #text(CtcDecoder.Emitted, InkColumns, double)} looks at the crop at all. */
  public boolean usesInk() {
    return !gaps.off();
  }

  /** The text of {@code emitted} with the spaces restored from the space class (unchanged when off). */
  public String text(CtcDecoder.Emitted emitted) {
    return text(emitted, null, 0);
  }

  /**
   * The text of {@code emitted} with its word spaces decided by the space class and, when
   * {@code ink} is given, by the ink gaps of its crop.
   *
   * @param ink the crop's ink columns, or null
   * @param cropPixelsPerStep crop pixels per CTC step (step {@code t} covers crop x from
   *     {@code t·cropPixelsPerStep})
   */
  public String text(CtcDecoder.Emitted emitted, InkColumns ink, double cropPixelsPerStep) {
    return spaced(emitted, ink, cropPixelsPerStep).withHeard();
  }

  /**
   * A line's text without the heard spaces (for print) and with those the word list confirmed
   * ({@code withHeard}: the same string when there are none).
   */
  public record Spaced(String said, String withHeard) {}

  /**
   * As {@link #text(CtcDecoder.Emitted, InkColumns, double)}, the text once without the heard
   * spaces and once with them (see the class comment), decided in one pass.
   */
  public Spaced spaced(CtcDecoder.Emitted emitted, InkColumns ink, double cropPixelsPerStep) {
    List<String> symbols = emitted.symbols();
    if (minProbability == 0 && listed == null && (ink == null || gaps.off())) {
      String text = emitted.text();
      return new Spaced(text, text);
    }
    float[] space = emitted.spaceAfter();
    List<Integer> said = new ArrayList<>(); // indices of non-space symbols
    for (int i = 0; i < symbols.size(); i++) {
      if (!" ".equals(symbols.get(i))) {
        said.add(i);
      }
    }
    int[] gap = ink == null || gaps.off() ? null : gaps(emitted, said, ink, cropPixelsPerStep);
    double wordGap = gap == null || ink.separation() < gaps.minSeparation()
        ? -1 : wordGap(symbols, said, gap, ink.bodyHeight());
    List<Integer> heard = new ArrayList<>(); // offsets into out where a space was heard, not said
    StringBuilder out = new StringBuilder();
    int first = said.isEmpty() ? symbols.size() : said.get(0);
    symbols.subList(0, first).forEach(out::append);
    for (int k = 0; k < said.size(); k++) {
      int a = said.get(k);
      out.append(symbols.get(a));
      int b = k + 1 < said.size() ? said.get(k + 1) : symbols.size();
      String between = String.join("", symbols.subList(a + 1, b));
      if (b == symbols.size()) {
        out.append(between);
        break;
      }
      boolean spoken = b > a + 1;
      boolean word = spoken || (minProbability > 0 && space[a] >= minProbability
          && spaceable(symbols.get(a), symbols.get(b)));
      boolean gapSaysNo = false;
      if (wordGap > 0 && latin(symbols.get(a)) && latin(symbols.get(b))) {
        word = byGap(word, gap[k], wordGap, symbols.get(a), symbols.get(b));
        gapSaysNo = inBand(gap[k], wordGap);
      }
      if (word) {
        out.append(spoken ? between : " ");
      } else if (listed != null && !gapSaysNo && space[a] >= listedProbability
          && (spaceable(symbols.get(a), symbols.get(b)) || sentenceEnd(symbols.get(a), symbols.get(b)))) {
        heard.add(out.length());
      }
    }
    String text = out.toString();
    if (heard.isEmpty() || !symbols.stream().allMatch(x -> latin(x) || " ".equals(x))) {
      return new Spaced(text, text);
    }
    return new Spaced(text, listed.heard(text, heard.stream().mapToInt(Integer::intValue).toArray()));
  }

  /** A full stop, question or exclamation mark before a Latin capital ({@code LAW.EXCEPT}). */
  static boolean sentenceEnd(String a, String b) {
    return (".".equals(a) || "?".equals(a) || "!".equals(a))
        && letterOrDigit(b) && Character.isUpperCase(b.codePointAt(0));
  }

  private boolean byGap(boolean word, int gap, double wordGap, String a, String b) {
    if (inBand(gap, wordGap)) {
      return false;
    }
    if (gaps.insert() > 0 && gap >= gaps.insert() * wordGap && letterOrDigit(a) && letterOrDigit(b)) {
      return true;
    }
    return word;
  }

  /** gap[k]: widest ink-free run between the step centres of said symbols k and k + 1. */
  private static int[] gaps(CtcDecoder.Emitted emitted, List<Integer> said, InkColumns ink, double perStep) {
    float[] centre = emitted.centre();
    int[] gap = new int[Math.max(0, said.size() - 1)];
    for (int k = 0; k + 1 < said.size(); k++) {
      double from = (centre[said.get(k)] + 0.5) * perStep;
      double to = (centre[said.get(k + 1)] + 0.5) * perStep;
      gap[k] = ink.widestGap((int) from, (int) Math.ceil(to));
    }
    return gap;
  }

  /** The line's word gap: median gap at the spaces the model said between Latin symbols; -1 if unknown. */
  private double wordGap(List<String> symbols, List<Integer> said, int[] gap, int bodyHeight) {
    List<Integer> atSpaces = new ArrayList<>();
    for (int k = 0; k + 1 < said.size(); k++) {
      int a = said.get(k);
      int b = said.get(k + 1);
      if (b > a + 1 && latin(symbols.get(a)) && latin(symbols.get(b))) {
        atSpaces.add(gap[k]);
      }
    }
    if (atSpaces.size() < MIN_SAID_SPACES) {
      return -1;
    }
    atSpaces.sort(null);
    int n = atSpaces.size();
    double median = n % 2 == 1 ? atSpaces.get(n / 2) : (atSpaces.get(n / 2 - 1) + atSpaces.get(n / 2)) / 2.0;
    if (median <= 0 || median < MIN_WORD_GAP_TO_BODY * bodyHeight) {
      return -1;
    }
    long overruled = atSpaces.stream().filter(g -> inBand(g, median)).count();
    return overruled <= gaps.maxOverruled() * n ? median : -1;
  }

  private boolean inBand(int gap, double wordGap) {
    return gap > gaps.removeFrom() * wordGap && gap < gaps.removeTo() * wordGap;
  }

  /**
   * May a restored space stand between {@code a} and {@code b}: two Latin letters or digits; after
   * a comma or semicolon (in prose always followed by a space; in code such as {@code x,y} the
   * space class stays low), a closing bracket or a double quote, before a letter or digit
   * ({@code "status"file}); or after a letter or digit, before an opening bracket or a double
   * quote ({@code or(2)}, {@code The"status"}). Other punctuation never gets one
   * ({@code /usr/share}, {@code x-terminal}, {@code a.b}, {@code V:17}).
   */
  static boolean spaceable(String a, String b) {
    if (letterOrDigit(a)) {
      return letterOrDigit(b) || "(".equals(b) || "[".equals(b) || "\"".equals(b);
    }
    return letterOrDigit(b) && (",".equals(a) || ";".equals(a) || ")".equals(a) || "]".equals(a) || "\"".equals(a));
  }

  /** One Latin letter or digit (below U+0250). */
  static boolean letterOrDigit(String symbol) {
    return latin(symbol) && Character.isLetterOrDigit(symbol.codePointAt(0));
  }

  /** One visible character below U+0250 (Latin letters, digits, ASCII and Latin-1 punctuation). */
  static boolean latin(String symbol) {
    if (symbol.codePointCount(0, symbol.length()) != 1) {
      return false;
    }
    int cp = symbol.codePointAt(0);
    return cp < 0x250 && !Character.isWhitespace(cp) && !Character.isSpaceChar(cp);
  }
}
