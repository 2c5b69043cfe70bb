package dev.ocrgate.server.stream;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ocrgate.server.vision.PixelRect;
import dev.ocrgate.server.vision.RgbImage;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * {@link TextMask} against its definition written the slow, obvious way: a pixel is text when it is
 * light and a pixel of some all-dark 2×2 block lies within REACH on one side of it and within SPAN
 * on the other, across or down. The fast passes must give exactly that mask, on images where the
 * dark blocks, light strokes and mid-grey pixels are placed at random (edges included).
 */
class TextMaskTest {

  @Test
  void mask_equalsItsDefinition_onRandomOutlinedStrokes() {
    SplittableRandom random = new SplittableRandom(13);
    long textPixels = 0;
    for (int round = 0; round < 40; round++) {
      int w = 1 + random.nextInt(90);
      int h = 1 + random.nextInt(60);
      byte[] luma = randomLuma(random, w, h);
      TextMask mask = TextMask.of(grey(luma, w, h), new PixelRect(0, 0, w, h));
      byte[] expected = definition(luma, w, h);
      assertThat(mask.mask).as("round %d (%dx%d)", round, w, h).isEqualTo(expected);
      int count = 0;
      for (byte b : expected) {
        count += b;
      }
      assertThat(mask.count).isEqualTo(count);
      textPixels += count;
    }
    assertThat(textPixels).as("the images hold text pixels to compare").isGreaterThan(500);
  }

  @Test
  void mask_ofAnInnerRegion_readsOnlyThatRegion() {
    SplittableRandom random = new SplittableRandom(7);
    int w = 80;
    int h = 50;
    byte[] luma = randomLuma(random, w, h);
    PixelRect roi = new PixelRect(9, 5, 53, 31);
    byte[] inner = new byte[roi.width() * roi.height()];
    for (int y = 0; y < roi.height(); y++) {
      System.arraycopy(luma, (roi.y() + y) * w + roi.x(), inner, y * roi.width(), roi.width());
    }
    assertThat(TextMask.of(grey(luma, w, h), roi).mask).isEqualTo(definition(inner, roi.width(), roi.height()));
  }

  @Test
  void opening_keepsExactlyThePixelsOfWhole3x3Blocks_onRandomMasks() {
    SplittableRandom random = new SplittableRandom(29);
    long kept = 0;
    long dropped = 0;
    for (int round = 0; round < 60; round++) {
      int w = 1 + random.nextInt(70);
      int h = 1 + random.nextInt(50);
      byte[] mask = new byte[w * h];
      for (int i = 0; i < mask.length; i++) {
        mask[i] = (byte) (random.nextInt(10) < 8 ? 1 : 0); // dense, so whole 3×3 blocks occur
      }
      byte[] expected = new byte[w * h];
      for (int cy = 1; cy < h - 1; cy++) {
        for (int cx = 1; cx < w - 1; cx++) {
          boolean whole = true;
          for (int dy = -1; dy <= 1; dy++) {
            for (int dx = -1; dx <= 1; dx++) {
              whole &= mask[(cy + dy) * w + cx + dx] != 0;
            }
          }
          for (int dy = -1; whole && dy <= 1; dy++) {
            for (int dx = -1; dx <= 1; dx++) {
              expected[(cy + dy) * w + cx + dx] = 1;
            }
          }
        }
      }
      assertThat(TextMask.opening(mask, w, h)).as("round %d (%dx%d)", round, w, h).isEqualTo(expected);
      for (int i = 0; i < mask.length; i++) {
        kept += expected[i];
        dropped += mask[i] - expected[i];
      }
    }
    assertThat(kept).as("pixels kept").isGreaterThan(1000);
    assertThat(dropped).as("mask pixels dropped").isGreaterThan(1000);
  }

  /** Dark blobs (2×2 and larger, sometimes single pixels), light strokes, mid-grey elsewhere. */
  private static byte[] randomLuma(SplittableRandom random, int w, int h) {
    byte[] luma = new byte[w * h];
    for (int i = 0; i < luma.length; i++) {
      int kind = random.nextInt(10);
      luma[i] = (byte) (kind < 3 ? random.nextInt(0, TextMask.DARK + 1)
          : kind < 6 ? random.nextInt(TextMask.LIGHT, 256)
          : random.nextInt(TextMask.DARK + 1, TextMask.LIGHT));
    }
    for (int blobs = w * h / 40; blobs > 0; blobs--) {
      int bx = random.nextInt(w);
      int by = random.nextInt(h);
      int bw = 1 + random.nextInt(4);
      int bh = 1 + random.nextInt(4);
      for (int y = by; y < Math.min(h, by + bh); y++) {
        for (int x = bx; x < Math.min(w, bx + bw); x++) {
          luma[y * w + x] = (byte) random.nextInt(0, TextMask.DARK + 1);
        }
      }
    }
    return luma;
  }

  /** An RGB image whose luminance (BT.601, as TextMask computes it) is {@code luma} exactly. */
  private static RgbImage grey(byte[] luma, int w, int h) {
    byte[] rgb = new byte[w * h * 3];
    for (int i = 0; i < luma.length; i++) {
      rgb[3 * i] = rgb[3 * i + 1] = rgb[3 * i + 2] = luma[i];
    }
    RgbImage image = RgbImage.wrap(w, h, rgb);
    for (int i = 0; i < luma.length; i++) {
      assertThat(FrameSignature.luma(rgb, 3 * i)).isEqualTo(luma[i] & 0xff);
    }
    return image;
  }

  private static byte[] definition(byte[] luma, int w, int h) {
    boolean[] dark = new boolean[w * h];
    for (int y = 0; y + 1 < h; y++) {
      for (int x = 0; x + 1 < w; x++) {
        if (isDark(luma, w, x, y) && isDark(luma, w, x + 1, y) && isDark(luma, w, x, y + 1)
            && isDark(luma, w, x + 1, y + 1)) {
          dark[y * w + x] = dark[y * w + x + 1] = dark[(y + 1) * w + x] = dark[(y + 1) * w + x + 1] = true;
        }
      }
    }
    byte[] mask = new byte[w * h];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        if ((luma[y * w + x] & 0xff) < TextMask.LIGHT) {
          continue;
        }
        int left = distance(dark, w, h, x, y, -1, 0);
        int right = distance(dark, w, h, x, y, 1, 0);
        int up = distance(dark, w, h, x, y, 0, -1);
        int down = distance(dark, w, h, x, y, 0, 1);
        if (enclosed(left, right) || enclosed(up, down)) {
          mask[y * w + x] = 1;
        }
      }
    }
    return mask;
  }

  private static boolean isDark(byte[] luma, int w, int x, int y) {
    return (luma[y * w + x] & 0xff) <= TextMask.DARK;
  }

  /** Steps from (x, y) to the nearest dark pixel in direction (dx, dy), or MAX_VALUE. */
  private static int distance(boolean[] dark, int w, int h, int x, int y, int dx, int dy) {
    for (int d = 0; x + d * dx >= 0 && x + d * dx < w && y + d * dy >= 0 && y + d * dy < h; d++) {
      if (dark[(y + d * dy) * w + x + d * dx]) {
        return d;
      }
    }
    return Integer.MAX_VALUE;
  }

  private static boolean enclosed(int a, int b) {
    return Math.min(a, b) <= TextMask.REACH && Math.max(a, b) <= TextMask.SPAN;
  }
}
