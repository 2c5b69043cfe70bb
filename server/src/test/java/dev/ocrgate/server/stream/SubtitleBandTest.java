package dev.ocrgate.server.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.ocrgate.api.v1.FrameResult;
import dev.ocrgate.api.v1.Point;
import dev.ocrgate.api.v1.Quad;
import dev.ocrgate.api.v1.TextLine;
import dev.ocrgate.server.config.StreamingSection;
import dev.ocrgate.server.ocr.Detector;
import dev.ocrgate.server.vision.DetResize;
import dev.ocrgate.server.vision.RgbImage;
import dev.ocrgate.server.vision.PixelRect;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The automatic subtitle band's decisions on synthetic detections (no models): when it locks and
 * where, which lines it answers, when it grows and searches again, and that a decision reaches
 * the area read exactly {@code lag} frames later.
 */
class SubtitleBandTest {
  private static final int W = 1000;
  private static final int H = 500;
  private static final int LAG = 4;
  private static final PixelRect SEARCH = new PixelRect(0, 200, W, 300);

  private final StreamingSection.SubtitleRegion settings = new StreamingSection.SubtitleRegion();
  private final List<PixelRect> areas = new ArrayList<>();
  private final List<SubtitleBand.Span> spans = new ArrayList<>();
  private SubtitleBand band;
  private int answered;

  private static TextLine line(String text, double x0, double y0, double x1, double y1) {
    return TextLine.newBuilder().setText(text).setConfidence(0.9f).setBox(Quad.newBuilder()
        .addPoints(point(x0, y0)).addPoints(point(x1, y0)).addPoints(point(x1, y1)).addPoints(point(x0, y1)))
        .build();
  }

  private static Point point(double x, double y) {
    return Point.newBuilder().setX((float) x).setY((float) y).build();
  }

  /** The frame's answer after the stream read it; frames are read up to LAG ahead of answers. */
  private FrameResult next(long ptsMs, TextLine... lines) {
    if (band == null) {
      band = SubtitleBand.start(settings, LAG);
    }
    while (areas.size() < answered + LAG) {
      SubtitleBand.Span span = band.nextSpan();
      spans.add(span);
      areas.add(span.in(W, H));
    }
    SubtitleBand.Span span = spans.get(answered);
    PixelRect rect = areas.get(answered++);
    FrameResult r = FrameResult.newBuilder().setPtsMs(ptsMs).addAllLines(List.of(lines)).build();
    return band.answer(r, new ReadArea(rect, W, H), span);
  }

  private static List<String> texts(FrameResult r) {
    return r.getLinesList().stream().map(TextLine::getText).toList();
  }

  @Test
  void verify_locksAfterLockFrames_andTheAreaFollowsLagFramesLater() {
    for (int i = 0; i < 12; i++) {
      next(i * 200L, line("Hello there", 350, 400, 650, 440));
    }
    // Locked when frame 3 was answered: frames 1..6 read the search area, frame 7 on the band:
    // zone 0.80..0.88, line height 0.08 → top min(0.80, 0.88 − 2.2 × 0.08) − 0.04, bottom 0.92.
    PixelRect locked = new PixelRect(0, 332, W, 128);
    assertThat(areas.subList(0, 3 + LAG - 1)).containsOnly(SEARCH);
    assertThat(areas.subList(3 + LAG - 1, areas.size())).containsOnly(locked);
  }

  @Test
  void verify_cornerText_isNotAnswered_aSplitOrLeftAlignedLine_is() {
    FrameResult r = next(0,
        line("NEWS 24", 850, 420, 980, 450),
        line("Where are", 300, 400, 480, 440),
        line("you going", 520, 400, 700, 440),
        line("12:30", 20, 250, 120, 280));
    assertThat(texts(r)).containsExactly("Where are", "you going");
    assertThat(r.getLinesList()).extracting(TextLine::getReadingOrder).containsExactly(0, 1);
    FrameResult left = next(200, line("A left-aligned subtitle line", 60, 400, 520, 440));
    assertThat(texts(left)).containsExactly("A left-aligned subtitle line");
  }

