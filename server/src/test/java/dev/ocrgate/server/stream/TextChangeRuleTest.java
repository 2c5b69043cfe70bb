package dev.ocrgate.server.stream;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ocrgate.server.config.StreamingSection;
import dev.ocrgate.server.vision.PixelRect;
import dev.ocrgate.server.vision.RgbImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The SUBTITLE-mode change rule on real pixels: subtitles burned in by ffmpeg's libass over lavfi
 * backgrounds, encoded with libx264, decoded back, then run through the same "reuse the last read
 * frame or read this one" walk as a stream. Videos are made at 5 fps, so frame i shows time i × 200
 * ms; cue times fall between frames.
 */
class TextChangeRuleTest {
  private static final int FPS = 5;
  private final TextChangeRule rule = TextChangeRule.of(0.00003);

  @Test
  void verify_movingBackground_steadySubtitle_isReused_andEveryChangeIsRead(@TempDir Path dir) throws Exception {
    assertSteadySubtitleReused_everyChangeRead(dir, "mandelbrot=s=640x360:r=5");
  }

  @Test
  void verify_movingLightBackgroundAroundTheOutline_steadySubtitle_isReused(@TempDir Path dir) throws Exception {
    // testsrc2: light bars and a sweeping line pass right next to the subtitle's dark outline.
    // Light background beside an outline is not text (it has the outline on one side only), so its
    // movement does not force reads (issue 13: about 80 % of such frames were read).
    assertSteadySubtitleReused_everyChangeRead(dir, "testsrc2=s=640x360:r=5");
  }

  @Test
  void verify_fineMovingTexture_smallSubtitleChanges_areNeverReused(@TempDir Path dir) throws Exception {
    // One word changed, a line extended, one letter changed, all over ffmpeg's cellauto: one- and
    // two-pixel light and dark cells that scroll every frame and fill the text mask everywhere. A
    // rule that discounts such texture must still see these changes (one that discounted blocks
    // whose mean luminance held steady reused frame 8 here). l -> i differs only above the
    // x-height: comparing only the middle of the line boxes OCR found (where the outline hides the
    // texture) reused "I wiil go" on the bench (bench/results/subtitle-skip.md, 2026-12-01).
    List<SubtitleVideo.SrtCue> cues = List.of(
        new SubtitleVideo.SrtCue(1, 300, 1500, "Please take your seats"),
        new SubtitleVideo.SrtCue(2, 1500, 2700, "Please take your coats"),
        new SubtitleVideo.SrtCue(3, 2700, 3900, "Please take your coats and hats"),
        new SubtitleVideo.SrtCue(4, 3900, 5100, "Please take your coats and bats"),
        new SubtitleVideo.SrtCue(5, 5100, 6300, "I will go"),
        new SubtitleVideo.SrtCue(6, 6300, 7500, "I wiil go"));
    assertEveryChangeRead(dir, cues, "cellauto=s=640x360:rate=5:rule=110:seed=11");
  }

  @Test
  void verify_oneLetterChanges_sameLength_overTextureAndCalmFootage_areNeverReused(@TempDir Path dir)
      throws Exception {
    // Hard small changes: c -> o (o holds all of c's ink), r -> t and e -> a (one letter, the line
    // keeps its length), over the fine moving texture and over calm footage.
    List<SubtitleVideo.SrtCue> cues = List.of(
        new SubtitleVideo.SrtCue(1, 300, 1500, "The cat sat down"),
        new SubtitleVideo.SrtCue(2, 1500, 2700, "The oat sat down"),
        new SubtitleVideo.SrtCue(3, 2700, 3900, "Turn at the corner"),
        new SubtitleVideo.SrtCue(4, 3900, 5100, "Turn at the cornet"),
        new SubtitleVideo.SrtCue(5, 5100, 6300, "Nine men came back"),
        new SubtitleVideo.SrtCue(6, 6300, 7500, "Nine man came back"));
    for (String background : new String[] {"cellauto=s=640x360:rate=5:rule=110:seed=11", "mandelbrot=s=640x360:r=5"}) {
      assertEveryChangeRead(Files.createDirectories(dir.resolve(background.substring(0, 4))), cues, background);
    }
  }

