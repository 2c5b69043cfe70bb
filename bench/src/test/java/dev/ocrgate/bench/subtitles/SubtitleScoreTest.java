package dev.ocrgate.bench.subtitles;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class SubtitleScoreTest {
  private static final String TRUTH = """
      1
      00:00:01,000 --> 00:00:03,000
      The storm is coming tonight

      2
      00:00:03,500 --> 00:00:06,000
      Keep the doors closed
      and the lights off

      3
      00:00:07,000 --> 00:00:09,000
      档案库时间同步问题
      """;

  @Test
  void parse_readsTimesAndMultiLineText_toleratingBomAndCrlf() {
    List<Srt.Cue> cues = Srt.parse("\uFEFF" + TRUTH.replace("\n", "\r\n"));
    assertEquals(3, cues.size());
    assertEquals(new Srt.Cue(3500, 6000, "Keep the doors closed\nand the lights off"), cues.get(1));
    assertEquals(List.of(new Srt.Cue(3_723_004, 3_723_005, "x")), Srt.parse("1\n01:02:03,004 --> 01:02:03,005\nx\n"));
  }

  @Test
  void format_roundTrips() {
    List<Srt.Cue> cues = Srt.parse(TRUTH);
    assertEquals(cues, Srt.parse(Srt.format(cues)));
  }

  @Test
  void perfectOutput_scoresFullRecallNoErrors() {
    List<Srt.Cue> truth = Srt.parse(TRUTH);
    // a line break read as a space is no error (normalised text)
    List<Srt.Cue> produced = List.of(
        new Srt.Cue(1000, 3000, "The storm is coming tonight"),
        new Srt.Cue(3500, 6000, "Keep the doors closed and the lights off"),
        new Srt.Cue(7000, 9000, "档案库时间同步问题"));
    SubtitleScore s = SubtitleScore.of(truth, produced);
    assertEquals(3, s.found());
    assertEquals(1.0, s.recall());
    assertEquals(0, s.charErrorsAll().errors());
    assertEquals(0.0, s.latinWer());
    assertEquals(0, s.extra());
    assertEquals(0, s.split());
    assertEquals(0, s.startErrorMaxMs());
    assertEquals(0, s.endErrorMaxMs());
  }

  @Test
  void missingCue_countsAsAllItsCharactersWrong_andLowersRecall() {
    List<Srt.Cue> truth = Srt.parse(TRUTH);
    List<Srt.Cue> produced = List.of(
        new Srt.Cue(1200, 3200, "The storm is coming tonight"),
        new Srt.Cue(7200, 8800, "档案库时间同步问题"));
    SubtitleScore s = SubtitleScore.of(truth, produced);
    assertEquals(2, s.found());
    assertEquals(2.0 / 3, s.recall(), 1e-9);
    // cue 2 has 40 normalised characters, all missing; the others are exact
    assertEquals(40, s.charErrorsAll().errors());
    assertEquals(0, s.charErrorsFound().errors());
    // Latin words: 5 + 8, the 8 of the missing cue are all errors
    assertEquals(8, s.latinWordErrors());
    assertEquals(13, s.latinWords());
    assertEquals(200, s.startErrorMaxMs());
    assertEquals(200.0, s.meanEndErrorMs(), 1e-9); // cue 1 ends at 3200 (+200), cue 3 at 8800 (-200)
  }

  @Test
  void cerJustAboveTheThreshold_isNotFound_andIsAnExtraCue() {
    List<Srt.Cue> truth = List.of(new Srt.Cue(0, 2000, "abcdefghij"));
    // one error in ten characters: CER 0.1, found
    assertEquals(1, SubtitleScore.of(truth, List.of(new Srt.Cue(0, 2000, "abcdefghiX"))).found());
    // two errors: CER 0.2, not found, and the produced cue matches nothing
    SubtitleScore s = SubtitleScore.of(truth, List.of(new Srt.Cue(0, 2000, "abcdefghXX")));
    assertEquals(0, s.found());
    assertEquals(1, s.extra());
    assertEquals(2, s.charErrorsAll().errors());
  }

  @Test
  void textWithoutTimeOverlap_doesNotMatch() {
    List<Srt.Cue> truth = List.of(new Srt.Cue(0, 2000, "hello world"));
    // touching end to start is no overlap
    SubtitleScore s = SubtitleScore.of(truth, List.of(new Srt.Cue(2000, 4000, "hello world")));
    assertEquals(0, s.found());
    assertEquals(1, s.extra());
  }

  @Test
  void splitCue_countsTheExtraPieces_junkCountsAsExtra_timesTakeTheUnion() {
    List<Srt.Cue> truth = List.of(new Srt.Cue(1000, 4000, "Keep the doors closed"));
    List<Srt.Cue> produced = List.of(
        new Srt.Cue(1200, 2000, "Keep the doors closed"),
        new Srt.Cue(2000, 2400, "UOU"),
        new Srt.Cue(2400, 3000, "Keep the doors closed"),
        new Srt.Cue(3000, 3800, "Keep the doors cl0sed"),
        new Srt.Cue(5000, 6000, "53"));
    SubtitleScore s = SubtitleScore.of(truth, produced);
    assertEquals(1, s.found());
    assertEquals(2, s.split());
    assertEquals(2, s.extra()); // "UOU" (overlaps, wrong text) and "53" (overlaps nothing)
    assertEquals(200, s.startErrorMaxMs()); // earliest matching start 1200
    assertEquals(200, s.endErrorMaxMs()); // latest matching end 3800
  }

  @Test
  void latinWer_countsWordEdits_andIgnoresHanCues() {
    assertEquals(2, SubtitleScore.wordErrors("the source code of the work", "thesource code of the work"));
    assertEquals(0, SubtitleScore.wordErrors("a  b\nc", "a b c"));
    List<Srt.Cue> truth = List.of(new Srt.Cue(0, 1000, "档案库"));
    SubtitleScore s = SubtitleScore.of(truth, List.of());
    assertTrue(Double.isNaN(s.latinWer()));
    assertEquals(1.0, s.charErrorsAll().rate());
  }

  @Test
  void plus_sumsCountsAndKeepsTheLargestMaxima() {
    List<Srt.Cue> truth = List.of(new Srt.Cue(0, 1000, "hello world"));
    SubtitleScore a = SubtitleScore.of(truth, List.of(new Srt.Cue(400, 1000, "hello world")));
    SubtitleScore b = SubtitleScore.of(truth, List.of());
    SubtitleScore sum = SubtitleScore.empty().plus(a).plus(b);
    assertEquals(2, sum.truthCues());
    assertEquals(1, sum.found());
    assertEquals(400, sum.startErrorMaxMs());
    assertEquals(0.5, sum.recall());
  }
}