  /**
   * A left-aligned two-speaker subtitle: the second line ("- No.") misses the centre strip but is
   * stacked on the first, so it is answered; the same line alone, or a clock a line height under a
   * subtitle but beside it, is not. Geometry of a libass probe (Alignment=1) scaled to 1000 wide.
   */
  @Test
  void verify_aShortLineStackedOnASubtitleRow_isAnswered_aloneOrBesideIt_isNot() {
    TextLine first = line("- Did you lock the door?", 280, 390, 690, 425);
    TextLine second = line("- No.", 280, 430, 370, 465);
    assertThat(texts(next(0, first, second))).containsExactly("- Did you lock the door?", "- No.");
    assertThat(texts(next(200, second))).isEmpty();
    TextLine clock = line("12:30", 720, 430, 800, 465);
    assertThat(texts(next(400, first, clock))).containsExactly("- Did you lock the door?");
    TextLine farBelow = line("- No.", 280, 465, 370, 500);
    assertThat(texts(next(600, first, farBelow))).as("a line height and more below").containsExactly("- Did you lock the door?");
  }

  /**
   * Left-aligned subtitles (libass Alignment=1, MarginL 100 of 1000): once four distinct rows
   * shared their left edge while their widths differed, a short line starting there is answered
   * although it does not reach the centre strip, from LAG frames later on (before recognition, the
   * frame's span decides too); a short line elsewhere, or a clock at the right, is not.
   */
  @Test
  void verify_leftAlignedSubtitles_aShortLineAtTheirEdge_isAnswered_lagFramesAfterTheEdgeWasLearned() {
    String[] texts = {"A left-aligned subtitle", "and another one, longer than that", "a third line",
        "the fourth left-aligned line of the stream"};
    int[] rights = {560, 760, 480, 860};
    TextLine shortLine = line("received", 100, 400, 260, 440);
    int frame = 0;
    for (int i = 0; i < 8; i++) {
      next(200L * frame++, line(texts[i % 4], 100, 400, rights[i % 4], 440));
    }
    // The edge was learned when the 8th frame was answered at the latest; LAG frames on, it holds.
    for (int i = 0; i < LAG; i++) {
      next(200L * frame++, line(texts[i], 100, 400, rights[i], 440));
    }
    assertThat(texts(next(200L * frame++, shortLine))).containsExactly("received");
    assertThat(texts(next(200L * frame++, line("received", 200, 400, 360, 440)))).as("off the edge").isEmpty();
    assertThat(texts(next(200L * frame++, line("12:30", 860, 400, 960, 440)))).as("a clock").isEmpty();
    SubtitleBand.Span span = band.nextSpan();
    List<dev.ocrgate.server.vision.Quad> boxes = List.of(box(100, 400, 260, 440), box(200, 250, 360, 290));
    assertThat(read(band.lineSelector(span).select(boxes, W, H))).containsExactly(0);
  }

  /**
   * Centred subtitles share no edge, whether their widths differ a lot or hardly (a few pixels of
   * the detector's jitter on both edges): a short line at the left stays unanswered.
   */
  @Test
  void verify_centredSubtitles_teachNoEdge() {
    int[][] halvesAndCentres = {{230, 330, 190, 380}, {300, 303, 299, 302}};
    int[] jitter = {0, 2, -1, 1};
    for (int[] halves : halvesAndCentres) {
      band = null;
      areas.clear();
      spans.clear();
      answered = 0;
      for (int i = 0; i < 8 + LAG; i++) {
        int c = 500 + jitter[i % 4];
        next(200L * i, line("a centred subtitle line " + i, c - halves[i % 4], 400, c + halves[i % 4], 440));
      }
      assertThat(texts(next(200L * (8 + LAG), line("received", 200, 400, 360, 440)))).as("halves %s",
          java.util.Arrays.toString(halves)).isEmpty();
    }
  }

  @Test
  void verify_tinyOrHugeText_isNotAnswered() {
    assertThat(next(0, line("tiny", 480, 300, 520, 305)).getLinesList()).isEmpty();
    assertThat(next(200, line("HUGE", 300, 300, 700, 450)).getLinesList()).isEmpty();
  }

  @Test
  void verify_onceLocked_centredTextOutsideTheBand_isNotAnswered() {
    for (int i = 0; i < 3; i++) {
      next(i * 200L, line("Hello there", 350, 400, 650, 440));
    }
    // Still read in the search area (lag), but the band is decided: a sign higher up is dropped.
    FrameResult r = next(600, line("EXIT", 450, 230, 550, 270), line("Hello there", 350, 400, 650, 440));
    assertThat(texts(r)).containsExactly("Hello there");
  }

