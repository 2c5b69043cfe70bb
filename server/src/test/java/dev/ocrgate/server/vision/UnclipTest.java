package dev.ocrgate.server.vision;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class UnclipTest {

  @ParameterizedTest
  @CsvSource({"400, 12, 1.6", "400, 12, 1.5", "60, 30, 2.0", "25, 25, 1.6", "1000, 8, 1.2"})
  void verify_grownBy_recoversTheDistanceARegionGrewBy(double w, double h, double ratio) {
    double d = Unclip.distance(w, h, ratio);
    assertThat(Unclip.grownBy(w + 2 * d, h + 2 * d, ratio)).isCloseTo(d, within(1e-9));
  }

  @Test
  void verify_inset_movesEverySideOfARotatedRectangleInwards() {
    // a 100 x 20 rectangle turned by 30 degrees around (50, 50)
    double c = Math.cos(Math.toRadians(30));
    double s = Math.sin(Math.toRadians(30));
    float[] xy = new float[8];
    double[][] local = {{-50, -10}, {50, -10}, {50, 10}, {-50, 10}};
    for (int i = 0; i < 4; i++) {
      xy[2 * i] = (float) (50 + local[i][0] * c - local[i][1] * s);
      xy[2 * i + 1] = (float) (50 + local[i][0] * s + local[i][1] * c);
    }
    Quad q = Quad.of(xy[0], xy[1], xy[2], xy[3], xy[4], xy[5], xy[6], xy[7]).inset(3);
    assertThat(q.side(0, 1)).isCloseTo(94f, within(1e-3f));
    assertThat(q.side(3, 2)).isCloseTo(94f, within(1e-3f));
    assertThat(q.height()).isCloseTo(14f, within(1e-3f));
    assertThat(q.centerX()).isCloseTo(50f, within(1e-3f));
    assertThat(q.centerY()).isCloseTo(50f, within(1e-3f));
  }

  /** A line-shaped blob of text probability, as detection sees a printed line. */
  @ParameterizedTest
  @CsvSource({"20, 30, 300, 10", "5, 40, 120, 7", "50, 10, 600, 16"})
  void verify_regrow_givesTheBoxDetectionGivesAtTheOtherRatio(int x0, int y0, int w, int h) {
    int mapW = 700;
    int mapH = 80;
    float[] map = new float[mapW * mapH];
    for (int y = y0; y < y0 + h; y++) {
      for (int x = x0; x < x0 + w; x++) {
        map[y * mapW + x] = 0.9f;
      }
    }
    Quad at16 = only(new DbPostProcessor(new DbParams(0.3f, 0.5f, 1.6f, 1000, 3, true))
        .boxes(map, 0, mapW, mapW, mapH, mapW, mapH));
    Quad at15 = only(new DbPostProcessor(new DbParams(0.3f, 0.5f, 1.5f, 1000, 3, true))
        .boxes(map, 0, mapW, mapW, mapH, mapW, mapH));
    Quad regrown = Unclip.regrow(at16, 1.6, 1.5);
    for (int i = 0; i < 4; i++) {
      assertThat(regrown.x(i)).as("corner %s x", i).isCloseTo(at15.x(i), within(1f));
      assertThat(regrown.y(i)).as("corner %s y", i).isCloseTo(at15.y(i), within(1f));
      assertThat(regrown.x(i)).as("whole pixels").isEqualTo((float) Math.round(regrown.x(i)));
    }
    assertThat(regrown.height()).isLessThanOrEqualTo(at16.height());
    assertThat(Unclip.regrow(at16, 1.6, 1.6).toString()).isEqualTo(at16.toString());
  }

  private static Quad only(List<Quad> boxes) {
    assertThat(boxes).hasSize(1);
    return boxes.get(0);
  }

  @Test
  void verify_latinText_onlyWhenNoCharacterIsOfAnotherScript() {
    assertThat(LatinText.only("Set fixedsize=true, V:122, I:414 (café) — “quoted” • 1.5")).isTrue();
    assertThat(LatinText.only("１２，。、")).as("digits and CJK punctuation are of no script").isTrue();
    assertThat(LatinText.only("")).isTrue();
    assertThat(LatinText.only("lsblk 命令")).isFalse();
    assertThat(LatinText.only("软件包")).isFalse();
    assertThat(LatinText.only("Привет")).isFalse();
    assertThat(LatinText.only("かな")).isFalse();
  }
}
