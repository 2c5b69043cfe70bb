package dev.ocrgate.server.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

class HunyuanAnswerTest {
  static List<String> texts(List<HunyuanAnswer.Line> lines) {
    return lines.stream().map(HunyuanAnswer.Line::text).toList();
  }

  @Test
  void parse_jsonSpottingArray_linesWithNormalisedBoxes() {
    String answer = "[{\"box\": [12, 30, 480, 95], \"text\": \"Hello world\"},"
        + " {\"bbox\": [500, 100, 990, 160], \"text\": \"第二行\"}]";
    List<HunyuanAnswer.Line> lines = HunyuanAnswer.parse(answer, HunyuanTask.SPOTTING_JSON);
    assertThat(texts(lines)).containsExactly("Hello world", "第二行");
    assertThat(lines.get(0).box()).containsExactly(12, 30, 480, 95);
    assertThat(lines.get(1).box()).containsExactly(500, 100, 990, 160);
  }

  @Test
  void parse_jsonInACodeFence_withTrailingComma_isRead() {
    String answer = "```json\n[{\"box\": [1, 2, 3, 4], \"text\": \"A\"},]\n```";
    assertThat(texts(HunyuanAnswer.parse(answer, HunyuanTask.SPOTTING_JSON))).containsExactly("A");
  }

  @Test
  void parse_jsonCutShortByMaxTokens_keepsTheCompleteObjects() {
    String answer = "[{\"box\": [1, 2, 3, 4], \"text\": \"one\"}, {\"box\": [5, 6, 7, 8], \"text\": \"two\"}, {\"box\": [9, 1";
    assertThat(texts(HunyuanAnswer.parse(answer, HunyuanTask.SPOTTING_JSON))).containsExactly("one", "two");
  }

  @Test
  void parse_jsonItemWithoutUsableBox_keepsTheTextWithoutBox_andOutOfRangeIsClamped() {
    String answer = "[{\"text\": \"no box\"}, {\"box\": [1, 2], \"text\": \"short box\"},"
        + " {\"box\": [-5, 10, 1200, 20], \"text\": \"wide\"}, {\"box\": [1, 2, 3, 4], \"text\": \"  \"}]";
    List<HunyuanAnswer.Line> lines = HunyuanAnswer.parse(answer, HunyuanTask.SPOTTING_JSON);
    assertThat(texts(lines)).containsExactly("no box", "short box", "wide");
    assertThat(lines.get(0).box()).isNull();
    assertThat(lines.get(1).box()).isNull();
    assertThat(lines.get(2).box()).containsExactly(0, 10, 1000, 20);
  }

  @Test
  void parse_hunyuanRefQuad_andItsVariants() {
    String quad = "<ref>Total (EUR)</ref><quad>(100,200),(400,260)</quad><ref>合计</ref><quad>(10, 20), (30, 40)</quad>";
    List<HunyuanAnswer.Line> lines = HunyuanAnswer.parse(quad, HunyuanTask.SPOTTING_HUNYUAN);
    assertThat(texts(lines)).containsExactly("Total (EUR)", "合计");
    assertThat(lines.get(0).box()).containsExactly(100, 200, 400, 260);

    String box = "<ref>A</ref><box>(1,2),(3,4)</box>";
    assertThat(HunyuanAnswer.parse(box, HunyuanTask.SPOTTING_HUNYUAN).get(0).box()).containsExactly(1, 2, 3, 4);

    String four = "<ref>tilted</ref><quad>(10,10),(90,20),(88,40),(8,30)</quad>";
    assertThat(HunyuanAnswer.parse(four, HunyuanTask.SPOTTING_HUNYUAN).get(0).box())
        .containsExactly(10, 10, 90, 20, 88, 40, 8, 30);

    String pos = "<quad><pos_5><pos_6><pos_70><pos_80></quad><ref>pos form</ref>";
    List<HunyuanAnswer.Line> p = HunyuanAnswer.parse(pos, HunyuanTask.SPOTTING_HUNYUAN);
    assertThat(texts(p)).containsExactly("pos form");
    assertThat(p.get(0).box()).containsExactly(5, 6, 70, 80);
  }