  @Test
  void verify_aLineTouchingTheBandsTop_growsIt_lagFramesLater() {
    for (int i = 0; i < 3 + LAG; i++) {
      next(i * 200L, line("Hello there", 350, 400, 650, 440));
    }
    assertThat(areas.get(answered - 1)).isEqualTo(new PixelRect(0, 332, W, 128));
    // A line cut by the band's top edge (y 332, 28 px tall): the band grows to 1.5 line heights
    // above it, 332 − 42 = 290.
    FrameResult r = next(2000, line("upper line", 380, 332, 620, 360), line("Hello there", 350, 400, 650, 440));
    assertThat(texts(r)).containsExactly("upper line", "Hello there");
    int grownAt = answered + LAG; // 1-based index of the first frame read with the grown band
    for (int i = 0; i < LAG + 1; i++) {
      next(2200 + i * 200L, line("Hello there", 350, 400, 650, 440));
    }
    assertThat(areas.get(grownAt - 2)).isEqualTo(new PixelRect(0, 332, W, 128));
    assertThat(areas.get(grownAt - 1)).isEqualTo(new PixelRect(0, 290, W, 170));
  }

  @Test
  void verify_nothingForResearchAfter_searchesAgain_andErrorsCountAsFramesRead() {
    settings.research_after_ms = 1000;
    for (int i = 0; i < 3 + LAG; i++) {
      next(i * 200L, line("Hello there", 350, 400, 650, 440));
    }
    next(1400, new TextLine[0]);
    band.answer(FrameResult.newBuilder().setPtsMs(1600).setError(com.google.rpc.Status.newBuilder().setCode(3)).build(),
        new ReadArea(areas.get(answered), W, H), spans.get(answered++));
    next(2400, new TextLine[0]); // 1.2 s after the last subtitle (pts 1200)
    int searchAt = answered + LAG;
    for (int i = 0; i < LAG + 1; i++) {
      next(2600 + i * 200L, new TextLine[0]);
    }
    assertThat(areas.get(searchAt - 2)).isEqualTo(new PixelRect(0, 332, W, 128));
    assertThat(areas.get(searchAt - 1)).isEqualTo(SEARCH);
  }

  @Test
  void verify_twoLineSubtitle_locksABandHoldingBoth() {
    for (int i = 0; i < 3 + LAG; i++) {
      next(i * 200L, line("first line", 380, 350, 620, 390), line("second line", 360, 400, 640, 440));
    }
    // Zone 0.70..0.88 (two lines), line height 0.08: top min(0.70, 0.704) − 0.04 = 0.66.
    assertThat(areas.get(answered - 1)).isEqualTo(new PixelRect(0, 330, W, 130));
  }

  private static dev.ocrgate.server.vision.Quad box(double x0, double y0, double x1, double y1) {
    return dev.ocrgate.server.vision.Quad.of(new PixelRect((int) x0, (int) y0, (int) (x1 - x0), (int) (y1 - y0)));
  }

  @Test
  void verify_lineSelector_dropsRowsOutsideTheStripOrTooLow_keepsSplitAndTallRows() {
    band = SubtitleBand.start(settings, LAG);
    List<dev.ocrgate.server.vision.Quad> boxes = List.of(
        box(20, 300, 120, 330), // clock on the left, outside the centre strip (400..600)
        box(150, 400, 380, 440), // left half of a subtitle line split at a word gap...
        box(410, 400, 640, 440), // ...and its right half: one row reaching the strip
        box(450, 470, 550, 478), // 8 px high: below min_line_height (0.02 × 500 = 10)
        box(420, 200, 580, 340), // 140 px: too tall, but recognised (its row may lose it)
        box(150, 445, 230, 475), // a short line stacked under the subtitle line, off the strip
        box(700, 445, 780, 475)); // the same beside it (no horizontal overlap): dropped

    List<dev.ocrgate.server.vision.Quad> chosen = band.lineSelector(band.nextSpan()).select(boxes, W, H);
    assertThat(read(chosen)).containsExactly(1, 2, 4, 5);
    for (int i : read(chosen)) {
      assertThat(chosen.get(i)).as("read as detected").isSameAs(boxes.get(i));
    }
  }

