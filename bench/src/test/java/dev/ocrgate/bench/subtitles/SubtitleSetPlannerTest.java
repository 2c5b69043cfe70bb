package dev.ocrgate.bench.subtitles;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class SubtitleSetPlannerTest {
  private static List<String> english() {
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      lines.add("Line number " + i + " of the license text that is long enough to cut");
    }
    lines.add("short");
    lines.add("markup <i>is</i> skipped in candidate lines here");
    return SubtitleSetPlanner.englishLines(lines);
  }

  private static List<String> chinese() {
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      lines.add("第" + i + "行 档案" + (char) ('\u4e00' + i) + "库时间同步问题，因此如果你决定使用这些档案库 abc");
    }
    return SubtitleSetPlanner.chineseRuns(lines);
  }

  @Test
  void candidateLines_skipShortAndMarkupLines_andKeepHanRunsOnly() {
    assertEquals(200, english().size());
    assertTrue(chinese().stream().allMatch(r -> SubtitleScore.isHan(r) && !r.contains(" ") && !r.endsWith("，")));
  }

  @Test
  void plan_isDeterministic_andTheTwoPartsShareNoText() {
    List<SubtitleSetPlanner.Video> test = SubtitleSetPlanner.plan("test", odd(english()), odd(chinese()), 8, 24);
    assertEquals(texts(test), texts(SubtitleSetPlanner.plan("test", odd(english()), odd(chinese()), 8, 24)));
    Set<String> tune = texts(SubtitleSetPlanner.plan("tune", even(english()), even(chinese()), 8, 24));
    Set<String> shared = new HashSet<>(tune);
    shared.retainAll(texts(test));
    assertEquals(Set.of(), shared);
  }

  @Test
  void plan_coversTheStylesTheIssueAsksFor_withOrderedCuesInsideTheVideo() {
    List<SubtitleSetPlanner.Video> plan = SubtitleSetPlanner.plan("test", english(), chinese(), 8, 24);
    assertEquals(Set.of(1, 2), plan.stream().map(SubtitleSetPlanner.Video::lines).collect(Collectors.toSet()));
    assertEquals(Set.of(480, 720), plan.stream().map(SubtitleSetPlanner.Video::height).collect(Collectors.toSet()));
    assertEquals(Set.of(true, false), plan.stream().map(SubtitleSetPlanner.Video::chinese).collect(Collectors.toSet()));
    assertEquals(2, plan.stream().map(SubtitleSetPlanner.Video::colour).distinct().count());
    assertEquals(2, plan.stream().map(SubtitleSetPlanner.Video::marginV).distinct().count());
    assertEquals(30, plan.stream().mapToInt(SubtitleSetPlanner.Video::px720).min().orElseThrow());
    assertEquals(80, plan.stream().mapToInt(SubtitleSetPlanner.Video::px720).max().orElseThrow());
    for (SubtitleSetPlanner.Video v : plan) {
      long previousEnd = 0;
      for (Srt.Cue c : v.cues()) {
        assertTrue(c.startMs() >= previousEnd && c.endMs() > c.startMs() && c.endMs() <= 24_000, v.id() + " " + c);
        assertEquals(v.lines(), c.text().split("\n").length, v.id() + " " + c);
        previousEnd = c.endMs();
      }
      assertTrue(v.cues().size() >= 5, v.id());
    }
  }

  @Test
  void shortParts_holdOneLineCuesOfOneToThreeWordsOrTwoToFourHan_fromTheirOwnHalfOfTheText() {
    List<SubtitleSetPlanner.Video> plan =
        SubtitleSetPlanner.plan("short-test", odd(english()), odd(chinese()), 8, 24);
    Set<Integer> wordCounts = new HashSet<>();
    for (SubtitleSetPlanner.Video v : plan) {
      assertEquals(1, v.lines(), v.id());
      for (Srt.Cue c : v.cues()) {
        assertEquals(1, c.text().split("\n").length, v.id() + " " + c);
        if (v.chinese()) {
          assertTrue(SubtitleScore.isHan(c.text()) && c.text().length() >= 2 && c.text().length() <= 4, c.text());
        } else {
          int words = c.text().split(" ").length;
          wordCounts.add(words);
          String from = odd(english()).stream().filter(l -> l.startsWith(c.text())).findFirst().orElse(null);
          assertTrue(words <= 3 && from != null, c.text());
        }
      }
    }
    assertEquals(Set.of(1, 2, 3), wordCounts);
    assertEquals(SubtitleSetPlanner.forPart("tune", english()), SubtitleSetPlanner.forPart("short-tune", english()));
    assertEquals(SubtitleSetPlanner.forPart("test", english()), SubtitleSetPlanner.forPart("short-test", english()));
  }

  @Test
  void stylesPart_holdsOneLookPerVideo_theTestPartsText_andBurnsFadesFromATaggedCopyOnly() {
    List<SubtitleSetPlanner.Video> plan = SubtitleSetPlanner.plan("styles", odd(english()), odd(chinese()), 8, 24);
    assertEquals(texts(plan), texts(SubtitleSetPlanner.plan("styles", odd(english()), odd(chinese()), 8, 24)));
    assertEquals(SubtitleSetPlanner.forPart("test", english()), SubtitleSetPlanner.forPart("styles", english()));
    Set<String> tune = texts(SubtitleSetPlanner.plan("tune", even(english()), even(chinese()), 8, 24));
    tune.retainAll(texts(plan));
    assertEquals(Set.of(), tune, "no tune text");
    assertEquals(8, plan.stream().map(v -> v.look().name()).distinct().count());
    for (SubtitleSetPlanner.Video v : plan) {
      assertTrue(v.cues().size() >= 5, v.id());
      assertTrue(v.cues().stream().noneMatch(c -> c.text().contains("{")), v.id() + ": the truth has no tags");
      boolean fades = v.look().fadeMs() > 0;
      assertEquals(fades, v.burned() != v.cues(), v.id());
      if (fades) {
        assertTrue(v.burned().stream().allMatch(c -> c.text().startsWith("{\\fad(300,300)}")), v.id());
      }
    }
    SubtitleSetPlanner.Video letterbox = plan.stream().filter(v -> v.look().sourceHeight() > 0).findFirst().orElseThrow();
    assertEquals("pad=1280:720:0:92:black", letterbox.preFilter());
    assertTrue(letterbox.lavfi(24).contains("s=1280x536"), letterbox.lavfi(24));
    assertTrue(plan.stream().anyMatch(v -> v.forceStyle().contains("BorderStyle=3")));
    assertTrue(plan.stream().anyMatch(v -> v.forceStyle().endsWith("Alignment=1")));
    assertEquals(Set.of(480, 720, 1080, 1280), plan.stream().map(SubtitleSetPlanner.Video::height).collect(Collectors.toSet()));
  }

  private static Set<String> texts(List<SubtitleSetPlanner.Video> plan) {
    return plan.stream().flatMap(v -> v.cues().stream()).flatMap(c -> List.of(c.text().split("\n")).stream())
        .collect(Collectors.toSet());
  }

  private static List<String> even(List<String> l) {
    return SubtitleSetPlanner.forPart("tune", l);
  }

  private static List<String> odd(List<String> l) {
    return SubtitleSetPlanner.forPart("test", l);
  }
}
