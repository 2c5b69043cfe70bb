package dev.ocrgate.bench.accuracy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ScoreFileTest {
  @TempDir
  Path data;

  private static SetScore score(String set, int images, int errors) {
    SetScore s = SetScore.empty(set, "RapidOcr-Java");
    for (int i = 0; i < images; i++) {
      s = s.plus(new TextMetrics.CharErrors(i < errors ? 1 : 0, 20), new TextMetrics.CharErrors(0, 20),
          new TextMetrics.WordCounts(3, 4, 5), 0.25);
    }
    return s.withThroughput(2, 0.125 * images);
  }

  @Test
  void verify_write_thenRead_roundTripsEveryField() throws IOException {
    SetScore zh = score("zh-lines", 3, 1);
    String description = "rapidocr 0.0.7,\tONNX_PPOCR_V4\n2 threads";

    Path file = ScoreFile.write(data, "2026-11-27T03:47:32Z", description, 50, zh);
    ScoreFile.Stored back = ScoreFile.read(file);

    assertThat(file).isEqualTo(data.resolve("out/RapidOcr-Java/zh-lines.first-3.scores.tsv"));
    assertThat(back.file()).isEqualTo(file);
    assertThat(back.takenAt()).isEqualTo("2026-11-27T03:47:32Z");
    assertThat(back.description()).isEqualTo("rapidocr 0.0.7, ONNX_PPOCR_V4 2 threads");
    assertThat(back.setImages()).isEqualTo(50);
    assertThat(back.images()).isEqualTo(3);
    assertThat(back.score()).isEqualTo(zh);
    assertThat(back.coverage()).isEqualTo("the first 3 of 50 images");
    assertThat(Files.readString(file)).contains("images\t3 of 50\n");
  }

  @Test
  void verify_scoresOfOtherSetsAndOtherLimits_liveInTheirOwnFiles() throws IOException {
    ScoreFile.write(data, "2026-11-27T01:00:00Z", "d", 10, score("en-pages", 10, 2));
    ScoreFile.write(data, "2026-11-27T02:00:00Z", "d", 50, score("zh-lines", 50, 1));
    ScoreFile.write(data, "2026-11-27T03:00:00Z", "d", 50, score("zh-lines", 3, 3));
    ScoreFile.write(data, "2026-11-27T04:00:00Z", "d", 50, score("zh-lines", 7, 0));

    List<ScoreFile.Stored> zh = ScoreFile.stored(data, "RapidOcr-Java", "zh-lines");

    assertThat(zh).extracting(ScoreFile.Stored::images).containsExactly(50, 7, 3);
    assertThat(ScoreFile.stored(data, "RapidOcr-Java", "en-pages")).singleElement()
        .satisfies(s -> assertThat(s.takenAt()).isEqualTo("2026-11-27T01:00:00Z"));
    assertThat(ScoreFile.stored(data, "RapidOcr-Java", "zh-pages")).isEmpty();
    assertThat(ScoreFile.matching(zh, 3, 50)).get().extracting(s -> s.score().ownOrder().errors()).isEqualTo(3);
    assertThat(ScoreFile.matching(zh, 50, 50)).get().extracting(ScoreFile.Stored::takenAt)
        .isEqualTo("2026-11-27T02:00:00Z");
    assertThat(ScoreFile.matching(zh, 5, 50)).isEmpty();
    assertThat(ScoreFile.matching(zh, 50, 60)).as("the set has grown since").isEmpty();
  }

  @Test
  void verify_oldPerSystemScoresTsv_isStillRead_afterThePerSetFiles() throws IOException {
    Path dir = Files.createDirectories(data.resolve("out/RapidOcr-Java"));
    Files.writeString(dir.resolve("scores.tsv"), "# 2026-11-27T03:47:32Z\n# rapidocr 0.0.7, 2 threads\n"
        + score("en-pages", 10, 2).toTsv() + "\n" + score("zh-lines", 50, 1).toTsv() + "\n", StandardCharsets.UTF_8);
    ScoreFile.write(data, "2026-11-28T00:00:00Z", "new", 50, score("zh-lines", 50, 0));

    List<ScoreFile.Stored> en = ScoreFile.stored(data, "RapidOcr-Java", "en-pages");
    List<ScoreFile.Stored> zh = ScoreFile.stored(data, "RapidOcr-Java", "zh-lines");

    assertThat(en).singleElement().satisfies(s -> {
      assertThat(s.takenAt()).isEqualTo("2026-11-27T03:47:32Z");
      assertThat(s.description()).isEqualTo("rapidocr 0.0.7, 2 threads");
      assertThat(s.setImages()).isZero();
      assertThat(s.score()).isEqualTo(score("en-pages", 10, 2));
      assertThat(s.covers(10, 10)).isTrue();
      assertThat(s.covers(3, 10)).isFalse();
    });
    assertThat(zh).extracting(ScoreFile.Stored::takenAt).containsExactly("2026-11-28T00:00:00Z", "2026-11-27T03:47:32Z");
    assertThat(ScoreFile.matching(zh, 50, 50)).get().extracting(ScoreFile.Stored::description).isEqualTo("new");
  }

  @Test
  void verify_damagedFile_isAnErrorNamingIt() throws IOException {
    Path file = ScoreFile.write(data, "2026-11-27T03:47:32Z", "d", 50, score("zh-lines", 50, 1));
    Files.writeString(file, Files.readString(file).replace("images\t50 of 50", "images\t49 of 50"));

    assertThatThrownBy(() -> ScoreFile.read(file)).isInstanceOf(IOException.class).hasMessageContaining(file.toString());
    Files.writeString(file, "taken-at\t2026-11-27T03:47:32Z\n");
    assertThatThrownBy(() -> ScoreFile.stored(data, "RapidOcr-Java", "zh-lines"))
        .isInstanceOf(IOException.class).hasMessageContaining(file.toString()).hasMessageContaining("no images line");
  }

  @Test
  void verify_reusedDescription_namesOneRun_orEachSetsRun() throws IOException {
    ScoreFile.Stored en = ScoreFile.read(ScoreFile.write(data, "2026-11-27T01:00:00Z", "rapid 2 threads", 10, score("en-pages", 10, 0)));
    ScoreFile.Stored zhPages = ScoreFile.read(ScoreFile.write(data, "2026-11-27T01:00:00Z", "rapid 2 threads", 3, score("zh-pages", 3, 0)));
    ScoreFile.Stored zh = ScoreFile.read(ScoreFile.write(data, "2026-11-27T02:00:00Z", "rapid 2 threads", 50, score("zh-lines", 50, 0)));
    ScoreFile.Stored zh4 = ScoreFile.read(ScoreFile.write(data, "2026-11-27T02:00:00Z", "rapid 4 threads", 50, score("zh-lines", 50, 0)));

    assertThat(AccuracyReport.reusedDescription("RapidOcr-Java", List.of(en, zhPages)))
        .isEqualTo("**RapidOcr-Java**: rapid 2 threads — scores reused from the run of 2026-11-27T01:00:00Z");
    assertThat(AccuracyReport.reusedDescription("RapidOcr-Java", List.of(en, zhPages, zh)))
        .isEqualTo("**RapidOcr-Java**: rapid 2 threads — scores reused from the runs of "
            + "2026-11-27T01:00:00Z (en-pages, zh-pages), 2026-11-27T02:00:00Z (zh-lines)");
    assertThat(AccuracyReport.reusedDescription("RapidOcr-Java", List.of(en, zh4)))
        .isEqualTo("**RapidOcr-Java**: scores reused — en-pages: rapid 2 threads (run of 2026-11-27T01:00:00Z); "
            + "zh-lines: rapid 4 threads (run of 2026-11-27T02:00:00Z)");
  }
}