  /**
   * A centred subtitle row off the frame's centre by 0.2 to 2 line heights is a line the detector
   * found part of: its short side's end box is read out to the mirror of the other end (plus a
   * quarter line height), and as tall as the band's lines. Geometry of short-tune sub-07 at 3.0 s
   * (854x480, the band locked on 22-28 px lines): the detector boxed 13 px of {@code 每} at
   * 410-427 and nothing of {@code 个} beside it.
   */
  @Test
  void verify_lineSelector_readsARowCutShortOnOneSide_toTheMirrorOfItsOtherEnd() {
    StreamingSection.SubtitleRegion s = new StreamingSection.SubtitleRegion();
    SubtitleBand b = SubtitleBand.start(s, LAG);
    SubtitleBand.Span locked = new SubtitleBand.Span(0.825, 0.985, 22 / 480.0);
    dev.ocrgate.server.vision.Quad mei = box(410, 442, 427, 455);
    dev.ocrgate.server.vision.Quad widened = b.lineSelector(locked).select(List.of(mei), 854, 480).get(0);
    assertThat(widened.minX()).isEqualTo(410f);
    assertThat(widened.maxX()).isCloseTo(2 * 427f - 410 + 0.25f * 13, within(0.01f));
    assertThat(widened.minY()).isCloseTo(448.5f - 11, within(0.01f));
    assertThat(widened.maxY()).isCloseTo(448.5f + 11, within(0.01f));

    dev.ocrgate.server.vision.Quad right = box(854 - 427, 442, 854 - 410, 455);
    assertThat(b.lineSelector(locked).select(List.of(right), 854, 480).get(0).minX()).as("the mirror case")
        .isCloseTo(410 - 0.25f * 13, within(0.01f));

    dev.ocrgate.server.vision.Quad whole = box(405, 438, 443, 460); // 命令, 3 px off: within margins
    assertThat(b.lineSelector(locked).select(List.of(whole), 854, 480).get(0)).isSameAs(whole);
    dev.ocrgate.server.vision.Quad half = box(300, 438, 400, 460); // 3.3 line heights off
    assertThat(b.lineSelector(locked).select(List.of(half), 854, 480).get(0)).isSameAs(half);
    SubtitleBand.Span aligned = locked.aligned(300 / 854.0, Double.NaN);
    assertThat(b.lineSelector(aligned).select(List.of(mei), 854, 480).get(0)).as("subtitles aligned to one side")
        .isSameAs(mei);
  }

  private static List<Integer> read(List<dev.ocrgate.server.vision.Quad> chosen) {
    List<Integer> read = new ArrayList<>();
    for (int i = 0; i < chosen.size(); i++) {
      if (chosen.get(i) != null) {
        read.add(i);
      }
    }
    return read;
  }

  /** model.yaml's detection resize (max side 960, cap 2000). */
  private static final DetResize MODEL = new DetResize("max", 960, 2000);

  @Test
  void verify_lockedBand_detectionInputMapsItsLineHeightToTheTarget_searchKeepsTheModelsSize() {
    settings.detection_line_height = 16;
    band = SubtitleBand.start(settings, LAG);
    SubtitleBand.Span search = band.nextSpan();
    // Searching: min_line_height 0.02 × 500 = 10 px is under the target: the model's own size.
    assertThat(band.detectionScale(search, H)).isEqualTo(1.0);
    spans.add(search);
    areas.add(search.in(W, H));
    for (int i = 0; i < 3 + LAG; i++) {
      next(i * 200L, line("first line", 380, 350, 620, 390), line("second, taller line", 300, 400, 700, 450));
    }
    // Zone 0.70..0.90, laid out on its tallest row (0.1): band 0.63..0.95. The detection input
    // follows its lowest row, 40 px: 16 / 40 = 0.4 of the band, below the model's 960 / 1000.
    SubtitleBand.Span locked = band.nextSpan();
    PixelRect rect = locked.in(W, H);
    assertThat(rect).isEqualTo(new PixelRect(0, 315, W, 160));
    double scale = band.detectionScale(locked, H);
    assertThat(scale).isCloseTo(0.4, within(1e-9));
    RgbImage bandImage = RgbImage.wrap(rect.width(), rect.height(), new byte[rect.width() * rect.height() * 3]);
    // 1000 × 0.4 = 400, 160 × 0.4 = 64: a subtitle read keeps the ratio (the detector pads to 416).
    Detector.Input input = Detector.inputFor(MODEL, bandImage, scale, true);
    assertThat(new int[] {input.width(), input.height()}).containsExactly(400, 64);
    assertThat(input.image()).as("detection resizes the full-resolution band itself").isSameAs(bandImage);
    // Off: the model's resize, 960 / 1000 of both sides.
    settings.detection_line_height = 0;
    assertThat(band.detectionScale(locked, H)).isEqualTo(1.0);
    Detector.Input off = Detector.inputFor(MODEL, bandImage, 1.0, true);
    assertThat(new int[] {off.width(), off.height()}).containsExactly(960, 154);
  }
}