  @Test
  void verify_lettersThatDifferOnlyAboveTheXHeight_overCalmFootage_areNeverReused(@TempDir Path dir)
      throws Exception {
    // h -> n, l -> i, h -> b change only an ascender: a few text pixels, fewer than the whole
    // frame's limit (12 at 640 wide; l -> i changes 2 here), but all in one place. The rule once
    // reused every frame of "I wiil go" and some of "The nat is here" here
    // (bench/results/subtitle-skip.md, 2026-12-01).
    List<SubtitleVideo.SrtCue> cues = List.of(
        new SubtitleVideo.SrtCue(1, 300, 1500, "The hat is here"),
        new SubtitleVideo.SrtCue(2, 1500, 2700, "The nat is here"),
        new SubtitleVideo.SrtCue(3, 2700, 3900, "I will go"),
        new SubtitleVideo.SrtCue(4, 3900, 5100, "I wiil go"),
        new SubtitleVideo.SrtCue(5, 5100, 6300, "Take your coats and hats"),
        new SubtitleVideo.SrtCue(6, 6300, 7500, "Take your coats and bats"));
    assertEveryChangeRead(dir, cues, "mandelbrot=s=640x360:r=5");
  }

  /**
   * Six cues of 1.2 s from 0.3 s burned over {@code background}, walked in the bottom quarter: no
   * frame is answered with another cue's text, and each frame where the cue changes is read.
   */
  private void assertEveryChangeRead(Path dir, List<SubtitleVideo.SrtCue> cues, String background) throws Exception {
    int[] source = walkBottomQuarter(dir, cues, background, 7.8);
    assertNoFalseReuse(cues, source);
    for (int i : new int[] {8, 14, 20, 26, 32}) {
      assertThat(source[i]).as("%s: frame %d, where the subtitle changes", background, i).isEqualTo(i);
    }
  }

  @Test
  void verify_nothingNewOutside_sameLineOverTexture_yes_lineAddedAbove_no(@TempDir Path dir)
      throws Exception {
    // Over cellauto the mask changes everywhere, so the rule finds every frame changed and the
    // stream asks whether rereading the last read line can decide. It can for the same line; not
    // when a line appears above it (a reread of the old box would still read the old line). A
    // longer line in its place reaches past the box too.
    List<SubtitleVideo.SrtCue> cues = List.of(
        new SubtitleVideo.SrtCue(1, 300, 1500, "Take your coats"),
        new SubtitleVideo.SrtCue(2, 1500, 2700, "Who is there?\nTake your coats"),
        new SubtitleVideo.SrtCue(3, 2700, 3900, "Open the door now"));
    List<RgbImage> frames = SubtitleVideo.overCellauto(dir, cues, 4.0);
    PixelRect roi = CELLAUTO_ROI;
    ChangeRule.Fingerprint first = rule.fingerprint(frames.get(3), roi); // 600 ms: "Take your coats"
    List<PixelRect> line = List.of(thickStrokesBounds(TextMask.of(frames.get(3), roi), 4));

    assertThat(rule.unchanged(first, rule.fingerprint(frames.get(5), roi), false))
        .as("the pixel rule over the texture").isFalse();
    assertThat(TextChangeRule.nothingNewOutside(first, rule.fingerprint(frames.get(5), roi), line, 13))
        .as("same line, 1000 ms").isTrue();
    assertThat(TextChangeRule.nothingNewOutside(first, rule.fingerprint(frames.get(10), roi), line, 13))
        .as("a line added above, 2000 ms").isFalse();
    assertThat(TextChangeRule.nothingNewOutside(first, rule.fingerprint(frames.get(16), roi), line, 13))
        .as("a longer line, 3200 ms").isFalse();
  }

