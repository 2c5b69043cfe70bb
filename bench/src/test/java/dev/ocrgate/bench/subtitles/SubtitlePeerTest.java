package dev.ocrgate.bench.subtitles;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class SubtitlePeerTest {
  @Test
  void merge_joinsIdenticalConsecutiveTexts_andEmptyTextsEndCues() {
    List<Srt.Cue> cues = SubtitlePeer.merge(List.of("", "a  b", "a b", "", "c", "d", "d"), 200);
    assertEquals(List.of(
        new Srt.Cue(200, 600, "a b"),
        new Srt.Cue(800, 1000, "c"),
        new Srt.Cue(1000, 1400, "d")), cues);
  }
}
