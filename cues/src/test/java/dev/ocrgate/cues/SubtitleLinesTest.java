package dev.ocrgate.cues;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The line rules on lines with the geometry of real ones (1280x720 frames, pixels). */
class SubtitleLinesTest {
  private final SubtitleLines lines = new SubtitleLines(CueRules.defaults());

  private static CueLine line(String text, double confidence, double left, double top, double right, double bottom) {
    return new CueLine(text, (float) confidence, (float) left, (float) top, (float) right, (float) bottom);
  }

  private static final CueLine UPPER = line("The requirement to provide Installation", 0.98, 256, 600, 1024, 644);
  private static final CueLine LOWER = line("for a work that has been modified or", 0.97, 280, 648, 1000, 692);

  @Test
  void verify_twoStackedLines_areOneBlock_inTheirOrder() {
    assertThat(lines.subtitle(List.of(UPPER, LOWER))).containsExactly(UPPER, LOWER);
  }

  @Test
  void verify_lowConfidence_noLetters_andSingleCharacters_areJunk() {
    assertThat(lines.subtitle(List.of(line("Hello there", 0.79, 500, 640, 780, 684)))).isEmpty();
    assertThat(lines.subtitle(List.of(line("+ -", 0.95, 300, 500, 400, 700)))).isEmpty();
    assertThat(lines.subtitle(List.of(line("R.", 0.99, 1000, 640, 1020, 660)))).isEmpty();
  }

  /** A counter beside the subtitle, a tall mark below it, a line far below: not part of its block. */
  @Test
  void verify_linesOfAnotherSize_orBesideTheBlock_orFarFromIt_areLeftOut() {
    CueLine counter = line("1187", 0.99, 1040, 610, 1070, 630);
    CueLine tallMark = line("JLUN", 0.90, 600, 640, 700, 720);
    CueLine farBelow = line("channel four news", 0.99, 500, 1000, 780, 1044);
    assertThat(lines.subtitle(List.of(counter, UPPER, tallMark, LOWER, farBelow))).containsExactly(UPPER, LOWER);
  }

  /** Once subtitles were learned: tiny boxes and short texts away from their place are junk. */
  @Test
  void verify_afterSubtitlesWereSeen_tinyBlocks_andShortTextsOffPlace_areJunk() {
    for (int i = 0; i < 4; i++) {
      lines.learn(lines.subtitle(List.of(UPPER, LOWER)));
    }
    assertThat(lines.subtitle(List.of(line("needs glasses", 0.99, 600, 660, 700, 680)))).as("tiny").isEmpty();
    assertThat(lines.subtitle(List.of(line("53", 0.99, 1100, 640, 1150, 684)))).as("short, off place").isEmpty();
    assertThat(lines.subtitle(List.of(line("Yes.", 0.99, 600, 640, 680, 684)))).as("short, at place").hasSize(1);
    CueLine longOff = line("A longer line placed elsewhere", 0.99, 40, 640, 700, 684);
    assertThat(lines.subtitle(List.of(longOff))).as("long, off place").containsExactly(longOff);
  }

  /**
   * Left-aligned subtitles (libass Alignment=1, the geometry of a 1280x720 probe): once three
   * confirmed lines of different widths shared their left edge, a short text starting there is at
   * the subtitle's place, though its centre is far from theirs; elsewhere it is still junk.
   * Centred subtitles (the test above) teach no edge.
   */
  @Test
  void verify_afterLeftAlignedSubtitles_aShortTextAtTheirEdge_isSubtitle() {
    CueLine goOn = line("Go on.", 1.0, 198, 621, 347, 672);
    CueLine[] learnedFrom = {
        line("We should have left the city hours ago", 0.96, 195, 615, 1040, 679),
        line("Then we take the long road north", 0.97, 197, 621, 926, 673),
        line("Keep moving", 1.0, 198, 623, 486, 676)};
    for (int i = 0; i < 2; i++) {
      for (CueLine l : learnedFrom) {
        lines.learn(lines.subtitle(List.of(l)));
      }
    }
    assertThat(lines.subtitle(List.of(goOn))).as("short, at the edge").containsExactly(goOn);
    assertThat(lines.subtitle(List.of(line("Go on.", 1.0, 1040, 621, 1189, 672)))).as("short, elsewhere").isEmpty();
  }

