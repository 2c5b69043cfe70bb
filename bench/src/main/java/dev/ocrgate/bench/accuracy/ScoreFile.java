package dev.ocrgate.bench.accuracy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/**
 * A system's scores from one run, kept in {@code <data>/out/<system>/scores.tsv} so that a later
 * report can reuse a peer's (slow, unchanging) accuracy run. Line 1: "# taken-at", line 2:
 * "# description", then one {@link SetScore#toTsv} line per set.
 */
final class ScoreFile {
  private ScoreFile() {}

  record Loaded(String takenAt, String description, List<SetScore> scores) {}

  static void write(Path data, String system, String description, List<SetScore> scores) throws IOException {
    StringBuilder sb = new StringBuilder();
    sb.append("# ").append(Instant.now().truncatedTo(ChronoUnit.SECONDS)).append('\n');
    sb.append("# ").append(description.replace('\n', ' ')).append('\n');
    for (SetScore s : scores) {
      sb.append(s.toTsv()).append('\n');
    }
    Path file = data.resolve("out").resolve(system).resolve("scores.tsv");
    Files.createDirectories(file.getParent());
    Files.writeString(file, sb.toString(), StandardCharsets.UTF_8);
  }

  static Loaded read(Path data, String system) throws IOException {
    Path file = data.resolve("out").resolve(system).resolve("scores.tsv");
    List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    if (lines.size() < 2) {
      throw new IOException(file + ": truncated");
    }
    List<SetScore> scores = new ArrayList<>();
    for (String l : lines.subList(2, lines.size())) {
      if (!l.isBlank()) {
        scores.add(SetScore.parse(l));
      }
    }
    return new Loaded(lines.get(0).substring(2), lines.get(1).substring(2), scores);
  }
}