  @Test
  void verify_stillNoText_gapOverTexture_yes_shortSubtitleAppearing_no_thinStyle_no(@TempDir Path dir)
      throws Exception {
    // Between subtitles over cellauto the pixel rule finds every frame changed, and there are no
    // lines to read again. Thick strokes decide instead: none appear in the gap, a short subtitle
    // brings them, and a stream whose subtitles show too few thick strokes is never trusted.
    List<SubtitleVideo.SrtCue> cues = List.of(
        new SubtitleVideo.SrtCue(1, 300, 1500, "Take your coats"),
        new SubtitleVideo.SrtCue(2, 2700, 3900, "No."));
    List<RgbImage> frames = SubtitleVideo.overCellauto(dir, cues, 4.0);
    PixelRect roi = CELLAUTO_ROI;
    ChangeRule.Fingerprint style = rule.fingerprint(frames.get(3), roi); // 600 ms: "Take your coats"
    List<PixelRect> line = List.of(thickStrokesBounds(TextMask.of(frames.get(3), roi), 4));
    ChangeRule.Fingerprint gapStart = rule.fingerprint(frames.get(8), roi); // 1600 ms: no subtitle
    for (int i = 9; i <= 13; i++) {
      ChangeRule.Fingerprint gap = rule.fingerprint(frames.get(i), roi);
      assertThat(rule.unchanged(gapStart, gap, false)).as("the pixel rule, gap frame %d", i).isFalse();
      assertThat(TextChangeRule.stillNoText(gapStart, gap, style, line, 13)).as("gap frame %d", i).isTrue();
    }
    assertThat(TextChangeRule.stillNoText(gapStart, rule.fingerprint(frames.get(14), roi), style, line, 13))
        .as("\"No.\" at 2800 ms").isFalse();
    assertThat(TextChangeRule.stillNoText(gapStart, rule.fingerprint(frames.get(9), roi), style, List.of(), 13))
        .as("no lines to show the style").isFalse();
    // A last read frame that answered no lines while its pixels show a subtitle (a missed read):
    // nothing new appears in the next frame, but its answer must not be repeated.
    assertThat(TextChangeRule.stillNoText(rule.fingerprint(frames.get(15), roi), rule.fingerprint(frames.get(16), roi),
        style, line, 13)).as("\"No.\" in both frames").isFalse();

    Path small = Files.createDirectories(dir.resolve("small"));
    List<RgbImage> thin = SubtitleVideo.burn(small, List.of(new SubtitleVideo.SrtCue(1, 300, 1500, "Take your coats")),
        "cellauto=s=640x360:rate=5:rule=110:seed=11", 640, 360, 2.4,
        "FontName=DejaVu Sans,FontSize=18,Outline=2,Shadow=1,MarginV=12");
    PixelRect smallRoi = new PixelRect(0, 360 * 3 / 5, 640, 360 - 360 * 3 / 5);
    ChangeRule.Fingerprint thinStyle = rule.fingerprint(thin.get(3), smallRoi);
    List<PixelRect> wholeRoi = List.of(new PixelRect(0, 0, smallRoi.width(), smallRoi.height()));
    assertThat(TextChangeRule.stillNoText(rule.fingerprint(thin.get(8), smallRoi), rule.fingerprint(thin.get(9), smallRoi),
        thinStyle, wholeRoi, 13)).as("640x360, FontSize 18: too few thick strokes to trust").isFalse();
  }

  @Test
  void verify_stillNoText_thinStyle_manyLettersAddUpToTheLimit_notTrusted(@TempDir Path dir) throws Exception {
    // Small letters (DejaVu at FontSize 18 on 854x480) leave a few thick-stroke pixels each (here
    // 45 for 64 letters). Two long lines add up to the rule's limit (21), yet a short new subtitle
    // of the same style can appear with next to none: per letter the style shows far fewer than a
    // gap check needs, so it must not decide. (Found on the subtitle bench: with only the total
    // required, a new two-line CJK subtitle at 854x480 passed as "still no text" for three frames.)
    String first = "We will meet at the station after dinner\nand take the last train home together";
    List<SubtitleVideo.SrtCue> cues = List.of(
        new SubtitleVideo.SrtCue(1, 300, 1500, first),
        new SubtitleVideo.SrtCue(2, 2700, 3900, "Go on"));
    int w = 854;
    int h = 480;
    List<RgbImage> frames = SubtitleVideo.burn(dir, cues, "cellauto=s=854x480:rate=5:rule=110:seed=11", w, h, 4.0,
        "FontName=DejaVu Sans,FontSize=18,Outline=2,Shadow=1,MarginV=12");
    PixelRect roi = new PixelRect(0, h * 3 / 5, w, h - h * 3 / 5);
    List<PixelRect> wholeRoi = List.of(new PixelRect(0, 0, roi.width(), roi.height()));
    int letters = (int) first.codePoints().filter(Character::isLetterOrDigit).count();
    long thick = thickPixels(frames.get(3), roi);
    ChangeRule.Fingerprint style = rule.fingerprint(frames.get(3), roi);
    assertThat(thick).as("the lines' thick strokes reach the limit").isGreaterThanOrEqualTo((long) (0.00003 * w * w));
    assertThat(thick).as("but few per letter").isLessThan((long) TextChangeRule.GAP_THICK_PER_CHAR * letters);
    ChangeRule.Fingerprint gap = rule.fingerprint(frames.get(11), roi);
    assertThat(TextChangeRule.stillNoText(gap, rule.fingerprint(frames.get(12), roi), style, wholeRoi, letters))
        .as("a gap frame").isFalse();
  }

