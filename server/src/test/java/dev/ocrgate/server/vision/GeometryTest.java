package dev.ocrgate.server.vision;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Pure geometry of the DB post-processing and of the recogniser's input. */
class GeometryTest {
  @Test
  void verify_minAreaRect_ofAxisAlignedPoints_isTheirBoundingBox() {
    double[] xs = {10, 20, 20, 10, 15};
    double[] ys = {5, 5, 9, 9, 7};
    RotatedRect r = MinAreaRect.of(xs, ys, xs.length);
    assertThat(Math.max(r.width(), r.height())).isCloseTo(10, within(1e-9));
    assertThat(r.shortSide()).isCloseTo(4, within(1e-9));
    assertThat(r.cx()).isCloseTo(15, within(1e-9));
    assertThat(r.cy()).isCloseTo(7, within(1e-9));
    double[][] c = r.orderedCorners();
    assertThat(c[0]).containsExactly(new double[] {10, 5}, within(1e-9));
    assertThat(c[1]).containsExactly(new double[] {20, 5}, within(1e-9));
    assertThat(c[2]).containsExactly(new double[] {20, 9}, within(1e-9));
    assertThat(c[3]).containsExactly(new double[] {10, 9}, within(1e-9));
  }

  @Test
  void verify_minAreaRect_ofRotatedRectangle_recoversItsSides() {
    // A 40 × 10 rectangle turned by 30°, sampled on its outline.
    double a = Math.toRadians(30);
    double[] xs = new double[200];
    double[] ys = new double[200];
    int n = 0;
    for (int i = 0; i <= 40; i += 2) {
      for (int j : new int[] {0, 10}) {
        xs[n] = 100 + i * Math.cos(a) - j * Math.sin(a);
        ys[n++] = 50 + i * Math.sin(a) + j * Math.cos(a);
      }
    }
    RotatedRect r = MinAreaRect.of(xs, ys, n);
    assertThat(Math.max(r.width(), r.height())).isCloseTo(40, within(1e-6));
    assertThat(r.shortSide()).isCloseTo(10, within(1e-6));
  }

  @Test
  void verify_minAreaRect_ofDegenerateSets_hasZeroShortSide() {
    assertThat(MinAreaRect.of(new double[] {3}, new double[] {4}, 1).shortSide()).isZero();
    assertThat(MinAreaRect.of(new double[] {3, 3}, new double[] {4, 4}, 2).shortSide()).isZero();
    assertThat(MinAreaRect.of(new double[] {0, 5, 10}, new double[] {0, 0, 0}, 3).shortSide()).isZero();
  }

  @Test
  void verify_dbPostProcessor_findsABlobAndGrowsItByTheUnclipDistance() {
    int w = 100;
    int h = 40;
    float[] map = new float[w * h];
    for (int y = 15; y < 25; y++) {
      for (int x = 20; x < 80; x++) {
        map[y * w + x] = 0.9f;
      }
    }
    DbPostProcessor db = new DbPostProcessor(new DbParams(0.3f, 0.5f, 1.6f, 1000, 3, false));
    List<Quad> boxes = db.boxes(map, 0, w, w, h, 200, 80);
    assertThat(boxes).hasSize(1);
    Quad q = boxes.get(0);
    // Blob 59 × 9 (pixel centres): unclip distance = 59·9·1.6 / (2·68) ≈ 6.25 per side.
    assertThat(q.x(0)).isCloseTo(2 * (20 - 6.25f), within(1.5f));
    assertThat(q.y(0)).isCloseTo(2 * (15 - 6.25f), within(1.5f));
    assertThat(q.x(2)).isCloseTo(2 * (79 + 6.25f), within(1.5f));
    assertThat(q.y(2)).isCloseTo(2 * (24 + 6.25f), within(1.5f));
  }

  @Test
  void verify_dbPostProcessor_dropsWeakAndTinyBlobs() {
    int w = 60;
    int h = 30;
    float[] map = new float[w * h];
    for (int y = 5; y < 15; y++) {
      for (int x = 5; x < 50; x++) {
        map[y * w + x] = 0.4f; // above thresh 0.3, mean below box_thresh 0.5
      }
    }
    map[25 * w + 55] = 0.99f; // a single pixel
    DbPostProcessor db = new DbPostProcessor(new DbParams(0.3f, 0.5f, 1.6f, 1000, 3, true));
    assertThat(db.boxes(map, 0, w, w, h, w, h)).isEmpty();
  }

  @Test
  void verify_readingOrder_isRowsTopToBottomThenLeftToRight() {
    Quad right = rect(300, 12, 100, 30);
    Quad left = rect(10, 10, 100, 30);
    Quad below = rect(10, 60, 100, 30);
    Quad slightlyLowerSameRow = rect(150, 18, 100, 30);
    int[] order = ReadingOrder.order(List.of(right, below, left, slightlyLowerSameRow));
    assertThat(order).containsExactly(2, 3, 0, 1);
  }

  @Test
  void verify_detResize_limits() {
    DetResize max = new DetResize("max", 960, 2000);
    assertThat(max.size(900, 260)).containsExactly(896, 256);
    assertThat(max.size(1920, 1080)).containsExactly(960, 544);
    assertThat(max.size(10, 5)).containsExactly(32, 32);
    DetResize min = new DetResize("min", 736, 2000);
    assertThat(min.size(900, 260)).containsExactly(2016, 576);
  }

