package dev.ocrgate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ProgressTest {
  private final AtomicLong now = new AtomicLong();
  private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
  private final PrintStream err = new PrintStream(bytes, true, StandardCharsets.UTF_8);

  @Test
  void verify_plainLines_everyFiveSeconds_withPercentRateAndEta() {
    Progress p = new Progress(err, false, now::get, 100_000);
    for (int i = 1; i <= 50; i++) {
      now.addAndGet(100_000_000L); // 10 frames/s
      p.frameDone(i * 1000L);
    }

    assertThat(bytes.toString(StandardCharsets.UTF_8))
        .isEqualTo("subtitles: 50% of 01:40, 50 frames, 10.0 frames/s, ETA 00:05\n");
  }

  @Test
  void verify_terminalBar_isRedrawnInPlace() {
    Progress p = new Progress(err, true, now::get, 10_000);
    now.addAndGet(1_000_000_000L);
    p.frameDone(2_500);
    p.finish();

    String s = bytes.toString(StandardCharsets.UTF_8);
    assertThat(s).startsWith("\r[########                      ]  25.0%     1.0 frames/s  ETA 00:03 ");
    assertThat(s).endsWith("\r[##############################] 100.0%     1.0 frames/s  ETA --:-- \n");
  }

  @Test
  void verify_clock() {
    assertThat(Progress.clock(59.6)).isEqualTo("01:00");
    assertThat(Progress.clock(3725)).isEqualTo("1:02:05");
  }
}
