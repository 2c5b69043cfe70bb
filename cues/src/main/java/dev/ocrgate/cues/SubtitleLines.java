package dev.ocrgate.cues;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Which of a frame's lines are subtitle text, and which are junk (background texture, counters,
 * signs, a stray mark) that must neither start nor split a cue. Rules, in order:
 *
 * <ol>
 *   <li><b>Line</b>: a line without letters or digits, or below {@link CueRules#minConfidence}, is
 *       junk.
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
 *       subtitle's place) is junk. A short text is judged by its place alone: its box height
 *       says little about its font size (one to three words of the subtitle bench's short-cue
 *       part came at 0.36–1.03 H, "at" and "add" below H / 1.6, because their letters lack
 *       ascenders or descenders and the detector's margin grows with the box), while lines of
 *       six letters or more came at 0.78–1.2 H. Both rules only ever reject blocks smaller or
 *       shorter than subtitles, so a place learned from junk heals: the next real subtitle passes
 *       and is learned.
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
final class SubtitleLines {
  static final double MAX_GAP = 1.0;
  static final double MAX_HEIGHT_RATIO = 1.6;
  static final double MAX_CENTER_OFFSET = 4.0;
  static final int MIN_LEARNED = 6;
  static final int WINDOW = 64;
  static final int MIN_CHARS = 2;
  static final int MIN_OFF_PLACE_CHARS = 6;

  private final CueRules rules;
  private final float[] heights = new float[WINDOW];
  private final float[] centers = new float[WINDOW];
  private int learned;
  private float referenceHeight;
  private float referenceCenter;

  SubtitleLines(CueRules rules) {
    this.rules = rules;
  }

  /** The frame's subtitle lines, in their order; empty when the frame shows none. */
  List<CueLine> subtitle(List<CueLine> lines) {
    List<CueLine> candidates = new ArrayList<>(lines.size());
    for (CueLine l : lines) {
      if (l.confidence() >= rules.minConfidence() && letters(l) > 0) {
        candidates.add(l);
      }
    }
    if (candidates.isEmpty()) {
      return List.of();
    }
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

  /** Records the lines of a frame that belongs to a confirmed cue. */
  void learn(List<CueLine> subtitleLines) {
    for (CueLine l : subtitleLines) {
      if (l.hasBox()) {
        heights[learned % WINDOW] = l.height();
        centers[learned % WINDOW] = l.centerX();
        learned++;
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
    return Math.abs((left + right) / 2 - referenceCenter) <= MAX_CENTER_OFFSET * referenceHeight;
  }

  /**
   * A line at the subtitle's place, and of its size when it has at least {@value
   * #MIN_OFF_PLACE_CHARS} letters and digits (always true before the place is known).
   */
  private boolean fitsPlace(CueLine l) {
    return learned < MIN_LEARNED || !l.hasBox()
        || ((letters(l) < MIN_OFF_PLACE_CHARS || ratio(l.height(), referenceHeight) <= MAX_HEIGHT_RATIO)
            && Math.abs(l.centerX() - referenceCenter) <= MAX_CENTER_OFFSET * referenceHeight);
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
