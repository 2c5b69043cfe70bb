package dev.ocrgate.server.stream;

import dev.ocrgate.server.vision.PixelRect;
import dev.ocrgate.server.vision.RgbImage;
import java.util.Arrays;

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
 * <p>Texture: a background with a fine light-and-dark pattern (ffmpeg's cellauto, fine print,
 * foliage in sunlight) fills the mask and changes it everywhere while it moves. Such a
 * {@link TextMask} block, where at least 1/{@value #TEXTURE_SHARE} of the pixels are in the
 * mask in both frames, counts its changed text pixels only when its mean luminance also moved by
 * more than {@value #BLOCK_STEP}: a moving texture keeps its mean, while a subtitle appearing,
 * vanishing or changing over it swaps texture for solid outline and fill, moving the mean by far
 * more. Blocks with less mask (subtitle strokes over a plain or smooth background) count every
 * changed text pixel, as before.
 *
 * <p>Without light text in either frame (fewer mask pixels than the limit in both), the mask says
 * nothing about dark or pale text. By default every pixel then counts, changed when the mean of one
 * colour channel over its {@link BlockColours block} moved by more than {@value #PIXEL_STEP}: safe, but on moving footage the frames
 * between subtitles are read again. {@code reuseWithoutLightText} instead treats two frames without
 * light text as unchanged: faster on moving footage, blind to subtitles that are not light.
 */
final class TextChangeRule implements ChangeRule {
  static final int TEXT_STEP = 60;
  static final int PIXEL_STEP = 24;
  /** A block is texture when more than 1/TEXTURE_SHARE of its pixels are mask in both frames. */
  static final int TEXTURE_SHARE = 10;
  /** Mean luminance change of a texture block that lets its changed text pixels count. */
  static final int BLOCK_STEP = 32;

  private record Print(ReadArea area, TextMask text, BlockColours blocks) implements Fingerprint {}

  private final double threshold;
  private final boolean reuseWithoutLightText;

  private TextChangeRule(double threshold, boolean reuseWithoutLightText) {
    this.threshold = threshold;
    this.reuseWithoutLightText = reuseWithoutLightText;
  }

  /** {@code threshold}: changed text pixels allowed, as a fraction of the region width squared. */
  static TextChangeRule of(double threshold, boolean reuseWithoutLightText) {
    return new TextChangeRule(threshold, reuseWithoutLightText);
  }

  @Override
  public Fingerprint fingerprint(RgbImage image, PixelRect roi) {
    return new Print(new ReadArea(roi, image.width(), image.height()), TextMask.of(image, roi),
        BlockColours.of(image, roi));
  }

  @Override
  public boolean samePixels(Fingerprint lastRead, Fingerprint now) {
    Print a = (Print) lastRead;
    Print b = (Print) now;
    int width = b.area().rect().width();
    long limit = (long) (threshold * width * width);
    if (a.text().count > limit || b.text().count > limit) {
      return changedText(a.text(), b.text(), limit) <= limit;
    }
    return reuseWithoutLightText || a.blocks().changedPixels(b.blocks(), PIXEL_STEP, limit) <= limit;
  }

  /**
   * Changed text pixels (in either mask, luminance moved by more than TEXT_STEP), of the blocks
   * that count (see the class comment); stops once past {@code limit}, a block row at a time.
   */
  static long changedText(TextMask a, TextMask b, long limit) {
    int w = a.width;
    int[] changed = new int[a.blockCols];
    long total = 0;
    for (int r = 0; r < a.blockRows && total <= limit; r++) {
      Arrays.fill(changed, 0);
      int y0 = r * TextMask.BLOCK;
      int y1 = r == a.blockRows - 1 ? a.height : y0 + TextMask.BLOCK;
      for (int y = y0; y < y1; y++) {
        for (int x = 0, i = y * w; x < w; x++, i++) {
          if ((a.mask[i] | b.mask[i]) != 0 && Math.abs((a.luma[i] & 0xff) - (b.luma[i] & 0xff)) > TEXT_STEP) {
            changed[Math.min(x / TextMask.BLOCK, a.blockCols - 1)]++;
          }
        }
      }
      for (int c = 0; c < a.blockCols; c++) {
        if (changed[c] > 0 && counts(a, b, r * a.blockCols + c)) {
          total += changed[c];
        }
      }
    }
    return total;
  }

  /** Whether block {@code k}'s changed text pixels count: not texture in both, or its mean moved. */
  private static boolean counts(TextMask a, TextMask b, int k) {
    int n = a.blockPixels[k];
    boolean texture = (long) a.blockMask[k] * TEXTURE_SHARE >= n && (long) b.blockMask[k] * TEXTURE_SHARE >= n;
    return !texture || Math.abs(a.blockLuma[k] - b.blockLuma[k]) > (long) BLOCK_STEP * n;
  }
}