  @Test
  void verify_stillNoText_thinSubtitleAppearsOverCalmFootage_afterAThickerOne_isNotTrusted(@TempDir Path dir)
      throws Exception {
    // The subtitle bench's CJK style at 854x480 over testsrc2 (Noto Sans CJK at FontSize 16):
    // strokes two or three pixels wide, so a cue's thick-stroke pixels come only from where
    // strokes meet. The four-character cue shows enough of them to vouch for the style; the
    // two-character cue after it shows none. Its light-text mask shows it, though, in a region
    // whose mask was empty in the gap: that must decide, not the missing thick strokes. (Found on
    // the short-cue bench: "使用" answered as "no text" for its whole three seconds.)
    List<SubtitleVideo.SrtCue> cues = List.of(
        new SubtitleVideo.SrtCue(1, 300, 1500, "是一个屏"),
        new SubtitleVideo.SrtCue(2, 2100, 3300, "使用"));
    int w = 854;
    int h = 480;
    List<RgbImage> frames = SubtitleVideo.burn(dir, cues, "testsrc2=s=854x480:r=5", w, h, 3.6,
        "FontName=Noto Sans CJK SC,FontSize=16,PrimaryColour=&H00FFFFFF&,OutlineColour=&H00000000&,"
            + "BorderStyle=1,Outline=3,Shadow=2,MarginV=12,Alignment=2");
    PixelRect roi = new PixelRect(0, h * 3 / 4, w, h / 4);
    List<PixelRect> wholeRoi = List.of(new PixelRect(0, 0, roi.width(), roi.height()));
    ChangeRule.Fingerprint style = rule.fingerprint(frames.get(4), roi); // 800 ms: "是一个屏"
    long limit = (long) (0.00003 * w * w);
    assertThat(thickPixels(frames.get(4), roi)).as("the four characters vouch for the style")
        .isGreaterThanOrEqualTo(Math.max(limit, 4L * TextChangeRule.GAP_THICK_PER_CHAR));
    ChangeRule.Fingerprint gap = rule.fingerprint(frames.get(9), roi); // 1800 ms: no subtitle
    assertThat(gap.showsText()).as("the gap's mask is empty").isFalse();
    ChangeRule.Fingerprint two = rule.fingerprint(frames.get(14), roi); // 2800 ms: "使用"
    assertThat(thickPixels(frames.get(14), roi)).as("the two characters show no thick stroke").isZero();
    assertThat(two.showsText()).as("but light text").isTrue();
    assertThat(TextChangeRule.stillNoText(gap, two, style, wholeRoi, 4)).as("\"使用\" after the gap").isFalse();
    assertThat(TextChangeRule.stillNoText(gap, rule.fingerprint(frames.get(10), roi), style, wholeRoi, 4))
        .as("the next gap frame still passes").isTrue();
  }

  private static long thickPixels(RgbImage frame, PixelRect roi) {
    long thick = 0;
    for (byte b : TextMask.of(frame, roi).opened()) {
      thick += b;
    }
    return thick;
  }

  /** The bottom 40 % of the 854x480 frames of {@link SubtitleVideo#overCellauto}. */
  private static final PixelRect CELLAUTO_ROI = new PixelRect(0, 288, 854, 192);

  /** The bounding box of {@code mask}'s thick strokes, grown by {@code margin}, in its own pixels. */
  private static PixelRect thickStrokesBounds(TextMask mask, int margin) {
    byte[] thick = mask.opened();
    int x0 = mask.width;
    int y0 = mask.height;
    int x1 = -1;
    int y1 = -1;
    for (int i = 0; i < thick.length; i++) {
      if (thick[i] != 0) {
        x0 = Math.min(x0, i % mask.width);
        x1 = Math.max(x1, i % mask.width);
        y0 = Math.min(y0, i / mask.width);
        y1 = Math.max(y1, i / mask.width);
      }
    }
    assertThat(x1).as("thick strokes in the frame").isGreaterThanOrEqualTo(0);
    return new PixelRect(x0 - margin, y0 - margin, x1 - x0 + 1 + 2 * margin, y1 - y0 + 1 + 2 * margin);
  }

