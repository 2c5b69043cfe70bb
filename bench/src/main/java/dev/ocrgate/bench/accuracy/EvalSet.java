package dev.ocrgate.bench.accuracy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * One evaluation set on disk: {@code <dir>/<id>.png} with its truth in {@code <dir>/<id>.txt}, as
 * written by bench/accuracy/make-dataset.sh.
 *
 * @param name the folder name (en-pages, en-pages-fresh, en-pages-fresh2, en-pages-fresh3, zh-pages, zh-pages-fresh, zh-lines, en-lines, en-subs; the *-tune sets are
 *     for choosing settings and never reported as a result)
 * @param lines true when every image is one line of text (Tesseract is then run with --psm 7)
 * @param chinese true for Chinese material (Tesseract -l chi_sim; word F1 is not reported)
 */
public record EvalSet(String name, Path dir, boolean lines, boolean chinese) {

  /** One image and its reference text. */
  public record Sample(String id, Path image, String truth) {}

  /** The known sets under {@code root}, in report order. */
  public static List<EvalSet> standard(Path root) {
    return List.of(
        new EvalSet("en-pages", root.resolve("en-pages"), false, false),
        new EvalSet("en-pages-fresh", root.resolve("en-pages-fresh"), false, false),
        new EvalSet("en-pages-fresh2", root.resolve("en-pages-fresh2"), false, false),
        new EvalSet("en-pages-fresh3", root.resolve("en-pages-fresh3"), false, false),
        new EvalSet("zh-pages", root.resolve("zh-pages"), false, true),
        new EvalSet("zh-pages-fresh", root.resolve("zh-pages-fresh"), false, true),
        new EvalSet("zh-lines", root.resolve("zh-lines"), true, true),
        new EvalSet("en-lines", root.resolve("en-lines"), true, false),
        new EvalSet("en-subs", root.resolve("en-subs"), false, false),
        new EvalSet("en-lines-tune", root.resolve("en-lines-tune"), true, false),
        new EvalSet("en-subs-tune", root.resolve("en-subs-tune"), false, false),
        new EvalSet("en-pages-tune", root.resolve("en-pages-tune"), false, false));
  }

  /** The samples, sorted by id; at most {@code limit} of them (0 = all). */
  public List<Sample> samples(int limit) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      Stream<Path> pngs = files.filter(p -> p.toString().endsWith(".png")).sorted();
      if (limit > 0) {
        pngs = pngs.limit(limit);
      }
      return pngs.map(EvalSet::sample).toList();
    }
  }

  /** How many images the set has. */
  public int size() throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return (int) files.filter(p -> p.toString().endsWith(".png")).count();
    }
  }

  /** How many images {@link #samples}{@code (limit)} returns. */
  public int size(int limit) throws IOException {
    int all = size();
    return limit > 0 ? Math.min(limit, all) : all;
  }

  private static Sample sample(Path png) {
    String file = png.getFileName().toString();
    String id = file.substring(0, file.length() - ".png".length());
    try {
      String truth = Files.readString(png.resolveSibling(id + ".txt"), StandardCharsets.UTF_8);
      return new Sample(id, png, truth);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