  @Test
  void parse_bareTextThenCoordinates_keepsParenthesesInsideTheText() {
    String answer = "ATLANTA (AP) Second(1,2),(3,4)\n金额(小写)(5,6),(7,8)";
    List<HunyuanAnswer.Line> lines = HunyuanAnswer.parse(answer, HunyuanTask.SPOTTING_HUNYUAN);
    assertThat(texts(lines)).containsExactly("ATLANTA (AP) Second", "金额(小写)");
    assertThat(lines.get(1).box()).containsExactly(5, 6, 7, 8);
  }

  @Test
  void parse_spottingAnswerInNoKnownFormat_degradesToTextLinesWithoutBoxes() {
    String answer = "Sorry, the image shows:\nEXIT ONLY\n\n  No parking  ";
    List<HunyuanAnswer.Line> lines = HunyuanAnswer.parse(answer, HunyuanTask.SPOTTING_JSON);
    assertThat(texts(lines)).containsExactly("Sorry, the image shows:", "EXIT ONLY", "No parking");
    assertThat(lines).allMatch(l -> l.box() == null);
    // a broken JSON array with no complete object degrades too
    assertThat(texts(HunyuanAnswer.parse("[{\"box\": [1, 2", HunyuanTask.SPOTTING_JSON))).containsExactly("[{\"box\": [1, 2");
  }

  @Test
  void parse_textTask_neverReadsCoordinates() {
    String answer = "f(1,2),(3,4) is a pair\n<ref>x</ref><quad>(1,2),(3,4)</quad>";
    List<HunyuanAnswer.Line> lines = HunyuanAnswer.parse(answer, HunyuanTask.TEXT);
    assertThat(texts(lines)).containsExactly("f(1,2),(3,4) is a pair", "<ref>x</ref><quad>(1,2),(3,4)</quad>");
    assertThat(lines).allMatch(l -> l.box() == null);
  }

  @Test
  void parse_repeatedTail_isCutBeforeParsing() {
    String unit = "<ref>again</ref><quad>(1,2),(3,4)</quad>";
    String answer = "<ref>first</ref><quad>(5,6),(7,8)</quad>" + unit.repeat(200);
    assertThat(texts(HunyuanAnswer.parse(answer, HunyuanTask.SPOTTING_HUNYUAN))).containsExactly("first", "again");
  }

  @Test
  void parse_emptyOrNullAnswer_noLines() {
    assertThat(HunyuanAnswer.parse("", HunyuanTask.SPOTTING_JSON)).isEmpty();
    assertThat(HunyuanAnswer.parse(null, HunyuanTask.DOC_PARSE)).isEmpty();
  }

  @Test
  void parse_manyLines_areCapped() {
    StringBuilder distinct = new StringBuilder();
    for (int i = 0; i < HunyuanAnswer.MAX_LINES + 50; i++) {
      distinct.append("line ").append(i).append('\n');
    }
    assertThat(HunyuanAnswer.parse(distinct.toString(), HunyuanTask.TEXT)).hasSize(HunyuanAnswer.MAX_LINES);
  }

  @Test
  void parse_answerFullOfUnclosedTags_isReadAsTextWithinABoundedTime() {
    String hostile = "<ref>".repeat(50_000) + "x";
    List<HunyuanAnswer.Line> lines = org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(
        java.time.Duration.ofSeconds(60), () -> HunyuanAnswer.parse(hostile, HunyuanTask.SPOTTING_HUNYUAN));
    assertThat(lines).hasSize(1);
    assertThat(lines.get(0).box()).isNull();
  }

  @Property(tries = 300)
  void parse_anyAnswer_neverThrows_andEveryLineIsNonBlankWithBoxInRange(@ForAll String answer) {
    for (HunyuanTask task : HunyuanTask.values()) {
      for (HunyuanAnswer.Line line : HunyuanAnswer.parse(answer, task)) {
        assertThat(line.text()).isNotBlank();
        if (line.box() != null) {
          assertThat(java.util.Arrays.stream(line.box()).allMatch(v -> v >= 0 && v <= 1000)).isTrue();
        }
      }
    }
  }
}