  @Test
  void verify_bandCroppedByTheClient_decidesAsTheBandOfTheWholeFrame(@TempDir Path dir) throws Exception {
    List<SubtitleVideo.SrtCue> cues = List.of(
        new SubtitleVideo.SrtCue(1, 300, 1500, "Good morning everyone"),
        new SubtitleVideo.SrtCue(2, 1500, 2700, "Please take your seats"));
    int w = 640;
    int h = 360;
    List<RgbImage> frames = SubtitleVideo.burn(dir, cues, "mandelbrot=s=640x360:r=5", w, h, 3.0,
        "FontName=DejaVu Sans,FontSize=18,Outline=2,Shadow=1,MarginV=12");
    PixelRect band = new PixelRect(0, h * 3 / 4, w, h / 4);
    List<RgbImage> cropped = new ArrayList<>();
    for (RgbImage f : frames) {
      byte[] d = new byte[w * band.height() * 3];
      System.arraycopy(f.data(), band.y() * w * 3, d, 0, d.length);
      cropped.add(RgbImage.wrap(w, band.height(), d));
    }
    int[] whole = walk(frames, band);
    assertThat(walk(cropped, new PixelRect(0, 0, w, band.height()))).containsExactly(whole);
    assertNoFalseReuse(cues, whole);
  }

  @Test
  void verify_flatBackground_changedSubtitle_isNeverReused(@TempDir Path dir) throws Exception {
    // The case from issue 13: white subtitles over a flat colour, where the bands of different
    // subtitles differ by less than the pixel rule's threshold.
    List<SubtitleVideo.SrtCue> cues = List.of(
        new SubtitleVideo.SrtCue(1, 100, 1100, "The storm is coming tonight"),
        new SubtitleVideo.SrtCue(2, 1100, 2100, "The storm is coming tomorrow"),
        new SubtitleVideo.SrtCue(3, 2100, 3100, "The storm is coming tonight!"));
    int w = 1280;
    int h = 720;
    List<RgbImage> frames = SubtitleVideo.burn(dir, cues, "color=c=0x3060a0:s=1280x720:r=5", w, h, 3.4, "FontSize=14");
    PixelRect band = new PixelRect(0, 540, w, 180);
    double pixelDifference = FrameSignature.of(frames.get(5), band).difference(FrameSignature.of(frames.get(10), band));
    assertThat(pixelDifference).as("the pixel rule would reuse").isLessThan(0.004);
    int[] source = walk(frames, band);
    assertNoFalseReuse(cues, source);
    assertThat(source[6]).isEqualTo(6);
    assertThat(source[11]).isEqualTo(11);
    assertThat(source[16]).isEqualTo(16);
    assertThat(source[8]).isEqualTo(6);
  }

  @Test
  void verify_brightFlatBackground_subtitleAppearingAfterAGap_andVanishing_areRead(@TempDir Path dir)
      throws Exception {
    // A white fill over yellow (luminance 226) or light grey (208) differs from the background by
    // 29 or 47 levels, under TEXT_STEP, and the dark outline is not light text: compared pixel by
    // pixel, a subtitle appearing after a frame between subtitles, or vanishing, changes no text
    // pixel enough. One frame showing light text and the other not must decide.
    List<SubtitleVideo.SrtCue> cues = List.of(
        new SubtitleVideo.SrtCue(1, 300, 1500, "Hello there"),
        new SubtitleVideo.SrtCue(2, 2100, 3300, "General Kenobi"));
    for (String colour : List.of("yellow", "0xd0d0d0")) {
      List<RgbImage> frames = SubtitleVideo.burn(Files.createDirectories(dir.resolve(colour)), cues,
          "color=c=" + colour + ":s=854x480:r=5", 854, 480, 3.6,
          "FontName=DejaVu Sans,FontSize=18,Outline=2,Shadow=1,MarginV=12");
      int[] source = walk(frames, new PixelRect(0, 360, 854, 120));
      assertNoFalseReuse(cues, source);
      assertChangesReadAndStandingReused(cues, source, 5);
    }
  }

