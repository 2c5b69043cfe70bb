package dev.ocrgate.bench.accuracy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code --reuse} through the command itself, with a fake system on a tiny data set: what one run
 * stores must not be lost or misused by the next (partial sets, other {@code --limit}).
 */
class AccuracyBenchReuseTest {
  @TempDir
  Path data;

  @BeforeEach
  void makeSets() throws IOException {
    makeSet("en-pages", 3);
    makeSet("zh-lines", 4);
  }

  private void makeSet(String name, int images) throws IOException {
    Path dir = Files.createDirectories(data.resolve(name));
    for (int i = 0; i < images; i++) {
      Files.write(dir.resolve("img-" + i + ".png"), new byte[] {1});
      Files.writeString(dir.resolve("img-" + i + ".txt"), "truth " + i, StandardCharsets.UTF_8);
    }
  }

  /** Reads each image's truth back ({@code perfect}) or one wrong word instead. */
  private record Fake(boolean perfect) implements OcrSystem {
    @Override
    public String name() {
      return "fake";
    }

    @Override
    public String describe() {
      return perfect ? "fake reading the truth" : "fake reading nonsense";
    }

    @Override
    public List<OcrLine> read(Path image, EvalSet set) throws IOException {
      String file = image.getFileName().toString();
      String truth = Files.readString(image.resolveSibling(file.replace(".png", ".txt")));
      return List.of(new OcrLine(perfect ? truth : "zzzzzz", 0, 0, 10, 10));
    }
  }

  private record Run(int exitCode, String report, String err) {
    /** The report's table row of {@code set}, or "" when it has none. */
    String row(String set) {
      return report.lines().filter(l -> l.startsWith("| " + set + " | fake |")).findFirst().orElse("");
    }
  }

  private Run run(OcrSystem system, String... args) throws IOException {
    Path out = data.resolve("report.md");
    Files.deleteIfExists(out);
    AccuracyBench bench = new AccuracyBench();
    bench.opener = name -> system;
    StringWriter err = new StringWriter();
    List<String> all = new ArrayList<>(List.of("--data", data.toString(), "--out", out.toString(),
        "--systems", "fake", "--warmup-seconds", "0", "--concurrency", "1"));
    all.addAll(List.of(args));
    int code = new CommandLine(bench).setErr(new PrintWriter(err, true)).execute(all.toArray(String[]::new));
    String report = Files.isRegularFile(out) ? Files.readString(out, StandardCharsets.UTF_8) : "";
    return new Run(code, report, err.toString());
  }

  @Test
  void verify_partialRun_keepsTheOtherSetsScores_forReuse() throws IOException {
    assertThat(run(new Fake(true), "--sets", "en-pages,zh-lines").exitCode()).isZero();
    assertThat(run(new Fake(false), "--sets", "zh-lines").exitCode()).isZero();
    Path en = data.resolve("out/fake/en-pages.scores.tsv");
    Files.writeString(en, Files.readString(en).replaceFirst("taken-at\t.*\n", "taken-at\t2000-01-01T00:00:00Z\n"));

    Run reused = run(new Fake(true), "--sets", "en-pages,zh-lines", "--reuse", "fake");

    assertThat(reused.exitCode()).as(reused.err()).isZero();
    assertThat(reused.report()).as("each set's own run and settings").contains("- **fake**: scores reused — "
        + "en-pages: fake reading the truth (run of 2000-01-01T00:00:00Z); zh-lines: fake reading nonsense (run of 20");
    assertThat(reused.row("en-pages")).as("en-pages from the first run").startsWith("| en-pages | fake | 3 | 0.0000 |");
    assertThat(reused.row("zh-lines")).as("zh-lines from the second run").startsWith("| zh-lines | fake | 4 | ")
        .doesNotContain("| 0.0000 |");
  }

  @Test
  void verify_reuse_refusesASetWithNoStoredScore_namingSystemSetAndCommand() throws IOException {
    assertThat(run(new Fake(true), "--sets", "zh-lines").exitCode()).isZero();

    Run reused = run(new Fake(true), "--sets", "en-pages,zh-lines", "--reuse", "fake");

    assertThat(reused.exitCode()).isNotZero();
    assertThat(reused.report()).isEmpty();
    assertThat(reused.err()).contains("fake", "en-pages", "no stored score",
        "run-bench.sh --systems fake --sets en-pages ");
  }

  @Test
  void verify_reuse_refusesAScoreOfFewerImages_thanThisRunReads() throws IOException {
    assertThat(run(new Fake(true), "--sets", "zh-lines", "--limit", "2").exitCode()).isZero();

    Run reused = run(new Fake(true), "--sets", "zh-lines", "--reuse", "fake");

    assertThat(reused.exitCode()).isNotZero();
    assertThat(reused.report()).isEmpty();
    assertThat(reused.err()).contains("fake", "zh-lines", "first 2 of 4", "all 4",
        "run-bench.sh --systems fake --sets zh-lines ");
  }

  @Test
  void verify_reuse_refusesAScoreOfMoreImages_thanThisRunReads() throws IOException {
    assertThat(run(new Fake(true), "--sets", "zh-lines").exitCode()).isZero();

    Run reused = run(new Fake(true), "--sets", "zh-lines", "--limit", "2", "--reuse", "fake");

    assertThat(reused.exitCode()).isNotZero();
    assertThat(reused.err()).contains("fake", "zh-lines", "all 4", "first 2 of 4", "--limit 2");
  }

  @Test
  void verify_limitedRun_doesNotReplaceTheFullSetScore() throws IOException {
    assertThat(run(new Fake(true), "--sets", "zh-lines").exitCode()).isZero();
    assertThat(run(new Fake(false), "--sets", "zh-lines", "--limit", "2").exitCode()).isZero();

    Run full = run(new Fake(false), "--sets", "zh-lines", "--reuse", "fake");
    Run limited = run(new Fake(true), "--sets", "zh-lines", "--limit", "2", "--reuse", "fake");

    assertThat(full.exitCode()).as(full.err()).isZero();
    assertThat(full.row("zh-lines")).startsWith("| zh-lines | fake | 4 | 0.0000 |");
    assertThat(limited.exitCode()).as(limited.err()).isZero();
    assertThat(limited.row("zh-lines")).startsWith("| zh-lines | fake | 2 | ").doesNotContain("| 0.0000 |");
  }

  @Test
  void verify_reusedSystemsDescription_namesTheStoredRunAndSettings() throws IOException {
    assertThat(run(new Fake(true), "--sets", "en-pages,zh-lines").exitCode()).isZero();

    Run reused = run(new Fake(false), "--sets", "en-pages,zh-lines", "--reuse", "fake");

    String line = reused.report().lines().filter(l -> l.startsWith("- **fake**")).findFirst().orElse("");
    assertThat(line).contains("fake reading the truth", "scores reused from the run of 20");
  }
}
