package dev.ocrgate.server.stream;

import dev.ocrgate.server.vision.PixelRect;
import dev.ocrgate.server.vision.RgbImage;
import java.util.Arrays;
import java.util.List;

/**
 * SUBTITLE mode's rule: "same subtitle as the last read frame", decided from the light text of
 * both frames ({@link TextMask}), not from the whole region, so a moving background does not force
 * a new read and a changed subtitle over a flat background is not missed. Immutable.
 *
 * <p>Text pixels that changed: pixels in either frame's mask whose luminance differs by more than
 * {@value #TEXT_STEP} (a fill pixel turned outline or background, or the reverse). A changed,
 * appearing or vanishing subtitle changes most of its fill edge; the same subtitle over moving
 * footage changes next to none of it. The frame is unchanged when at most {@code threshold × W²}
 * text pixels changed, W being the region's width: subtitle size follows the video's size, and the
 * width survives a client cropping the subtitle band out of the frame (a narrower region only
 * makes the limit stricter). Default 3e-5: 49 pixels at 1280 wide, 22 at 854, under one glyph
 * of the smallest subtitles.
 *
 * <p>And in one place: the frame is also changed when one {@value #BLOCK}×{@value #BLOCK} block
 * holds more than {@value #BLOCK_SHARE} × the limit of them (7 pixels at 1280 wide, 3 at 854, 1
 * at 640). Letters that differ only above or below the x-height (h → n, h → b, l → i) change fewer
 * text pixels than the whole limit (an ascender: about 3 × 8 pixels at 36 px; l → i at 640×360: 2),
 * and the whole-frame count alone reused "hat" → "nat", "will" → "wiil" and "hats" → "bats" for
 * their whole cues over calm footage; a changed letter's pixels lie together, while the mask's
 * frame-to-frame flicker over moving footage is spread out. Costs reads on grainy footage (the
 * tune part: 279 → 330 of 960 in the rule-only replay, mostly 480p mandelbrot with noise); see
 * bench/results/subtitle-skip.md (2026-12-01) for the probes and the share tried.
 *
 * <p>Not solved by pixels alone: a fine light-and-dark texture that moves (ffmpeg's cellauto)
 * enters the mask everywhere (56 % of a 1280×432 search area on the subtitle bench) and changes it
 * every frame, so this rule finds every such frame changed; the stream then checks the text itself
 * by reading the last read lines again ({@code StreamFramesCall}, {@link #nothingNewOutside}), or,
 * between subtitles, checks that no thick stroke appeared ({@link #stillNoText}).
 * Tried and rejected here: discounting blocks whose texture keeps
 * its mean luminance (it let a one-word change of a small subtitle over that texture pass as
 * unchanged; TextChangeRuleTest keeps that case), and counting only light pixels enclosed by
 * <em>thick</em> (3×3) dark blocks outside texture-dense blocks (cellauto's own triangles hold
 * 3×3 dark blocks: about 7,500 such pixels per frame without any subtitle, 8,000–10,000 of them
 * changed from frame to frame), and comparing texture frames only inside the line boxes the last
 * read frame's OCR found (the outline and shadow hide the texture there, but only around the
 * glyphs: ascender and descender rows between letters show it, and comparing only the middle of
 * the boxes reused "I will go" → "I wiil go"). See bench/results/subtitle-skip.md.
 *
 * <p>When one frame shows light text and the other does not ({@link Fingerprint#showsText}: more
 * mask pixels than the limit), light text appeared or vanished, and the frame is changed. The
 * text pixels alone cannot see it over a bright background: a white fill differs from yellow by
 * 29 levels of luminance and from light grey (208) by 47, under {@value #TEXT_STEP}, and the dark
 * outline is not in the mask, so a subtitle appearing after a frame between subtitles, or
 * vanishing, changed no text pixel enough and was reused (TextChangeRuleTest). Between subtitles
 * the mask is empty except over texture (subtitle bench: at most 8 pixels on most videos), so
 * this costs next to no reads.
 *
 * <p>Without light text in either frame (fewer mask pixels than the limit in both: {@link
 * Fingerprint#showsText}), the mask says nothing about dark or pale text. Every pixel then counts,
 * changed when the mean of one colour channel over its {@link BlockColours block} moved by more
 * than {@value #PIXEL_STEP}: safe, but on moving footage the frames between subtitles are read
 * again, unless the stream's {@link GapFrames} lets such frames pass as unchanged
 * ({@code textlessAlike}).
 */
final class TextChangeRule implements ChangeRule {
  static final int TEXT_STEP = 60;
  static final int PIXEL_STEP = 24;
  /** Side of the square blocks whose changed text pixels are also counted on their own. */
  static final int BLOCK = 16;
  /** A block with more changed text pixels than this share of the limit makes the frame changed. */
  static final double BLOCK_SHARE = 0.15;