  @Test
  void verify_gapFrames_lightSubtitleStream_reusesThem_andAPaleSubtitleIsFoundWithinTheRereadDelay(@TempDir Path dir)
      throws Exception {
    // Two light subtitles teach the stream that its subtitles are light; the moving frames between
    // subtitles are then reused (block colours alone read them all: gap_frames read), except one
    // every gap_reread_ms of pts, which finds the pale grey subtitle (no light text, never found
    // with gap_frames reuse) at most that late.
    List<SubtitleVideo.SrtCue> cues = List.of(
        new SubtitleVideo.SrtCue(1, 300, 1500, "Good morning everyone"),
        new SubtitleVideo.SrtCue(2, 1500, 2700, "Please take your seats"),
        new SubtitleVideo.SrtCue(3, 6100, 8500, "<font color=\"#a0a0a0\">The doors are closing</font>"));
    int w = 640;
    int h = 360;
    // Moving gradients between dark colours: block colours change every frame, no light pixel
    // (that an outline could enclose) outside the light subtitles.
    List<RgbImage> frames = SubtitleVideo.burn(dir, cues, "gradients=s=640x360:r=5:c0=0x102040:c1=0x806020:n=2:speed=0.5:seed=5",
        w, h, 11.0, "FontName=DejaVu Sans,FontSize=18,Outline=2,Shadow=1,MarginV=12");
    PixelRect band = new PixelRect(0, h * 3 / 4, w, h / 4);
    StreamingSection settings = new StreamingSection();
    int[] learn = walkAnswering(frames, band, settings, cues);
    settings.gap_frames = "read";
    int[] read = walkAnswering(frames, band, settings, cues);
    // The second light read (frame 8) applies a window (8 arrivals) later: frames 16.. between subtitles.
    int reusedGap = 0;
    int reusedGapRead = 0;
    for (int i = 17; i <= 30; i++) {
      reusedGap += learn[i] != i ? 1 : 0;
      reusedGapRead += read[i] != i ? 1 : 0;
    }
    assertThat(reusedGap).as("gap frames 17-30 reused, learn (read: %d)", reusedGapRead).isGreaterThanOrEqualTo(9);
    long rereadFrames = settings.gap_reread_ms * FPS / 1000;
    for (int i = 0; i < frames.size(); i++) {
      String truth = truthAt(cues, i);
      if (truth.startsWith("<")) {
        long shownFrom = i - (cues.get(2).startMs() * FPS + 999) / 1000;
        if (shownFrom >= rereadFrames) {
          assertThat(truthAt(cues, learn[i])).as("frame %d, %d frames into the pale subtitle", i, shownFrom)
              .isEqualTo(truth);
        }
      } else {
        assertThat(truthAt(cues, learn[i])).as("frame %d answered with frame %d", i, learn[i]).isEqualTo(truth);
      }
    }
    assertNoFalseReuse(cues, read);
    assertThat(reusedGapRead).as("the footage moves: block colours read the gap frames").isLessThanOrEqualTo(2);
    settings.gap_frames = "reuse";
    int[] blind = walkAnswering(frames, band, settings, cues);
    assertThat(IntStream.range(0, frames.size())
        .filter(i -> truthAt(cues, i).startsWith("<") && !truthAt(cues, blind[i]).startsWith("<")).count())
        .as("frames of the pale subtitle answered without it, gap_frames reuse").isGreaterThan(5);
  }

  @Test
  void verify_differentArea_isNeverReused() {
    RgbImage image = RgbImage.wrap(64, 64, new byte[64 * 64 * 3]);
    ChangeRule.Fingerprint a = rule.fingerprint(image, new PixelRect(0, 32, 64, 32));
    assertThat(rule.unchanged(a, rule.fingerprint(image, new PixelRect(0, 32, 64, 32)), false)).isTrue();
    assertThat(rule.unchanged(a, rule.fingerprint(image, new PixelRect(0, 31, 64, 32)), false)).isFalse();
    RgbImage bigger = RgbImage.wrap(64, 96, new byte[64 * 96 * 3]);
    assertThat(rule.unchanged(a, rule.fingerprint(bigger, new PixelRect(0, 32, 64, 32)), false)).isFalse();
  }