  @Test
  void verify_detResize_keepingAspect_scalesBothSidesByOneRatio_padsToMultiplesOf32() {
    DetResize max = new DetResize("max", 960, 2000);
    // A 720p subtitle band of 147 rows at the model's 0.75: 110 rows, padded to 128 (rounded,
    // it would be squashed to 96).
    assertThat(max.keepingAspect(1280, 147, 1.0)).containsExactly(960, 110);
    assertThat(max.size(1280, 147)).containsExactly(960, 96);
    assertThat(DetResize.padded(110)).isEqualTo(128);
    assertThat(DetResize.padded(960)).isEqualTo(960);
    assertThat(DetResize.padded(5)).isEqualTo(32);
    assertThat(max.keepingAspect(900, 260, 1.0)).containsExactly(900, 260);
    assertThat(max.keepingAspect(1280, 147, 0.5)).containsExactly(640, 74);
    // min: 736 / 260 scales the longer side to 2548, over the 2000 cap: 2000 / 900 instead.
    assertThat(new DetResize("min", 736, 2000).keepingAspect(900, 260, 1.0)).containsExactly(2000, 578);
  }

  @Test
  void verify_detResize_scaleAboveOne_enlargesByExactlyIt_withinTheLongerSideCap() {
    DetResize max = new DetResize("max", 960, 2000);
    // A 480p band: 2x, past the 960 limit (which only ever shrinks).
    assertThat(max.keepingAspect(854, 150, 2.0)).containsExactly(1708, 300);
    assertThat(max.size(854, 150, 2.0)).containsExactly(1696, 288);
    // A 720p band: 2x would be 2560 wide, so 2000 / 1280 = 1.5625.
    assertThat(max.keepingAspect(1280, 164, 2.0)).containsExactly(2000, 256);
    // min: the limit's own upscale is replaced, not multiplied.
    assertThat(new DetResize("min", 736, 4000).keepingAspect(900, 260, 1.5)).containsExactly(1350, 390);
    // 1 is still no cap at all (the model's resize).
    assertThat(max.keepingAspect(1280, 164, 1.0)).containsExactly(960, 123);
  }

  @Test
  void verify_recResize_bucketsWidths() {
    RecResize r = new RecResize(48, new int[] {160, 320, 640});
    assertThat(r.bucket(100)).isEqualTo(160);
    assertThat(r.bucket(321)).isEqualTo(640);
    assertThat(r.bucket(641)).isEqualTo(1280);
    assertThat(r.scaledWidth(RgbImage.wrap(100, 24, new byte[100 * 24 * 3]))).isEqualTo(200);
  }

  @Test
  void verify_recResize_withStep_padsOnlyToTheNextMultiple() {
    RecResize r = new RecResize(48, new int[] {160, 320, 640}).withStep(32);
    assertThat(r.bucket(100)).isEqualTo(128);
    assertThat(r.bucket(672)).isEqualTo(672);
    assertThat(r.bucket(673)).isEqualTo(704);
    assertThat(r.bucket(2650)).isEqualTo(2656);
    assertThat(r.withStep(0).bucket(673)).isEqualTo(1280);
    assertThatThrownBy(() -> r.withStep(-1)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void verify_crop_ofAxisAlignedQuad_copiesThePixels_andRotationsAreExact() {
    byte[] px = new byte[6 * 4 * 3];
    for (int i = 0; i < px.length; i++) {
      px[i] = (byte) i;
    }
    RgbImage img = RgbImage.wrap(6, 4, px);
    RgbImage crop = Warp.crop(img, Quad.of(new PixelRect(1, 1, 3, 2)));
    assertThat(crop.width()).isEqualTo(3);
    assertThat(crop.height()).isEqualTo(2);
    assertThat(crop.data()).isEqualTo(img.crop(1, 1, 3, 2).data());
    RgbImage turned = Warp.rotate90CounterClockwise(img);
    assertThat(turned.width()).isEqualTo(4);
    assertThat(turned.height()).isEqualTo(6);
    // The top-right pixel becomes the top-left one.
    assertThat(Arrays.copyOf(turned.data(), 3)).isEqualTo(Arrays.copyOfRange(px, 15, 18));
    assertThat(Warp.rotate180(Warp.rotate180(img)).data()).isEqualTo(px);
  }

  @Test
  void verify_ctcDecoder_mergesRepeatsDropsBlanksAndAveragesKeptProbabilities() {
    CharDictionary dict = CharDictionary.of(List.of("a", "b"));
    assertThat(dict.classes()).isEqualTo(4);
    // steps: a(0.9) a(0.8) blank a(0.7) b(0.6) space(0.5)
    float[] p = {
      0.1f, 0.9f, 0, 0,
      0.2f, 0.8f, 0, 0,
      0.9f, 0.1f, 0, 0,
      0.3f, 0.7f, 0, 0,
      0.4f, 0, 0.6f, 0,
      0.1f, 0.2f, 0.2f, 0.5f,
    };
    CtcDecoder.Emitted d = new CtcDecoder(dict).emitted(p, 0, 6, 4, 6);
    assertThat(d.text()).isEqualTo("aab ");
    assertThat(d.confidence()).isCloseTo((0.9f + 0.7f + 0.6f + 0.5f) / 4, within(1e-6f));
  }

  private static Quad rect(float x, float y, float w, float h) {
    return Quad.of(x, y, x + w, y, x + w, y + h, x, y + h);
  }
}
