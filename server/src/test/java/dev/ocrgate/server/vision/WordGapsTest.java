package dev.ocrgate.server.vision;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The ink-gap rule of {@link WordSpaces} on synthetic lines: each symbol's ink span in crop pixels
 * gives its CTC centre step (8 crop pixels per step) and the crop's ink columns.
 */
class WordGapsTest {
  private static final double PER_STEP = 8;
  private static final WordSpaces SHIPPED = new WordSpaces(0.1f, new WordSpaces.Gaps(0.9, 0.4, 0.75, 0.8, 0.2));

  /** A line being laid out: symbols left to right, each after a gap of some pixels. */
  private static final class Line {
    final List<String> symbols = new ArrayList<>();
    final List<Float> centres = new ArrayList<>();
    final boolean[] ink = new boolean[2000];
    int x = 4;

    /** {@code text} in glyphs {@code glyph} px wide, {@code letterGap} apart. */
    Line word(String text, int glyph, int letterGap) {
      for (int i = 0; i < text.length(); i++) {
        if (i > 0) {
          x += letterGap;
        }
        glyph(text.substring(i, i + 1), glyph);
      }
      return this;
    }

    Line glyph(String symbol, int width) {
      for (int c = x; c < x + width; c++) {
        ink[c] = true;
      }
      symbols.add(symbol);
      centres.add((float) ((x + width / 2.0) / PER_STEP - 0.5));
      x += width;
      return this;
    }

    /** A gap of {@code px}; {@code said}: the model emitted a space symbol in it. */
    Line gap(int px, boolean said) {
      if (said) {
        symbols.add(" ");
        centres.add((float) ((x + px / 2.0) / PER_STEP - 0.5));
      }
      x += px;
      return this;
    }

    CtcDecoder.Emitted emitted() {
      float[] c = new float[centres.size()];
      for (int i = 0; i < c.length; i++) {
        c[i] = centres.get(i);
      }
      return new CtcDecoder.Emitted(symbols, new float[c.length], c, 0.9f);
    }

    String read(WordSpaces rule, int bodyHeight, double separation) {
      return rule.text(emitted(), InkColumns.of(ink, bodyHeight, separation), PER_STEP);
    }
  }

  /** Proportional prose: 10 px glyphs 1 px apart, 8 px word gaps the model said. */
  private static Line prose() {
    return new Line().word("set", 10, 1).gap(8, true).word("the", 10, 1).gap(8, true)
        .word("value", 10, 1).gap(8, true).word("of", 10, 1).gap(8, true).word("it", 10, 1).gap(8, true);
  }

  @Test
  void verify_monospacedWordTheModelSplit_isJoined() {
    // "ratio" in a monospaced font: its letters stand 4 px apart (half the line's word gap)
    Line line = prose().word("rat", 10, 4).gap(4, true).word("io", 10, 4).gap(8, true).word("now", 10, 1);
    assertThat(line.read(SHIPPED, 20, 0.9)).isEqualTo("set the value of it ratio now");
    assertThat(line.read(new WordSpaces(0.1f), 20, 0.9)).as("space class only").isEqualTo("set the value of it rat io now");
  }

  @Test
  void verify_wordGapTheModelDidNotSay_isRestored_betweenLettersOnly() {
    Line line = prose().word("call", 10, 1).gap(8, false).word("for", 10, 1);
    assertThat(line.read(SHIPPED, 20, 0.9)).isEqualTo("set the value of it call for");
    Line path = prose().word("etc", 10, 1).gap(8, false).word("/", 10, 1).word("apt", 10, 1);
    assertThat(path.read(SHIPPED, 20, 0.9)).as("no space is added next to punctuation").isEqualTo("set the value of it etc/apt");
  }

  @Test
  void verify_bandEdges_andTouchingInk_leaveTheModelsSpace() {
    // W = 8: the band is (3.2, 6): 3 px and 6 px are outside it, 5 px inside
    assertThat(prose().word("a", 10, 1).gap(3, true).word("b", 10, 1).read(SHIPPED, 20, 0.9)).isEqualTo("set the value of it a b");
    assertThat(prose().word("a", 10, 1).gap(6, true).word("b", 10, 1).read(SHIPPED, 20, 0.9)).isEqualTo("set the value of it a b");
    assertThat(prose().word("a", 10, 1).gap(5, true).word("b", 10, 1).read(SHIPPED, 20, 0.9)).isEqualTo("set the value of it ab");
  }

