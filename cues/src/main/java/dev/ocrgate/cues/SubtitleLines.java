package dev.ocrgate.cues;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Which of a frame's lines are subtitle text, and which are junk (background texture, counters,
 * signs, a stray mark) that must neither start nor split a cue. Rules, in order:
 *
 * <ol>
 *   <li><b>Line</b>: a line without letters or digits is junk; so is one below {@link
 *       CueRules#minConfidence}, unless it is at least {@value #UNSURE_CONFIDENCE} of it, has
 *       {@value #MIN_CHARS} letters or digits or more and, once the subtitle's place is known
 *       (below), stands there with the subtitle's size: height within {@value #MAX_HEIGHT_RATIO}×
 *       of H, centre within {@value #MAX_CENTER_OFFSET} H of X or at the aligned edge. Short
 *       words are where the recogniser is least sure of a right reading ({@code If} at 0.74 and
 *       0.79 in the short-cue bench's tune part: a lone capital I is also an l or a 1), while
 *       every junk line it read below the threshold there and in the long-cue tune part (7 of
 *       them) was lower than H / 1.6, farther than 4 H from X, or one character.
 *   <li><b>Row</b>: the detector may cut one line of text into several boxes side by side
 *       ({@code Nobody} | {@code knows where he went}, {@code 是} | {@code 一个原}). Boxes of one
 *       size ({@value #MAX_HEIGHT_RATIO}×) on one row ({@link Rows#sameRow}, the rule the server's
 *       subtitle rows use: overlapping vertically by at least half the lower one's height, at most
 *       1.5 line heights apart) are joined, and so is a word of x-height letters ({@code or},
 *       {@code a}, {@code us}) lying within the height of a box beside it, down to 1 / {@value
 *       #MAX_X_HEIGHT_RATIO} of it; left to right, into one line: its box is their union,
 *       its confidence the lowest, and its text theirs with a space between them, or none where
 *       both neighbouring characters belong to a script written without spaces (Han, kana,
 *       fullwidth punctuation). The rules below and the cue's text then see one line per row, as a
 *       viewer does.
 *   <li><b>Block</b>: a subtitle is one block of stacked lines of one size. The frame's anchor is
 *       its line with the most letters and digits (then the most confident), preferring lines at
 *       the subtitle's place (below); the block is the anchor plus the lines chained to it
 *       vertically (gap at most {@value #MAX_GAP} anchor heights) whose height is within
 *       {@value #MAX_HEIGHT_RATIO}× of the anchor's and whose horizontal extent overlaps the
 *       anchor's. Every other line is junk.
 *   <li><b>Place</b>: once {@value #MIN_LEARNED} lines of confirmed cues were seen, the
 *       subtitle's height H and horizontal centre X are their medians (over the last
 *       {@value #WINDOW}). A block with at least {@value #MIN_OFF_PLACE_CHARS} letters and digits
 *       lower than H / {@value #MAX_HEIGHT_RATIO} (a tiny box) is junk; a block with fewer whose
 *       centre is farther than {@value #MAX_CENTER_OFFSET} H from X (a short text off the
 *       subtitle's place) is junk, unless the confirmed lines are aligned to one side and the
 *       block stands at that edge ({@link AlignedEdges}, the rule the server's automatic region
 *       answers such a line by: {@code Go on.} under long left-aligned lines). A short text is
 *       judged by its place alone: its box height says little about its font size (one to three
 *       words of the subtitle bench's short-cue part came at 0.36–1.03 H, "at" and "add" below
 *       H / 1.6, because their letters lack ascenders or descenders and the detector's margin
 *       grows with the box), while lines of six letters or more came at 0.78–1.2 H. Both rules
 *       only ever reject blocks smaller or shorter than subtitles, so a place learned from junk
 *       heals: the next real subtitle passes and is learned.
 *   <li><b>Size</b>: a block with fewer than {@value #MIN_CHARS} letters and digits is junk.
 * </ol>
 *
 * <p>Lines without a box ({@link CueLine#hasBox()} false) skip the geometric rules. The ratios are
 * fixed, chosen on the tune part of the subtitle bench (bench/subtitles) and on testsrc2 and
 * checkerboard clips without subtitles: junk there is counters and marks at about half the
 * subtitle's height, off its centre, mostly read at confidence 0.5–0.9 (subtitles: 0.92–1.0).
 *
 * <p>Not thread-safe: one per {@link CueGrouper}.
 */
public final class SubtitleLines {
  /** Gap between chained lines of a block, in anchor heights: the server's stacked rows' gap. */
  static final double MAX_GAP = Rows.MAX_STACK_GAP;
  static final double MAX_HEIGHT_RATIO = 1.6;
  static final double MAX_CENTER_OFFSET = 4.0;
  static final int MIN_LEARNED = 6;
  static final int WINDOW = 64;
  static final int MIN_CHARS = 2;

  static final int MIN_OFF_PLACE_CHARS = 6;
  /** Latin lower-case letters that stand no higher than an x: a word of them has a low box. */
  static final String X_HEIGHT_LETTERS = "acemnorsuvwxz";
  /** Height of a line's box over that of a word of x-height letters beside it, at most. */
  static final double MAX_X_HEIGHT_RATIO = 2.5;
  /** Fraction of {@link CueRules#minConfidence} a line at the subtitle's place, of its size, needs. */
  static final float UNSURE_CONFIDENCE = 0.75f;

  private final CueRules rules;
  private final float[] heights = new float[WINDOW];
  private final float[] centers = new float[WINDOW];
  private int learned;
  private float referenceHeight;
  private float referenceCenter;
  /** The side confirmed lines are aligned to, if any: a short text there is at the place too. */
  private final AlignedEdges edges = new AlignedEdges();

  SubtitleLines(CueRules rules) {
    this.rules = rules;
  }

  /**
   * A line with fewer than {@value #MIN_CHARS} letters and digits: never subtitle text by itself
   * (the class comment's Size rule). The server reads a frame again when every line it found is
   * such a line (StreamFramesCall's second read of an answer without subtitle text).
   */
  public static boolean tooShort(String text) {
    return TextSimilarity.normalize(text).length < MIN_CHARS;
  }

  /** The frame's subtitle lines, in their order; empty when the frame shows none. */
  List<CueLine> subtitle(List<CueLine> lines) {
    List<CueLine> candidates = new ArrayList<>(lines.size());
    for (CueLine l : lines) {
      if (letters(l) > 0 && sureEnough(l)) {
        candidates.add(l);
      }
    }
    if (candidates.isEmpty()) {
      return List.of();
    }
    candidates = rows(candidates);
    CueLine anchor = anchor(candidates);
    List<CueLine> block = anchor.hasBox() ? block(candidates, anchor) : candidates;
    int chars = 0;
    for (CueLine l : block) {
      chars += letters(l);
    }
    if (chars < MIN_CHARS || (anchor.hasBox() && !atPlace(block, chars))) {
      return List.of();
    }
    return block;
  }

  /**
   * At or above {@link CueRules#minConfidence}; or at least {@value #UNSURE_CONFIDENCE} of it,
   * with {@value #MIN_CHARS} letters or more of its own and the subtitle's size at its place
   * (never before the place is known). Its own letters, because a line joins the block of a
   * subtitle it is stacked on: a clock's digit just above the subtitle must not come in with it.
   */
  private boolean sureEnough(CueLine l) {
    float min = rules.minConfidence();
    if (l.confidence() >= min) {
      return true;
    }
    return l.confidence() >= UNSURE_CONFIDENCE * min && learned >= MIN_LEARNED && l.hasBox()
        && letters(l) >= MIN_CHARS && ratio(l.height(), referenceHeight) <= MAX_HEIGHT_RATIO
        && nearPlace(l.left(), l.right(), l.height());
  }

  /** Records the lines of a frame that belongs to a confirmed cue. */
  void learn(List<CueLine> subtitleLines) {
    for (CueLine l : subtitleLines) {
      if (l.hasBox()) {
        heights[learned % WINDOW] = l.height();
        centers[learned % WINDOW] = l.centerX();
        learned++;
        edges.learn(l.left(), l.right(), l.height(), l.text());
      }
    }
    if (learned >= MIN_LEARNED) {
      referenceHeight = median(heights);
      referenceCenter = median(centers);
    }
  }

  /**
   * False when the block is a tiny box of {@value #MIN_OFF_PLACE_CHARS} letters or more, or a
   * short text away from the subtitle's place.
   */
  private boolean atPlace(List<CueLine> block, int chars) {
    if (learned < MIN_LEARNED) {
      return true;
    }
    float left = Float.MAX_VALUE, right = -Float.MAX_VALUE, height = 0;
    for (CueLine l : block) {
      left = Math.min(left, l.left());
      right = Math.max(right, l.right());
      height = Math.max(height, l.height());
    }
    if (chars >= MIN_OFF_PLACE_CHARS) {
      return height * MAX_HEIGHT_RATIO >= referenceHeight;
    }
    return nearPlace(left, right, height);
  }

  /**
   * A box from {@code left} to {@code right} of that height is where the subtitles stand: its
   * centre within {@value #MAX_CENTER_OFFSET} H of theirs, or at their aligned edge.
   */
  private boolean nearPlace(float left, float right, float height) {
    return Math.abs((left + right) / 2 - referenceCenter) <= MAX_CENTER_OFFSET * referenceHeight
        || AlignedEdges.atEdge(left, right, height, edges.left(), edges.right());
  }

  /**
   * A line at the subtitle's place, and of its size when it has at least {@value
   * #MIN_OFF_PLACE_CHARS} letters and digits (always true before the place is known).
   */
  private boolean fitsPlace(CueLine l) {
    return learned < MIN_LEARNED || !l.hasBox()
        || ((letters(l) < MIN_OFF_PLACE_CHARS || ratio(l.height(), referenceHeight) <= MAX_HEIGHT_RATIO)
            && nearPlace(l.left(), l.right(), l.height()));
  }

  private float median(float[] values) {
    int n = Math.min(learned, WINDOW);
    float[] v = Arrays.copyOf(values, n);
    Arrays.sort(v);
    return v[n / 2];
  }

  private CueLine anchor(List<CueLine> lines) {
    CueLine best = null;
    for (CueLine l : lines) {
      if (best == null || better(l, best)) {
        best = l;
      }
    }
    return best;
  }

  private boolean better(CueLine a, CueLine b) {
    boolean placeA = fitsPlace(a), placeB = fitsPlace(b);
    if (placeA != placeB) {
      return placeA;
    }
    int d = letters(a) - letters(b);
    return d > 0 || (d == 0 && a.confidence() > b.confidence());
  }

  /** The anchor and the lines chained to it: stacked, of its size, overlapping it horizontally. */
  private static List<CueLine> block(List<CueLine> lines, CueLine anchor) {
    List<CueLine> members = new ArrayList<>();
    for (CueLine l : lines) {
      if (l == anchor || (l.hasBox() && ratio(l.height(), anchor.height()) <= MAX_HEIGHT_RATIO
          && l.left() < anchor.right() && anchor.left() < l.right())) {
        members.add(l);
      }
    }
    members.sort((a, b) -> Float.compare(a.centerY(), b.centerY()));
    int at = members.indexOf(anchor);
    int first = at, last = at;
    while (first > 0 && gap(members.get(first - 1), members.get(first)) <= MAX_GAP * anchor.height()) {
      first--;
    }
    while (last < members.size() - 1 && gap(members.get(last), members.get(last + 1)) <= MAX_GAP * anchor.height()) {
      last++;
    }
    List<CueLine> block = members.subList(first, last + 1);
    List<CueLine> ordered = new ArrayList<>(block.size());
    for (CueLine l : lines) {
      if (block.contains(l)) {
        ordered.add(l);
      }
    }
    return ordered;
  }

  /**
   * The lines with those side by side on one row joined into one (see the class comment), in the
   * order of each row's first line; a line that shares its row with none is returned as it is.
   */
  static List<CueLine> rows(List<CueLine> lines) {
    List<List<CueLine>> rows = new ArrayList<>(lines.size());
    for (CueLine l : lines) {
      List<CueLine> row = null;
      if (l.hasBox()) {
        for (List<CueLine> r : rows) {
          if (sameRow(r, l)) {
            row = r;
            break;
          }
        }
      }
      if (row == null) {
        rows.add(row = new ArrayList<>(2));
      }
      row.add(l);
    }
    List<CueLine> joined = new ArrayList<>(rows.size());
    for (List<CueLine> r : rows) {
      joined.add(r.size() == 1 ? r.get(0) : join(r));
    }
    return joined;
  }

  /**
   * True when {@code l} stands beside one of the row's boxes on its row, of its size or a short
   * word within its height ({@link #shortWordIn}).
   */
  private static boolean sameRow(List<CueLine> row, CueLine l) {
    for (CueLine m : row) {
      if (m.hasBox()
          && (ratio(l.height(), m.height()) <= MAX_HEIGHT_RATIO || shortWordIn(l, m) || shortWordIn(m, l))
          && Rows.sameRow(m.left(), m.top(), m.right(), m.bottom(), m.height(),
              l.left(), l.top(), l.right(), l.bottom(), l.height())) {
        return true;
      }
    }
    return false;
  }

  /**
   * {@code small} is a word of x-height letters only ({@value #X_HEIGHT_LETTERS}: no ascender,
   * descender, capital or digit) whose box lies within {@code tall}'s rows and is at least 1 /
   * {@value #MAX_X_HEIGHT_RATIO} of its height: the detector boxes {@code or} at 14 px beside
   * {@code convey} at 27 px (held-out short-cue bench), farther apart in height than one size
   * allows. Digits, capitals and tall letters keep the size rule, so a counter or a code beside a
   * subtitle at half its height stays apart.
   */
  private static boolean shortWordIn(CueLine small, CueLine tall) {
    if (!small.hasBox() || small.top() < tall.top() || small.bottom() > tall.bottom()
        || small.height() * MAX_X_HEIGHT_RATIO < tall.height()) {
      return false;
    }
    String t = small.text().strip();
    int letters = 0;
    for (int i = 0; i < t.length(); i++) {
      char c = t.charAt(i);
      if (X_HEIGHT_LETTERS.indexOf(c) >= 0) {
        letters++;
      } else if (c != '.' && c != ',') {
        return false;
      }
    }
    return letters > 0;
  }

  private static CueLine join(List<CueLine> row) {
    List<CueLine> byLeft = new ArrayList<>(row);
    byLeft.sort((a, b) -> Float.compare(a.centerX(), b.centerX()));
    StringBuilder text = new StringBuilder();
    float confidence = 1f, left = Float.MAX_VALUE, top = Float.MAX_VALUE, right = -Float.MAX_VALUE, bottom = -Float.MAX_VALUE;
    for (CueLine l : byLeft) {
      String t = l.text().strip();
      if (!t.isEmpty()) {
        if (text.length() > 0 && !(unspaced(text.codePointBefore(text.length())) && unspaced(t.codePointAt(0)))) {
          text.append(' ');
        }
        text.append(t);
      }
      confidence = Math.min(confidence, l.confidence());
      left = Math.min(left, l.left());
      top = Math.min(top, l.top());
      right = Math.max(right, l.right());
      bottom = Math.max(bottom, l.bottom());
    }
    return new CueLine(text.toString(), confidence, left, top, right, bottom);
  }

  /** A character of a script written without spaces between words, or CJK punctuation. */
  private static boolean unspaced(int cp) {
    Character.UnicodeScript script = Character.UnicodeScript.of(cp);
    if (script == Character.UnicodeScript.HAN || script == Character.UnicodeScript.HIRAGANA
        || script == Character.UnicodeScript.KATAKANA) {
      return true;
    }
    Character.UnicodeBlock block = Character.UnicodeBlock.of(cp);
    return block == Character.UnicodeBlock.CJK_SYMBOLS_AND_PUNCTUATION
        || block == Character.UnicodeBlock.HALFWIDTH_AND_FULLWIDTH_FORMS;
  }

  private static float gap(CueLine upper, CueLine lower) {
    return lower.top() - upper.bottom();
  }

  private static double ratio(float a, float b) {
    return a > b ? a / (double) b : b / (double) a;
  }

  private static int letters(CueLine l) {
    return TextSimilarity.normalize(l.text()).length;
  }
}
