package dev.ocrgate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.rpc.Status;
import dev.ocrgate.api.v1.Cue;
import dev.ocrgate.api.v1.FrameResult;
import dev.ocrgate.api.v1.TextLine;
import dev.ocrgate.client.SubtitleCue;
import dev.ocrgate.client.SubtitleCues;
import dev.ocrgate.server.stream.CueBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The server's cues ({@link CueBuilder}, sent when a stream asks for {@code emit_cues}) and the
 * client SDK's ({@link SubtitleCues}, which `ocrgate subtitles` uses because they survive a resumed
 * stream) are two implementations of one rule set; this test feeds both the same noisy frame
 * results and requires the same cues. The CLI module sees both (the SDK must not depend on the
 * server, so the code cannot be shared).
 */
class CueParityTest {
  private static final long INTERVAL_MS = 200;
  private static final List<String> SUBTITLES = List.of(
      "Hello there", "Where are you going?", "这是中文字幕", "Open the second door", "Mixed 中文 and English");

  @Test
  void verify_serverAndSdk_makeTheSameCues_fromTheSameFrames() {
    Random random = new Random(20261127);
    int cuesSeen = 0;
    for (int sequence = 0; sequence < 300; sequence++) {
      List<FrameResult> frames = noisyFrames(random, 80);
      CueBuilder server = new CueBuilder(0.8, INTERVAL_MS);
      SubtitleCues sdk = new SubtitleCues(0.8, INTERVAL_MS);
      List<SubtitleCue> fromServer = new ArrayList<>();
      for (FrameResult f : frames) {
        server.accept(f).map(CueParityTest::toSdk).ifPresent(fromServer::add);
        sdk.accept(f);
      }
      server.finish().map(CueParityTest::toSdk).ifPresent(fromServer::add);
      List<SubtitleCue> fromSdk = sdk.finish();
      assertThat(fromSdk).as("sequence %d of seed 20261127", sequence).isEqualTo(fromServer);
      cuesSeen += fromSdk.size();
    }
    // The generator must actually produce cues, or the comparison says nothing.
    assertThat(cuesSeen).isGreaterThan(300 * 3);
  }

  private static SubtitleCue toSdk(Cue c) {
    return new SubtitleCue(c.getStartMs(), c.getEndMs(), c.getText());
  }

  /** Subtitles held for a while, read with OCR-like noise, gaps, stray text and failed frames. */
  private static List<FrameResult> noisyFrames(Random r, int n) {
    List<FrameResult> out = new ArrayList<>();
    String current = SUBTITLES.get(r.nextInt(SUBTITLES.size()));
    for (int seq = 0; seq < n; seq++) {
      FrameResult.Builder b = FrameResult.newBuilder().setSeq(seq).setPtsMs(seq * INTERVAL_MS);
      double p = r.nextDouble();
      if (p < 0.10) {
        current = SUBTITLES.get(r.nextInt(SUBTITLES.size()));
      }
      if (p < 0.05) {
        b.setError(Status.newBuilder().setCode(3).setMessage("cannot decode image"));
      } else if (p < 0.12) {
        // nothing read, or only blanks / punctuation
        for (String s : List.of("", " ", "！", "...").subList(0, r.nextInt(3))) {
          b.addLines(TextLine.newBuilder().setText(s));
        }
      } else {
        if (r.nextInt(8) == 0) {
          b.addLines(TextLine.newBuilder().setText(String.valueOf(r.nextInt(100))));
        }
        b.addLines(TextLine.newBuilder().setText(noisy(r, current)));
      }
      out.add(b.build());
    }
    return out;
  }

  private static String noisy(Random r, String text) {
    StringBuilder sb = new StringBuilder(text);
    switch (r.nextInt(6)) {
      case 0 -> { // a space lost
        int i = sb.indexOf(" ");
        if (i >= 0) {
          sb.deleteCharAt(i);
        }
      }
      case 1 -> sb.setCharAt(r.nextInt(sb.length()), "l1I0O".charAt(r.nextInt(5))); // misread
      case 2 -> sb.append(r.nextBoolean() ? "." : "。");
      case 3 -> sb.insert(0, "  ").append(' ');
      case 4 -> {
        return sb.toString().toUpperCase(java.util.Locale.ROOT);
      }
      default -> { } // read right
    }
    return sb.toString();
  }
}