  /**
   * A short subtitle whose letters lack descenders (or ascenders) gets a much lower box than the
   * long lines the height was learned from (geometry of the short-cue bench part: "add" 33 px
   * after "for which you" 54 px, cellauto 720p): at the subtitle's place it is a subtitle, and
   * it is the anchor beside a clock; off its place it is junk. A long line that low stays junk.
   */
  @Test
  void verify_afterSubtitlesWereSeen_shortTextWithALowBox_atPlace_isSubtitle() {
    CueLine learnedFrom = line("for which you", 0.96, 527, 644, 753, 700);
    for (int i = 0; i < 6; i++) {
      lines.learn(lines.subtitle(List.of(learnedFrom)));
    }
    CueLine add = line("add", 0.99, 607, 657, 672, 690);
    assertThat(lines.subtitle(List.of(add))).as("short, low, at place").containsExactly(add);
    CueLine clock = line("00:00:04.480", 0.99, 10, 10, 200, 30);
    assertThat(lines.subtitle(List.of(clock, add))).as("anchor beside a clock").containsExactly(add);
    assertThat(lines.subtitle(List.of(line("add", 0.99, 1100, 657, 1165, 690)))).as("short, low, off place").isEmpty();
    assertThat(lines.subtitle(List.of(line("small print", 0.99, 560, 657, 720, 690)))).as("long, low").isEmpty();
  }

  /**
   * A short word the recogniser is less sure of (geometry and confidences of the short-cue bench's
   * tune part, 854x480): "If" at 0.74 under subtitles learned from "party" is a subtitle at their
   * place; off their place, tiny, before any place is known, or below 0.75 of the threshold it is
   * junk, and a one-character line of that confidence (a clock's "8" stacked on a two-line
   * subtitle, long-cue tune part) does not come in with the block it stands on.
   */
  @Test
  void verify_aLessSureShortWord_isSubtitleOnlyAtTheirPlace_withTheirSize() {
    CueLine ifAtPlace = line("If", 0.74, 414, 427, 443, 459);
    assertThat(lines.subtitle(List.of(ifAtPlace))).as("before the place is known").isEmpty();
    CueLine party = line("party", 1.00, 382, 428, 471, 467);
    for (int i = 0; i < 6; i++) {
      lines.learn(lines.subtitle(List.of(party)));
    }
    assertThat(lines.subtitle(List.of(ifAtPlace))).as("at place").containsExactly(ifAtPlace);
    assertThat(lines.subtitle(List.of(line("If", 0.59, 414, 427, 443, 459)))).as("below 0.75 of 0.8").isEmpty();
    assertThat(lines.subtitle(List.of(line("If", 0.74, 700, 427, 729, 459)))).as("off place").isEmpty();
    assertThat(lines.subtitle(List.of(line("If", 0.74, 420, 435, 440, 455)))).as("tiny").isEmpty();

    SubtitleLines twoLines = new SubtitleLines(CueRules.defaults());
    CueLine upper = line("The requirement to provide Installation", 0.97, 171, 401, 686, 432);
    CueLine lower = line("for a work that has been modified or", 0.98, 186, 432, 675, 462);
    for (int i = 0; i < 3; i++) {
      twoLines.learn(twoLines.subtitle(List.of(upper, lower)));
    }
    CueLine eight = line("8", 0.68, 532, 379, 563, 399);
    assertThat(twoLines.subtitle(List.of(eight, upper, lower))).containsExactly(upper, lower);
  }

  /** With a clock and a subtitle in the frame, the line at the subtitle's place anchors the block. */
  @Test
  void verify_afterSubtitlesWereSeen_theAnchorIsTheLineAtTheirPlace() {
    for (int i = 0; i < 4; i++) {
      lines.learn(lines.subtitle(List.of(UPPER, LOWER)));
    }
    CueLine clock = line("00:00:04.480 2026-11-30", 0.99, 10, 10, 300, 30);
    CueLine shortSubtitle = line("No.", 0.99, 610, 640, 670, 684);
    assertThat(lines.subtitle(List.of(clock, shortSubtitle))).containsExactly(shortSubtitle);
  }

  /** A place learned from junk heals: a real subtitle (larger, longer) still passes and is learned. */
  @Test
  void verify_placeLearnedFromJunk_doesNotLockOutRealSubtitles() {
    CueLine junk = line("00:00:04.480", 0.99, 10, 10, 100, 30);
    for (int i = 0; i < 8; i++) {
      lines.learn(lines.subtitle(List.of(junk)));
    }
    assertThat(lines.subtitle(List.of(UPPER, LOWER))).containsExactly(UPPER, LOWER);
  }

  @Test
  void verify_linesWithoutBoxes_skipTheGeometricRules() {
    CueLine a = CueLine.textOnly("first line"), b = CueLine.textOnly("92");
    assertThat(lines.subtitle(List.of(a, b))).containsExactly(a, b);
  }