  @Test
  void verify_withoutCalibration_theLineIsLeftToTheSpaceClass() {
    Line twoSpaces = new Line().word("set", 10, 1).gap(8, true).word("rat", 10, 4).gap(4, true).word("io", 10, 4);
    assertThat(twoSpaces.read(SHIPPED, 20, 0.9)).as("fewer than 3 said spaces").isEqualTo("set rat io");
    Line line = prose().word("rat", 10, 4).gap(4, true).word("io", 10, 4);
    assertThat(line.read(SHIPPED, 20, 0.7)).as("noisy crop").isEqualTo("set the value of it rat io");
    assertThat(line.read(SHIPPED, 40, 0.9)).as("word gap under 0.3 of the body height").isEqualTo("set the value of it rat io");
    assertThat(line.read(new WordSpaces(0.1f, WordSpaces.Gaps.OFF), 20, 0.9)).isEqualTo("set the value of it rat io");
  }

  @Test
  void verify_aLineWhereTheRuleWouldOverruleManySaidSpaces_isLeftAlone() {
    // 5 of 10 said spaces (4 px) in the band (2.4, 4.5) around the median 6
    Line line = prose().word("a", 10, 1).gap(4, true).word("b", 10, 1).gap(4, true).word("c", 10, 1)
        .gap(4, true).word("d", 10, 1).gap(4, true).word("e", 10, 1).gap(4, true).word("f", 10, 1);
    assertThat(line.read(SHIPPED, 20, 0.9)).isEqualTo("set the value of it a b c d e f");
    assertThat(line.read(new WordSpaces(0.1f, new WordSpaces.Gaps(0.9, 0.4, 0.75, 0.8, 1)), 20, 0.9))
        .as("without the guard").isEqualTo("set the value of it abcdef");
  }

  @Test
  void verify_chineseLine_isUnchanged() {
    Line line = new Line().word("中文", 40, 4).gap(8, true).word("文本", 40, 4).gap(8, true)
        .word("识别", 40, 4).gap(4, true).word("结果", 40, 4).gap(8, true).word("好", 40, 4);
    String read = line.emitted().text();
    assertThat(line.read(SHIPPED, 20, 0.9)).isEqualTo(read);
    Line mixed = prose().word("a", 10, 1).gap(5, true).word("中", 40, 1);
    assertThat(mixed.read(SHIPPED, 20, 0.9)).as("never next to a Chinese character").isEqualTo("set the value of it a 中");
  }

  @Test
  void verify_gapSettings_areValidated() {
    assertThatThrownBy(() -> new WordSpaces.Gaps(0.5, 0.4, 0.75, 0.8, 0.2)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new WordSpaces.Gaps(0.9, 0.8, 0.75, 0.8, 0.2)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new WordSpaces.Gaps(0.9, 0.4, 1.5, 0.8, 0.2)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new WordSpaces.Gaps(0.9, 0.4, 0.75, 1.2, 0.2)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new WordSpaces.Gaps(0.9, 0.4, 0.75, 0.8, -0.1)).isInstanceOf(IllegalArgumentException.class);
    assertThat(new WordSpaces.Gaps(0, 0.4, 0.75, 0.8, 0.2)).isNotNull();
  }

  @Test
  void verify_decoder_recordsTheCentreStepOfEachSymbol() {
    CharDictionary dict = CharDictionary.of(List.of("a", "b"));
    // classes: blank, a, b, space. steps: a a blank space blank b b b
    float[] p = {
      0.1f, 0.9f, 0, 0,
      0.1f, 0.9f, 0, 0,
      0.9f, 0.1f, 0, 0,
      0.1f, 0, 0, 0.9f,
      0.9f, 0, 0, 0.1f,
      0.1f, 0, 0.9f, 0,
      0.1f, 0, 0.9f, 0,
      0.1f, 0, 0.9f, 0,
    };
    CtcDecoder.Emitted e = new CtcDecoder(dict).emitted(p, 0, 8, 4, 8);
    assertThat(e.symbols()).containsExactly("a", " ", "b");
    assertThat(e.centre()).containsExactly(0.5f, 3f, 6f);
  }
}
