package dev.ocrgate.server.stream;

import dev.ocrgate.api.v1.FrameResult;
import dev.ocrgate.api.v1.TextLine;
import dev.ocrgate.cues.AlignedEdges;
import dev.ocrgate.cues.Rows;
import dev.ocrgate.server.config.StreamingSection;
import dev.ocrgate.server.ocr.LineSelector;
import dev.ocrgate.server.vision.PixelRect;
import dev.ocrgate.server.vision.Quad;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Collections;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The automatic subtitle region of one SUBTITLE stream that names no region: which part of each
 * frame is read, and which of the lines read are answered.
 *
 * <p>How it decides (also in docs/architecture.md):
 * <ul>
 *   <li>A <em>subtitle row</em> is a row of lines ({@link TextRows}) that reaches into the central
 *       strip ({@code center_strip} of the frame width) and whose tallest line is between
 *       {@code min_line_height} and {@code max_line_height} of the frame height; so is a row of
 *       such a height stacked on one ({@link Rows#stacked}: overlapping it horizontally, at most a
 *       line height above or below), the short second line of a left-aligned dialogue
 *       ({@code - No.} under {@code - Did you lock the door?}) that does not reach the strip. Other
 *       text (corner logos, clocks, watermarks, small or huge scene text) is never answered.
 *   <li><em>Searching</em> (at the start, and after a re-search): frames are read from
 *       {@code search_top} to the bottom, full width; subtitle rows are answered wherever they are
 *       and vote for a zone (rows at one height, at most about three lines tall). When a zone has
 *       had rows in {@code lock_frames} answered frames, the band is <em>locked</em> there: from the
 *       zone's bottom up by {@value #LINES} of its line heights (room for a second line above a
 *       single one) or the zone's top if higher, widened by {@value #MARGIN} line height at both
 *       ends, full width.
 *   <li><em>Locked</em>: only the band is read, and only subtitle rows centred in it are answered. A
 *       row that touches a cut edge of the area read grows the band by {@value #GROW} line heights
 *       that way (the band never shrinks while locked). After {@code research_after_ms} of video
 *       time (pts) without a subtitle row in the band, the stream searches again.
 *   <li><em>Aligned subtitles</em> (locked): when the subtitle rows answered since the lock are
 *       aligned to one side ({@link AlignedEdges}: left edges together, right edges spread, or
 *       the reverse; centred lines spread both alike), a row of subtitle height at that edge is a
 *       subtitle row too: a short left-aligned line ({@code Go on.}) does not reach the central
 *       strip and has nothing to be stacked on. Centred subtitles share no edge, so a corner text
 *       stays unanswered; one that happens to start at the subtitles' edge is answered. The edge
 *       is part of the span, so it applies from {@code lag} reads after it was learned, before
 *       recognition too.
 *   <li><em>Detection input</em> ({@code detection_line_height}, 0 = off): every span carries the
 *       line height it expects, {@code min_line_height} while searching, the zone's lowest row once
 *       locked (growing keeps it); the detector sees the area scaled so that this height is {@code
 *       detection_line_height} pixels (never larger than the model's own resize), and recognition
 *       still reads the lines at full resolution. A later, smaller row does not lower it; a
 *       re-search does.
 *   <li><em>Lines cut short</em> (centred subtitles): a subtitle row off the frame's centre line
 *       by {@value #OFF_CENTRE_MIN}–{@value #OFF_CENTRE_MAX} line heights is read from a box
 *       widened to the mirror of its other end ({@link #widen}), before recognition.
 * </ul>
 *
 * <p>Determinism: what a frame gets depends only on the frames before it, never on how far OCR
 * has progressed. Every decision is taken when a frame is answered (in seq order). Which lines
 * are answered follows the decisions at once; which area is read follows them {@code lag} frames
 * later: a decision taken when the k-th frame read is answered applies from the (k + lag)-th frame
 * read on. With {@code lag} = the stream's window that frame cannot have arrived yet (a stream
 * accepts frame n only after frame n − window was answered), so the area of every frame is fixed
 * when it arrives, and a frame whose area differs from the last read frame's is read, not reused.
 * The detection scale is part of the span, so it follows the same rule.
 *
 * <p>Lines not recognised: rows that cannot be answered by their geometry alone are dropped
 * between detection and recognition ({@link #lineSelector}): rows of the detected boxes whose
 * tallest box is lower than {@code min_line_height}, or that neither reach into the central strip,
 * nor overlap the span's aligned edge, nor are stacked on a row that does. These tests only use
 * the frame's boxes, its span (fixed when the frame arrived), the settings and the frame's size,
 * so answers arriving meanwhile cannot change what a frame recognises. They keep the answers as
 * they were: recognition only removes lines (empty or below the confidence threshold), so a row
 * of the recognised lines lies within a row of the detected boxes, which is at least as tall and
 * wide, and at most as far from any other; a detected row that fails the tests contains no row
 * that could pass them. (Widening a line cut short, above, grows only a row that passed, and
 * sideways.) The other tests stay
 * after recognition: a row too tall may become a subtitle row when recognition drops its tallest
 * line, and whether a row is centred in the locked band depends on decisions of frames not yet
 * answered when the frame is recognised.
 *
 * <p>Cost: per answered frame, work in the number of lines, no pixels; bounded state (at most
 * {@value #MAX_ZONES} zones, {@link AlignedEdges#ROWS} rows' edges and {@code lag} pending span
 * changes).
 *
 * <p>Not thread-safe: confined to its stream's serialising context.
 */
final class SubtitleBand {
  private static final Logger log = LoggerFactory.getLogger(SubtitleBand.class);

  /** Height of a locked band above its zone's bottom, in line heights: two lines. */
  static final double LINES = 2.2;
  /** Margin of a locked band beyond its lines, in line heights. */
  static final double MARGIN = 0.5;
  /** Growth of a band when a row touches its edge, in line heights. */
  static final double GROW = 1.5;
  /** A zone holds rows at most this many line heights tall (two lines and their spacing). */
  private static final double ZONE_LINES = 3.5;
  private static final int MAX_ZONES = 16;
  /** A row of centred subtitles off the frame's centre by this many line heights or more was cut short. */
  static final double OFF_CENTRE_MIN = 0.2;
  /** ... and by at most this many. */
  static final double OFF_CENTRE_MAX = 2.0;
  /** Beyond the mirrored end, the widened box reaches this many line heights further. */
  static final double OFF_CENTRE_PAD = 0.25;

  /**
   * A vertical span of the frame, fractions of its height, full width, and the height of the
   * lines expected in it (detected box height, fraction of the frame height): what the detection
   * input is scaled by ({@link #detectionScale}).
   */
  record Span(double top, double bottom, double lineHeight, double leftEdge, double rightEdge) {
    /** A span whose subtitles are aligned to neither side. */
    Span(double top, double bottom, double lineHeight) {
      this(top, bottom, lineHeight, Double.NaN, Double.NaN);
    }

    /** This span with the sides its subtitles are aligned to (fractions of the width; NaN: none). */
    Span aligned(double left, double right) {
      return new Span(top, bottom, lineHeight, left, right);
    }

    /**
     * A row at the edge its subtitles are aligned to ({@link AlignedEdges#atEdge}; {@code x0},
     * {@code x1}, {@code lineHeight}: pixels of a frame {@code frameWidth} wide).
     */
    boolean atEdge(double x0, double x1, double lineHeight, double frameWidth) {
      return AlignedEdges.atEdge(x0, x1, lineHeight, leftEdge * frameWidth, rightEdge * frameWidth);
    }

    /**
     * A row of detected boxes that may hold a row {@link #atEdge at the edge} ({@link
     * AlignedEdges#mayHoldEdge}).
     */
    boolean mayHoldEdge(double x0, double x1, double lineHeight, double frameWidth) {
      return AlignedEdges.mayHoldEdge(x0, x1, lineHeight, leftEdge * frameWidth, rightEdge * frameWidth);
    }

    PixelRect in(int width, int height) {
      // The epsilon keeps whole pixels whole (0.664 × 500 is 331.99999… in doubles).
      int y0 = Math.max(0, Math.min(height - 1, (int) Math.floor(top * height + 1e-6)));
      int y1 = Math.max(y0 + 1, Math.min(height, (int) Math.ceil(bottom * height - 1e-6)));
      return new PixelRect(0, y0, width, y1 - y0);
    }

    boolean holds(double y) {
      return y >= top && y <= bottom;
    }
  }

  /** From the {@code from}-th frame read on, read {@code span} (null = the search area). */
  private record Change(long from, Span span) {}

  /** Rows at one height seen while searching. */
  private static final class Zone {
    double top;
    double bottom;
    double lineHeight;
    /** The lowest row seen in the zone: the line height its band expects (detection scale). */
    double minLineHeight;
    int frames;
    long lastFrame;

    Zone(double top, double bottom, double lineHeight) {
      this.top = top;
      this.bottom = bottom;
      this.lineHeight = lineHeight;
      this.minLineHeight = lineHeight;
    }

    boolean takes(double t, double b, double h) {
      double reach = MARGIN * Math.max(h, lineHeight);
      double tall = Math.max(bottom, b) - Math.min(top, t);
      return t <= bottom + reach && b >= top - reach && tall <= ZONE_LINES * Math.max(h, lineHeight);
    }

    Span band() {
      double t = Math.min(top, bottom - LINES * lineHeight) - MARGIN * lineHeight;
      return new Span(Math.max(0, t), Math.min(1, bottom + MARGIN * lineHeight), minLineHeight);
    }
  }

  private final StreamingSection.SubtitleRegion settings;
  private final Span search;
  private final int lag;

  // Read side: the area of each frame as it arrives.
  private long reads;
  private Span reading; // null: the search area
  private final ArrayDeque<Change> changes = new ArrayDeque<>();

  // Answer side: decisions, in answer order.
  private long answers;
  private Span decided; // null: searching
  private final List<Zone> zones = new ArrayList<>();
  private long lastSeenPtsMs;
  /** Locked: the side the subtitle rows answered since the lock are aligned to. */
  private final AlignedEdges edges = new AlignedEdges();

  private SubtitleBand(StreamingSection.SubtitleRegion settings, int lag) {
    this.settings = settings;
    this.search = new Span(settings.search_top, 1, settings.min_line_height);
    this.lag = lag;
  }

  /**
   * A band that starts searching; {@code lag} must be the stream's window (see the class
   * comment). {@code settings} are validated.
   */
  static SubtitleBand start(StreamingSection.SubtitleRegion settings, int lag) {
    if (lag < 1) {
      throw new IllegalArgumentException("lag must be >= 1");
    }
    return new SubtitleBand(settings, lag);
  }

  /**
   * The span to read of the next frame, taken when it arrives (before its size is known): the
   * stream resolves it to pixels off the context, once the frame is decoded. Every frame that takes
   * a span must later be {@link #answer answered}, failed ones too.
   */
  Span nextSpan() {
    long index = ++reads;
    while (!changes.isEmpty() && changes.peekFirst().from() <= index) {
      reading = changes.pollFirst().span();
    }
    return reading == null ? search : reading;
  }

  /**
   * The detection scale of a frame read with {@code span}, {@code frameHeight} pixels tall: the
   * span's expected line height maps to {@code detection_line_height} pixels of the detector's
   * input, in (0, 1] (the model's own resize when that is smaller, see OcrRequest); 1 when the
   * setting is 0. A function of the span, so as deterministic as the span (class comment).
   */
  double detectionScale(Span span, int frameHeight) {
    double expected = span.lineHeight() * frameHeight;
    int target = settings.detection_line_height;
    return target == 0 || expected <= target ? 1 : target / expected;
  }

  /**
   * Learns from a frame read with {@code span} ({@link #nextSpan}; in answer order, every such
   * frame once, failed ones too) and returns its answer with only the subtitle rows it keeps.
   */
  FrameResult answer(FrameResult result, ReadArea area, Span span) {
    long k = ++answers;
    if (result.hasError()) {
      return result;
    }
    List<TextRows.Row> kept = new ArrayList<>();
    List<TextRows.Row> rows = TextRows.of(result.getLinesList());
    BitSet subtitle = subtitleRows(settings, span, rows, area.frameWidth(), area.frameHeight(), true);
    for (int i = subtitle.nextSetBit(0); i >= 0; i = subtitle.nextSetBit(i + 1)) {
      TextRows.Row row = rows.get(i);
      if (decided == null || decided.holds(row.centerY() / area.frameHeight())) {
        kept.add(row);
      }
    }
    if (decided == null) {
      vote(kept, area, k, result.getPtsMs());
    } else {
      follow(kept, result, area, k);
    }
    return keepOnly(result, kept);
  }

  /**
   * The subtitle rows among a frame's {@code rows} by their geometry (class comment): rows of a
   * line height in range ({@code min_line_height} and, for {@code recognised} lines, {@code
   * max_line_height}) that reach into the central strip or stand at {@code span}'s aligned edge,
   * and rows in range stacked on one of those. Rows of detected boxes (not {@code recognised})
   * pass the edge test when they may hold a row at the edge: recognition may drop the box that
   * kept the row off it.
   */
  private static BitSet subtitleRows(StreamingSection.SubtitleRegion settings, Span span, List<TextRows.Row> rows,
      double frameWidth, double frameHeight, boolean recognised) {
    BitSet inRange = new BitSet(rows.size());
    BitSet subtitle = new BitSet(rows.size());
    for (int i = 0; i < rows.size(); i++) {
      TextRows.Row row = rows.get(i);
      double h = row.lineHeight / frameHeight;
      if (h >= settings.min_line_height && (!recognised || h <= settings.max_line_height)) {
        inRange.set(i);
        if (reachesStrip(row, frameWidth, settings.center_strip) || (recognised
            ? span.atEdge(row.x0, row.x1, row.lineHeight, frameWidth)
            : span.mayHoldEdge(row.x0, row.x1, row.lineHeight, frameWidth))) {
          subtitle.set(i);
        }
      }
    }
    BitSet anchors = (BitSet) subtitle.clone();
    for (int i = inRange.nextSetBit(0); i >= 0; i = inRange.nextSetBit(i + 1)) {
      TextRows.Row row = rows.get(i);
      for (int a = anchors.nextSetBit(0); a >= 0 && !subtitle.get(i); a = anchors.nextSetBit(a + 1)) {
        TextRows.Row anchor = rows.get(a);
        if (Rows.stacked(anchor.x0, anchor.y0, anchor.x1, anchor.y1, anchor.lineHeight,
            row.x0, row.y0, row.x1, row.y1, row.lineHeight)) {
          subtitle.set(i);
        }
      }
    }
    return subtitle;
  }

  /** The row reaches into the central strip, {@code strip} of the frame's width. */
  private static boolean reachesStrip(TextRows.Row row, double frameWidth, double strip) {
    return row.x1 > frameWidth * (0.5 - strip / 2) && row.x0 < frameWidth * (0.5 + strip / 2);
  }

  /**
   * Which detected lines of a frame read with {@code span} to recognise, and from which box:
   * those of the rows that may be subtitle rows (see the class comment), a row the detector found
   * part of widened ({@link #widen}). Depends only on the settings, the span and the frame's own
   * boxes; thread-safe.
   */
  LineSelector lineSelector(Span span) {
    StreamingSection.SubtitleRegion s = settings;
    boolean centred = Double.isNaN(span.leftEdge()) && Double.isNaN(span.rightEdge());
    return (boxes, width, height) -> {
      List<Quad> read = new ArrayList<>(Collections.nCopies(boxes.size(), (Quad) null));
      List<TextRows.Row> rows = TextRows.ofBoxes(boxes);
      BitSet subtitle = subtitleRows(s, span, rows, width, height, false);
      for (int i = subtitle.nextSetBit(0); i >= 0; i = subtitle.nextSetBit(i + 1)) {
        TextRows.Row row = rows.get(i);
        row.lines.forEach(j -> read.set(j, boxes.get(j)));
        if (centred) {
          widen(row, boxes, read, width, s.center_strip, span.lineHeight() * height);
        }
      }
      return read;
    };
  }

  /**
   * A row of centred subtitles stands on the frame's centre line; one whose centre is off it by
   * {@value #OFF_CENTRE_MIN} to {@value #OFF_CENTRE_MAX} line heights is a line the detector found
   * part of (one end of {@code 每个}, {@code 命令}, {@code 会跳脱一} in the subtitle bench: a
   * thin or small character at the end gets no box). Its end box on the short side is read
   * widened to the mirror of the row's other end about the centre, plus {@value #OFF_CENTRE_PAD}
   * line height: what the recogniser reads there is the missed text. Only rows that reach the
   * central strip themselves (a stacked row of a left-aligned dialogue is off the centre by
   * design), and never when the span's subtitles are aligned to one side. Nearer the centre than
   * that is a whole line within the detector's margins; farther off, a part too large to be a
   * missed end.
   */
  private static void widen(TextRows.Row row, List<Quad> boxes, List<Quad> read, int width, double strip,
      double expectedHeight) {
    double centre = width / 2.0;
    double h = row.lineHeight;
    double off = (row.x0 + row.x1) / 2 - centre;
    if (!reachesStrip(row, width, strip) || Math.abs(off) < OFF_CENTRE_MIN * h || Math.abs(off) > OFF_CENTRE_MAX * h) {
      return;
    }
    int end = row.lines.get(0);
    for (int j : row.lines) {
      Quad q = boxes.get(j);
      if (off > 0 ? q.minX() < boxes.get(end).minX() : q.maxX() > boxes.get(end).maxX()) {
        end = j;
      }
    }
    double to = off > 0 ? Math.max(0, 2 * centre - row.x1 - OFF_CENTRE_PAD * h)
        : Math.min(width, 2 * centre - row.x0 + OFF_CENTRE_PAD * h);
    read.set(end, stretched(boxes.get(end), (float) to, (float) expectedHeight));
  }

  /**
   * {@code q} with its two left points (or right ones, when {@code x} lies right of it) moved out
   * to {@code x}, and as tall as {@code height} about its centre when it is lower (the detector
   * boxed a part of the glyphs: 13 px of a 24 px line).
   */
  private static Quad stretched(Quad q, float x, float height) {
    boolean left = x < q.centerX();
    Integer[] byX = {0, 1, 2, 3};
    Arrays.sort(byX, (a, b) -> Float.compare(q.x(a), q.x(b)));
    float[] xs = {q.x(0), q.x(1), q.x(2), q.x(3)};
    for (int k = 0; k < 2; k++) {
      int i = left ? byX[k] : byX[3 - k];
      xs[i] = left ? Math.min(xs[i], x) : Math.max(xs[i], x);
    }
    float grow = Math.max(0, (height - (q.maxY() - q.minY())) / 2);
    float cy = q.centerY();
    float[] ys = new float[4];
    for (int i = 0; i < 4; i++) {
      ys[i] = q.y(i) < cy ? q.y(i) - grow : q.y(i) + grow;
    }
    return Quad.of(xs[0], ys[0], xs[1], ys[1], xs[2], ys[2], xs[3], ys[3]);
  }

  private void vote(List<TextRows.Row> rows, ReadArea area, long k, long ptsMs) {
    double fh = area.frameHeight();
    for (TextRows.Row row : rows) {
      double t = row.y0 / fh;
      double b = row.y1 / fh;
      double h = row.lineHeight / fh;
      Zone zone = zones.stream().filter(z -> z.takes(t, b, h)).findFirst().orElse(null);
      if (zone == null) {
        if (zones.size() == MAX_ZONES) {
          zones.remove(zones.stream().min((x, y) -> Integer.compare(x.frames, y.frames)).orElseThrow());
        }
        zone = new Zone(t, b, h);
        zones.add(zone);
      } else {
        zone.top = Math.min(zone.top, t);
        zone.bottom = Math.max(zone.bottom, b);
        zone.lineHeight = Math.max(zone.lineHeight, h);
        zone.minLineHeight = Math.min(zone.minLineHeight, h);
      }
      if (zone.lastFrame != k) {
        zone.lastFrame = k;
        zone.frames++;
      }
    }
    Zone best = null;
    for (Zone z : zones) {
      if (z.frames >= settings.lock_frames
          && (best == null || z.frames > best.frames || (z.frames == best.frames && z.bottom > best.bottom))) {
        best = z;
      }
    }
    if (best != null) {
      decided = best.band();
      zones.clear();
      edges.clear();
      lastSeenPtsMs = ptsMs;
      schedule(k, decided);
    }
  }

  private void follow(List<TextRows.Row> rows, FrameResult result, ReadArea area, long k) {
    long ptsMs = result.getPtsMs();
    if (rows.isEmpty()) {
      if (settings.research_after_ms > 0 && ptsMs - lastSeenPtsMs >= settings.research_after_ms) {
        decided = null;
        schedule(k, null);
      }
      return;
    }
    lastSeenPtsMs = ptsMs;
    double fh = area.frameHeight();
    double top = decided.top();
    double bottom = decided.bottom();
    for (TextRows.Row row : rows) {
      if (area.cutsTop() && row.y0 <= area.rect().y() + 1) {
        top = Math.min(top, (row.y0 - GROW * row.lineHeight) / fh);
      }
      if (area.cutsBottom() && row.y1 >= area.rect().y() + area.rect().height() - 1) {
        bottom = Math.max(bottom, (row.y1 + GROW * row.lineHeight) / fh);
      }
    }
    Span next = decided;
    if (top < decided.top() || bottom > decided.bottom()) {
      next = new Span(Math.max(0, top), Math.min(1, bottom), decided.lineHeight(), decided.leftEdge(),
          decided.rightEdge());
    }
    next = alignment(next, rows, result, area.frameWidth());
    if (!next.equals(decided)) {
      decided = next;
      schedule(k, decided);
    }
  }

  /**
   * {@code span} with the sides the locked band's subtitles are aligned to ({@link AlignedEdges},
   * learned from {@code rows}, this frame's subtitle rows in {@code result}, and the ones before).
   * It changes the span only when alignment starts or ends, or the edge moves by more than {@link
   * AlignedEdges#SLACK} line heights, so a stream's span changes a few times, not every frame.
   */
  private Span alignment(Span span, List<TextRows.Row> rows, FrameResult result, double frameWidth) {
    for (TextRows.Row row : rows) {
      StringBuilder text = new StringBuilder();
      for (int i : row.lines) {
        text.append(text.length() == 0 ? "" : " ").append(result.getLines(i).getText());
      }
      edges.learn(row.x0, row.x1, row.lineHeight, text.toString());
    }
    double left = edges.left() / frameWidth;
    double right = edges.right() / frameWidth;
    double slack = AlignedEdges.SLACK * edges.lineHeight() / frameWidth;
    boolean same = sameEdge(span.leftEdge(), left, slack) && sameEdge(span.rightEdge(), right, slack);
    return same ? span : span.aligned(left, right);
  }

  /** Both NaN, or both set and within {@code slack} (fractions). */
  private static boolean sameEdge(double was, double is, double slack) {
    return Double.isNaN(was) ? Double.isNaN(is) : !Double.isNaN(is) && Math.abs(was - is) <= slack;
  }

  private void schedule(long k, Span span) {
    long from = k + lag;
    if (from <= reads) {
      // Cannot happen while the stream's flow control holds (see the class comment).
      log.error("subtitle band change for frame {} comes after it was read", from);
    }
    changes.addLast(new Change(from, span));
  }

  private static FrameResult keepOnly(FrameResult result, List<TextRows.Row> rows) {
    BitSet keep = new BitSet();
    rows.forEach(r -> r.lines.forEach(keep::set));
    if (keep.cardinality() == result.getLinesCount()) {
      return result;
    }
    FrameResult.Builder b = result.toBuilder().clearLines();
    int order = 0;
    for (int i = 0; i < result.getLinesCount(); i++) {
      if (keep.get(i)) {
        TextLine line = result.getLines(i);
        b.addLines(line.toBuilder().setReadingOrder(order++));
      }
    }
    return b.build();
  }
}
