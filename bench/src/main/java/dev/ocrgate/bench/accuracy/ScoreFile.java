package dev.ocrgate.bench.accuracy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * One system's score on one set, kept so that a later report can reuse a peer's (slow,
 * unchanging) accuracy run ({@code --reuse}). Each set has its own file in {@code
 * <data>/out/<system>/}: {@code <set>.scores.tsv} when the run read the whole set, {@code
 * <set>.first-<n>.scores.tsv} when {@code --limit} cut it to its first n images, so neither a run
 * of other sets nor a quick {@code --limit} look replaces a full-set score.
 *
 * <p>Format: "#" lines are comments, every other line is "key TAB value": {@code taken-at} (the
 * start of the run that took the score, so one run's sets share it), {@code system}, {@code set},
 * {@code images} ("n of m": images read, images in the set then), {@code description} (the
 * system's version and settings), {@code score} (one {@link SetScore#toTsv} line). Unknown keys
 * are ignored.
 *
 * <p>Scores written before this layout, one {@code <data>/out/<system>/scores.tsv} per system
 * ("# taken-at", "# description", then one {@link SetScore#toTsv} line per set), are still read,
 * after the per-set files; they did not record the set's size, so only the number of images they
 * read is checked.
 */
final class ScoreFile {
  private ScoreFile() {}

  static final String LEGACY_FILE = "scores.tsv";
  private static final String SUFFIX = ".scores.tsv";

  /**
   * A stored score.
   *
   * @param file where it was read from (or written to)
   * @param takenAt start of the run that took it, ISO-8601
   * @param description the system's version and settings in that run
   * @param setImages images in the set when it was taken; 0 = not recorded (old scores.tsv)
   * @param score the score; {@link SetScore#images()} is how many images it covers
   */
  record Stored(Path file, String takenAt, String description, int setImages, SetScore score) {
    int images() {
      return score.images();
    }

    /** Whether it covers exactly the images a run reading {@code images} of {@code setImages} reads. */
    boolean covers(int images, int setImages) {
      return images() == images && (this.setImages == 0 || this.setImages == setImages);
    }

    /** "all 50 images", "the first 3 of 50 images", "3 images (set size not recorded)". */
    String coverage() {
      return ScoreFile.coverage(images(), setImages);
    }
  }

  static String coverage(int images, int setImages) {
    if (setImages == 0) {
      return images + " images (set size not recorded)";
    }
    return images == setImages ? "all " + images + " images" : "the first " + images + " of " + setImages + " images";
  }

  static Path dir(Path data, String system) {
    return data.resolve("out").resolve(system);
  }

  /** The file a score of {@code images} of a set's {@code setImages} images is kept in. */
  static Path file(Path data, String system, String set, int images, int setImages) {
    return dir(data, system).resolve(images >= setImages ? set + SUFFIX : set + ".first-" + images + SUFFIX);
  }

  /** Stores {@code score} (replacing the score of the same system, set and coverage only). */
  static Path write(Path data, String takenAt, String description, int setImages, SetScore score)
      throws IOException {
    Path file = file(data, score.system(), score.set(), score.images(), setImages);
    String text = "# AccuracyBench score of one system on one set, read back by --reuse\n"
        + "taken-at\t" + oneLine(takenAt) + '\n'
        + "system\t" + score.system() + '\n'
        + "set\t" + score.set() + '\n'
        + "images\t" + score.images() + " of " + setImages + '\n'
        + "description\t" + oneLine(description) + '\n'
        + "score\t" + score.toTsv() + '\n';
    Files.createDirectories(file.getParent());
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    Files.writeString(tmp, text, StandardCharsets.UTF_8);
    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    return file;
  }

  private static String oneLine(String s) {
    return s.replace('\n', ' ').replace('\r', ' ').replace('\t', ' ');
  }

  static Stored read(Path file) throws IOException {
    Map<String, String> fields = new HashMap<>();
    for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
      int tab = line.indexOf('\t');
      if (!line.startsWith("#") && tab > 0) {
        fields.put(line.substring(0, tab), line.substring(tab + 1));
      }
    }
    for (String key : List.of("taken-at", "images", "description", "score")) {
      if (!fields.containsKey(key)) {
        throw new IOException(file + ": no " + key + " line");
      }
    }
    try {
      SetScore score = SetScore.parse(fields.get("score"));
      String[] images = fields.get("images").split(" of ");
      if (images.length != 2 || Integer.parseInt(images[0].strip()) != score.images()) {
        throw new IOException(file + ": images line \"" + fields.get("images") + "\" does not match the score's "
            + score.images() + " images");
      }
      return new Stored(file, fields.get("taken-at"), fields.get("description"),
          Integer.parseInt(images[1].strip()), score);
    } catch (RuntimeException e) {
      throw new IOException(file + ": " + e, e);
    }
  }

  /**
   * Every stored score of {@code system} on {@code set}: the per-set files, whole set first, then
   * the old per-system scores.tsv if it has the set.
   */
  static List<Stored> stored(Path data, String system, String set) throws IOException {
    Path dir = dir(data, system);
    List<Stored> out = new ArrayList<>();
    if (Files.isRegularFile(dir.resolve(set + SUFFIX))) {
      out.add(read(dir.resolve(set + SUFFIX)));
    }
    if (Files.isDirectory(dir)) {
      List<Path> limited;
      try (Stream<Path> files = Files.list(dir)) {
        String prefix = set + ".first-";
        limited = files.filter(p -> {
          String n = p.getFileName().toString();
          return n.startsWith(prefix) && n.endsWith(SUFFIX)
              && n.substring(prefix.length(), n.length() - SUFFIX.length()).matches("[0-9]+");
        }).toList();
      }
      List<Stored> read = new ArrayList<>();
      for (Path p : limited) {
        read.add(read(p));
      }
      read.sort(Comparator.comparingInt(Stored::images).reversed());
      out.addAll(read);
    }
    readLegacy(dir.resolve(LEGACY_FILE)).stream().filter(s -> s.score().set().equals(set)).forEach(out::add);
    return out;
  }

  /** The first of {@code stored} that covers exactly the images this run reads. */
  static Optional<Stored> matching(List<Stored> stored, int images, int setImages) {
    return stored.stream().filter(s -> s.covers(images, setImages)).findFirst();
  }

  /** The old one-file-per-system format; empty when there is no such file. */
  static List<Stored> readLegacy(Path file) throws IOException {
    if (!Files.isRegularFile(file)) {
      return List.of();
    }
    List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    if (lines.size() < 2 || !lines.get(0).startsWith("# ") || !lines.get(1).startsWith("# ")) {
      throw new IOException(file + ": truncated");
    }
    List<Stored> out = new ArrayList<>();
    for (String l : lines.subList(2, lines.size())) {
      if (!l.isBlank()) {
        try {
          out.add(new Stored(file, lines.get(0).substring(2), lines.get(1).substring(2), 0, SetScore.parse(l)));
        } catch (RuntimeException e) {
          throw new IOException(file + ": " + e, e);
        }
      }
    }
    return out;
  }
}