  /** For each frame, the frame whose OCR it is answered with (itself when read), as a stream does. */
  /**
   * Three subtitles (one standing 2.8 s, a change, a gap, a short one) over {@code background}:
   * every change is read, no changed subtitle reused, and most standing frames reused.
   */
  private void assertSteadySubtitleReused_everyChangeRead(Path dir, String background) throws Exception {
    List<SubtitleVideo.SrtCue> cues = List.of(
        new SubtitleVideo.SrtCue(1, 500, 3300, "Good morning everyone"),
        new SubtitleVideo.SrtCue(2, 3300, 5900, "Please take your seats"),
        new SubtitleVideo.SrtCue(3, 6500, 7700, "Now"));
    int[] source = walkBottomQuarter(dir, cues, background, 8.0);
    assertNoFalseReuse(cues, source);
    assertChangesReadAndStandingReused(cues, source, 8);
  }

  /** Burns {@code cues} (18 px DejaVu Sans, outline 2) into 640×360 {@code background} and walks its bottom quarter. */
  private int[] walkBottomQuarter(Path dir, List<SubtitleVideo.SrtCue> cues, String background, double seconds)
      throws Exception {
    int w = 640;
    int h = 360;
    List<RgbImage> frames = SubtitleVideo.burn(dir, cues, background, w, h, seconds,
        "FontName=DejaVu Sans,FontSize=18,Outline=2,Shadow=1,MarginV=12");
    return walk(frames, new PixelRect(0, h * 3 / 4, w, h / 4));
  }

  /**
   * As {@link #walk}, through the stream's {@link ChangeWalk} with {@code settings}; a read frame
   * answers lines when its truth shows a subtitle (a perfect OCR).
   */
  private static int[] walkAnswering(List<RgbImage> frames, PixelRect roi, StreamingSection settings,
      List<SubtitleVideo.SrtCue> cues) {
    ChangeWalk walk = ChangeWalk.of(settings);
    int[] source = new int[frames.size()];
    for (int i = 0; i < frames.size(); i++) {
      source[i] = walk.next(frames.get(i), roi, i * 1000L / FPS);
      if (source[i] == i) {
        walk.answered(!truthAt(cues, i).isEmpty());
      }
    }
    return source;
  }

  private int[] walk(List<RgbImage> frames, PixelRect roi) {
    int[] source = new int[frames.size()];
    ChangeRule.Fingerprint last = null;
    for (int i = 0; i < frames.size(); i++) {
      ChangeRule.Fingerprint now = rule.fingerprint(frames.get(i), roi);
      if (last != null && rule.unchanged(last, now, false)) {
        source[i] = source[i - 1];
      } else {
        source[i] = i;
        last = now;
      }
    }
    return source;
  }

  /**
   * Every appearance, change and disappearance is read at the first frame that shows it, and
   * while a subtitle stands at least {@code tenths}/10 of its frames are reused.
   */
  private static void assertChangesReadAndStandingReused(List<SubtitleVideo.SrtCue> cues, int[] source, int tenths) {
    int standing = 0;
    int reused = 0;
    for (int i = 1; i < source.length; i++) {
      if (!truthAt(cues, i).equals(truthAt(cues, i - 1))) {
        assertThat(source[i]).as("frame %d, where the subtitle changes", i).isEqualTo(i);
      } else if (!truthAt(cues, i).isEmpty()) {
        standing++;
        reused += source[i] != i ? 1 : 0;
      }
    }
    assertThat(reused).as("reused %d of %d frames of standing subtitles", reused, standing)
        .isGreaterThanOrEqualTo(standing * tenths / 10);
  }

  private static void assertNoFalseReuse(List<SubtitleVideo.SrtCue> cues, int[] source) {
    for (int i = 0; i < source.length; i++) {
      assertThat(truthAt(cues, source[i])).as("frame %d answered with frame %d", i, source[i])
          .isEqualTo(truthAt(cues, i));
    }
  }

  private static String truthAt(List<SubtitleVideo.SrtCue> cues, int frame) {
    long t = frame * 1000L / FPS;
    return cues.stream().filter(c -> c.startMs() <= t && t < c.endMs())
        .map(SubtitleVideo.SrtCue::text).findFirst().orElse("");
  }
}