  /**
   * {@code showsText}: more mask pixels than {@code limit}; {@code blockLimit}: changed text pixels
   * one {@value #BLOCK}×{@value #BLOCK} block may hold. {@code blocks} only when it does not
   * (null otherwise): the block colours are compared only when neither frame shows text, and
   * skipping them saves about a fifth of a subtitle frame's fingerprint.
   */
  private record Print(ReadArea area, TextMask text, BlockColours blocks, long limit, long blockLimit,
      boolean showsText) implements Fingerprint {}

  private final double threshold;

  private TextChangeRule(double threshold) {
    this.threshold = threshold;
  }

  /** {@code threshold}: changed text pixels allowed, as a fraction of the region width squared. */
  static TextChangeRule of(double threshold) {
    return new TextChangeRule(threshold);
  }

  @Override
  public Fingerprint fingerprint(RgbImage image, PixelRect roi, ReadArea area) {
    TextMask text = TextMask.of(image, roi);
    long limit = (long) (threshold * roi.width() * roi.width());
    boolean showsText = text.count > limit;
    return new Print(area, text, showsText ? null : BlockColours.of(image, roi), limit,
        (long) Math.floor(BLOCK_SHARE * limit), showsText);
  }

  @Override
  public boolean samePixels(Fingerprint lastRead, Fingerprint now) {
    Print a = (Print) lastRead;
    Print b = (Print) now;
    long limit = b.limit();
    if (lightTextAppeared(a, b) || lightTextAppeared(b, a)) {
      return false; // appeared or vanished
    }
    if (a.showsText()) {
      return sameText(a.text(), b.text(), limit, b.blockLimit());
    }
    return a.blocks().changedPixels(b.blocks(), PIXEL_STEP, limit) <= limit;
  }

  /** Pixels around a line's box that still count as the line's own in {@link #nothingNewOutside}. */
  static final int LINE_MARGIN = 2;
  /**
   * Thick-stroke pixels per letter or digit that read lines must show before {@link
   * #nothingNewOutside} trusts that new text of their style would show. New text there is a line
   * or a word of at least two letters, beside lines that are read again.
   */
  static final int REREAD_THICK_PER_CHAR = 1;
  /**
   * The same for {@link #stillNoText}, where nothing is read at all: a new subtitle must show
   * even when its letters are thinner than the lines that vouched for the style. On the subtitle
   * bench one style's cues varied up to 3.7× in thick pixels per letter (bottom quarter, 5 fps,
   * frames within 250 ms of a cue edge left out); thin styles (CJK at 480p, small Latin) show
   * 0–3.6.
   */
  static final int GAP_THICK_PER_CHAR = 5;

  /**
   * For a frame this rule found changed, whose last read frame's lines are read again at their
   * boxes to see whether their text changed ({@code StreamFramesCall}): whether text may have
   * appeared <em>outside</em> those boxes, which a reread cannot see. Decided on thick strokes
   * ({@link TextMask#opened}), which moving texture does not leave: true when the frame's own
   * lines show at least the rule's limit of thick-stroke pixels and at least {@value
   * #REREAD_THICK_PER_CHAR} per letter or digit of their text (so new text of this style would
   * show), and not one thick-stroke pixel lies outside {@code lines} (grown by {@value
   * #LINE_MARGIN}) that was not there in {@code lastRead}. False (read the frame) when either
   * fingerprint is not this rule's or the areas differ. Pixel work (two openings): run it off
   * the stream's context.
   *
   * @param lines the last read frame's line boxes, in the area's pixels (clipped here)
   * @param chars letters and digits in those lines' text
   */
  static boolean nothingNewOutside(Fingerprint lastRead, Fingerprint now, List<PixelRect> lines, int chars) {
    if (!(lastRead instanceof Print a) || !(now instanceof Print b) || !a.area().equals(b.area())) {
      return false;
    }
    byte[] inLine = cover(b.text(), lines);
    return noneAppeared(a, b, inLine) && showsStyle(b, inLine, chars, REREAD_THICK_PER_CHAR);
  }

