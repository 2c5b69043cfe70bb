package dev.ocrgate.bench.subtitles;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SubtitleReportTest {
  @Test
  void parse_olderSevenColumnRows_haveNoCpu() {
    SubtitleReport.Measured m = SubtitleReport.Measured.parse("sub-00\t24.0\t10.5\t2.5\t120\t30\t0");
    assertEquals(30, m.ocred());
    assertTrue(Double.isNaN(m.clientCpuS()) && Double.isNaN(m.serverCpuS()) && Double.isNaN(m.cpuRatio()));
  }

  @Test
  void parse_tenColumnRows_giveCpuOverFfmpegCpu_andAnUnknownServerIsNaN() {
    SubtitleReport.Measured m = SubtitleReport.Measured.parse("sub-00\t24.0\t10.5\t2.5\t120\t30\t0\t2.000\t4.500\t3.500");
    assertEquals(4.0, m.cpuRatio(), 1e-9);
    SubtitleReport.Measured noServer =
        SubtitleReport.Measured.parse("sub-00\t24.0\t10.5\t2.5\t120\t30\t0\t2.000\t4.500\t-1.000");
    assertTrue(Double.isNaN(noServer.serverCpuS()) && Double.isNaN(noServer.cpuRatio()));
    assertThrows(IllegalArgumentException.class, () -> SubtitleReport.Measured.parse("sub-00\t24.0\t10.5"));
  }

  @Test
  void report_showsCpuColumnsPerVideoAndSummed(@TempDir Path dir) throws Exception {
    Path set = Files.createDirectories(dir.resolve("test"));
    Files.writeString(set.resolve("manifest.txt"), "two videos\n");
    String srt = "1\n00:00:01,000 --> 00:00:02,000\nhello world\n\n";
    Path run = Files.createDirectories(set.resolve("runs/a"));
    for (String id : new String[] {"sub-00", "sub-01"}) {
      Files.writeString(set.resolve(id + ".srt"), srt);
      Files.writeString(run.resolve(id + ".srt"), srt);
    }
    Files.writeString(run.resolve("measurements.tsv"), String.join("\n",
        "# label: run a", "# command: x", "# started: now",
        "sub-00\t24.0\t10.0\t2.0\t120\t30\t0\t2.000\t4.000\t2.000",
        "sub-01\t24.0\t10.0\t2.0\t120\t30\t0\t2.000\t3.000\t1.000", ""));
    Path results = dir.resolve("out.md");
    SubtitleReport.main(new String[] {"--set", set.toString(), "--results", results.toString(), run.toString()});
    String md = Files.readString(results, StandardCharsets.UTF_8);
    assertTrue(md.contains("| 4.00 / 2.00 / 2.00 | 3.0 |"), md);
    assertTrue(md.contains("| 3.00 / 1.00 / 2.00 | 2.0 |"), md);
    assertTrue(md.contains("| 7.00 / 3.00 / 4.00 | 2.5 |"), md);
  }
}