  /**
   * The detector cut one line into boxes side by side (geometry of real detections: a 1280x720
   * letterboxed film, an 854x480 CJK subtitle). Each row comes back as one line, its words spaced
   * as a viewer reads them, Chinese without a space, the box their union.
   */
  @Test
  void verify_boxesSideBySideOnOneRow_areOneLine() {
    CueLine nobody = line("Nobody", 0.95, 317, 657, 494, 699);
    CueLine rest = line("knows where he went", 1.00, 474, 660, 966, 697);
    assertThat(lines.subtitle(List.of(nobody, rest)))
        .containsExactly(new CueLine("Nobody knows where he went", 0.95f, 317, 657, 966, 699));

    CueLine shi = line("是", 1.00, 390, 440, 414, 460);
    CueLine yige = line("一个原", 0.99, 413, 437, 468, 462);
    assertThat(lines.subtitle(List.of(yige, shi))).as("left to right, whatever the order given")
        .containsExactly(new CueLine("是一个原", 0.99f, 390, 437, 468, 462));

    CueLine de = line("的", 1.00, 290, 410, 309, 434);
    CueLine clause = line("一部分时，你应该检查它", 1.00, 313, 409, 542, 435);
    CueLine second = line("是不能混在一起的", 1.00, 348, 437, 506, 462);
    assertThat(lines.subtitle(List.of(de, clause, second))).as("a gap, then a second row below")
        .containsExactly(new CueLine("的一部分时，你应该检查它", 1.00f, 290, 409, 542, 435), second);

    CueLine mixed = line("运行", 0.98, 500, 640, 560, 670);
    CueLine command = line("ls -l", 0.97, 565, 641, 640, 669);
    assertThat(lines.subtitle(List.of(mixed, command)).get(0).text()).isEqualTo("运行 ls -l");
  }

  /** Boxes on one row that are not one line of text stay apart: another size, or far beside. */
  @Test
  void verify_rowJoin_leavesOtherSizes_andFarBoxes_apart() {
    CueLine counter = line("1187", 0.99, 1030, 610, 1060, 630);
    assertThat(SubtitleLines.rows(List.of(UPPER, counter))).as("another size").containsExactly(UPPER, counter);
    CueLine far = line("LIVE", 0.99, 1024 + 67, 600, 1200, 644);
    assertThat(SubtitleLines.rows(List.of(UPPER, far))).as("more than 1.5 line heights beside").containsExactly(UPPER, far);
    CueLine near = line("LIVE", 0.99, 1024 + 66, 600, 1200, 644);
    assertThat(SubtitleLines.rows(List.of(UPPER, near))).as("within 1.5 line heights")
        .containsExactly(new CueLine(UPPER.text() + " LIVE", 0.98f, 256, 600, 1200, 644));
    CueLine halfBelow = line("offset", 0.99, 1030, 622, 1100, 666); // overlaps 22 of 44 rows
    assertThat(SubtitleLines.rows(List.of(UPPER, halfBelow))).as("overlapping half a height").hasSize(1);
    CueLine lower = line("offset", 0.99, 1030, 623, 1100, 667); // 21 of 44
    assertThat(SubtitleLines.rows(List.of(UPPER, lower))).as("overlapping less").containsExactly(UPPER, lower);
    assertThat(SubtitleLines.rows(List.of(UPPER, LOWER))).as("stacked lines").containsExactly(UPPER, LOWER);
  }
  /**
   * A word of x-height letters the detector boxed apart, lower than one size allows (held-out
   * short-cue bench, 1280x720: {@code or} 14 px high beside {@code convey} 27 px): joined into
   * the line. A counter or a capital word at that height beside it stays apart, and so does the
   * same word standing out of the line's height.
   */
  @Test
  void verify_aWordOfXHeightLetters_withinTheLinesHeight_joinsIt() {
    CueLine or = line("or", 0.97, 578, 671, 601, 685);
    CueLine convey = line("convey", 0.99, 608, 665, 697, 692);
    assertThat(lines.subtitle(List.of(or, convey)))
        .containsExactly(new CueLine("or convey", 0.97f, 578, 665, 697, 692));
    assertThat(SubtitleLines.rows(List.of(convey, or))).as("either order").hasSize(1);

    CueLine digits = line("53", 0.99, 578, 671, 601, 685);
    assertThat(SubtitleLines.rows(List.of(digits, convey))).as("digits").containsExactly(digits, convey);
    CueLine capitals = line("OR", 0.99, 578, 671, 601, 685);
    assertThat(SubtitleLines.rows(List.of(capitals, convey))).as("capitals").containsExactly(capitals, convey);
    CueLine above = line("or", 0.97, 578, 660, 601, 674);
    assertThat(SubtitleLines.rows(List.of(above, convey))).as("out of its height").containsExactly(above, convey);
    CueLine tiny = line("or", 0.97, 578, 675, 601, 685);
    assertThat(SubtitleLines.rows(List.of(tiny, convey))).as("under 1 / 2.5 of its height").containsExactly(tiny, convey);
  }
}