  /**
   * For a frame this rule found changed whose last read frame answered <em>no</em> lines: whether
   * it still shows none, decided on thick strokes as in {@link #nothingNewOutside}, everywhere in
   * the area. True when the stream's latest answered lines ({@code styleLines} of {@code style},
   * the fingerprint of the frame they were read in) show at least the rule's limit of
   * thick-stroke pixels and at least {@value #GAP_THICK_PER_CHAR} per letter or digit (so this
   * stream's subtitles are thick enough for a new one to show), and neither {@code lastRead} nor
   * {@code now} has a single thick-stroke pixel. On the subtitle bench no frame between subtitles
   * had one in the bottom quarter, whatever the background; a last read frame that has some may
   * show a subtitle its read missed, and comparing with it would repeat the miss.
   *
   * <p>Thick strokes stand in for the light-text mask only where texture fills the mask: when
   * {@code lastRead} {@linkplain Fingerprint#showsText shows no light text} and {@code now} does,
   * light text appeared, and this is false whatever its strokes. Between subtitles the mask is
   * empty except over texture (subtitle bench, all four parts: at most 8 pixels on most videos,
   * 300,000 over cellauto), and how thick a style's strokes are varies from cue to cue on thin
   * styles: at 854×480 over testsrc2, CJK subtitles showed 6 thick pixels per character on a
   * four-character cue and none on the two-character cue after it, which the stream then answered
   * as "no text" for three seconds (bench/results/subtitle-skip.md, session 10).
   *
   * <p>False when a fingerprint is not this rule's or {@code lastRead} and {@code now} have
   * different areas. Pixel work (openings): run it off the stream's context.
   *
   * @param styleLines the lines' boxes in {@code style}'s area pixels (clipped here)
   * @param styleChars letters and digits in those lines' text
   */
  static boolean stillNoText(Fingerprint lastRead, Fingerprint now, Fingerprint style, List<PixelRect> styleLines,
      int styleChars) {
    if (!(lastRead instanceof Print a) || !(now instanceof Print b) || !(style instanceof Print s)
        || !a.area().equals(b.area())) {
      return false;
    }
    if (lightTextAppeared(a, b)) {
      return false; // the pixel rule's own verdict, which thick strokes must not overrule
    }
    return noThick(a) && noThick(b) && showsStyle(s, cover(s.text(), styleLines), styleChars, GAP_THICK_PER_CHAR);
  }

  /**
   * {@code now} shows light text and {@code before} does not ({@link Fingerprint#showsText}): a
   * change whatever the text pixels say (see the class comment).
   */
  private static boolean lightTextAppeared(Print before, Print now) {
    return now.showsText() && !before.showsText();
  }

  /** {@code p}'s thick strokes inside {@code cover}: at least the limit and {@code perChar} × {@code chars}. */
  private static boolean showsStyle(Print p, byte[] cover, int chars, int perChar) {
    long thick = thickPixels(p, cover);
    return chars > 0 && thick >= p.limit() && thick >= (long) perChar * chars;
  }

  /** 1 inside {@code lines} grown by {@value #LINE_MARGIN}, clipped to {@code mask}'s size. */
  private static byte[] cover(TextMask mask, List<PixelRect> lines) {
    int w = mask.width;
    int h = mask.height;
    byte[] inLine = new byte[w * h];
    for (PixelRect r : lines) {
      int x0 = Math.max(0, r.x() - LINE_MARGIN);
      int y0 = Math.max(0, r.y() - LINE_MARGIN);
      int x1 = Math.min(w, r.x() + r.width() + LINE_MARGIN);
      int y1 = Math.min(h, r.y() + r.height() + LINE_MARGIN);
      for (int y = y0; y < y1; y++) {
        if (x1 > x0) {
          Arrays.fill(inLine, y * w + x0, y * w + x1, (byte) 1);
        }
      }
    }
    return inLine;
  }

  /** Thick-stroke pixels of {@code p} inside {@code cover}. */
  private static long thickPixels(Print p, byte[] cover) {
    byte[] opened = p.text().opened();
    long inside = 0;
    for (int i = 0; i < opened.length; i++) {
      inside += opened[i] & cover[i];
    }
    return inside;
  }

  private static boolean noThick(Print p) {
    for (byte o : p.text().opened()) {
      if (o != 0) {
        return false;
      }
    }
    return true;
  }

  /** No thick-stroke pixel of {@code b} outside {@code except} that {@code a} lacks. */
  private static boolean noneAppeared(Print a, Print b, byte[] except) {
    byte[] was = a.text().opened();
    byte[] is = b.text().opened();
    for (int i = 0; i < is.length; i++) {
      if (is[i] != 0 && was[i] == 0 && except[i] == 0) {
        return false;
      }
    }
    return true;
  }

  /**
   * Text pixels (of either mask) whose luminance moved by more than TEXT_STEP: at most {@code
   * limit} of them in all and at most {@code blockLimit} in any BLOCK×BLOCK block. Stops at the
   * first count past its bound.
   */
  static boolean sameText(TextMask a, TextMask b, long limit, long blockLimit) {
    int w = a.width;
    int[] perBlock = new int[(w + BLOCK - 1) / BLOCK]; // the blocks of the current BLOCK rows
    long changed = 0;
    for (int y = 0; y < a.height; y++) {
      if (y % BLOCK == 0) {
        Arrays.fill(perBlock, 0);
      }
      for (int i = y * w, x = 0; x < w; i++, x++) {
        if ((a.mask[i] | b.mask[i]) != 0 && Math.abs((a.luma[i] & 0xff) - (b.luma[i] & 0xff)) > TEXT_STEP
            && (++changed > limit || ++perBlock[x / BLOCK] > blockLimit)) {
          return false;
        }
      }
    }
    return true;
  }
}
