package dev.ocrgate.bench.accuracy;

import java.awt.Font;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Picks Chinese prose lines from a plain-text corpus and renders each as {@code NNN.png} with its
 * truth in {@code NNN.txt}. Used by bench/accuracy/make-dataset.sh; prints one manifest line per
 * image.
 *
 * <p>Selection is deterministic: the eligible lines (see {@link #eligible}) are taken at evenly
 * spaced positions; fonts cycle Noto Sans CJK SC, Noto Serif CJK SC, WenQuanYi Zen Hei and sizes
 * cycle 28, 36, 44 px, offset so every font meets every size.
 */
@Command(name = "line-set-maker", mixinStandardHelpOptions = true)
public final class LineSetMaker implements java.util.concurrent.Callable<Integer> {
  static final float[] SIZES = {28f, 36f, 44f};

  @Option(names = "--corpus", required = true, description = "UTF-8 text file, one candidate per line")
  Path corpus;

  @Option(names = "--count", defaultValue = "50")
  int count;

  @Option(names = "--out", required = true)
  Path out;

  public static void main(String[] args) {
    System.exit(new CommandLine(new LineSetMaker()).execute(args));
  }

  @Override
  public Integer call() throws IOException {
    List<String> picked = pick(Files.readAllLines(corpus, StandardCharsets.UTF_8), count);
    LineRenderer.CjkFont[] fonts = LineRenderer.CjkFont.values();
    Font[] loaded = new Font[fonts.length];
    for (int i = 0; i < fonts.length; i++) {
      loaded[i] = fonts[i].load();
    }
    Files.createDirectories(out);
    for (int i = 0; i < picked.size(); i++) {
      int f = i % fonts.length;
      float size = SIZES[(i / fonts.length) % SIZES.length];
      BufferedImage img = LineRenderer.render(picked.get(i), loaded[f], size);
      String id = String.format("line-%03d", i);
      ImageIO.write(img, "png", out.resolve(id + ".png").toFile());
      Files.writeString(out.resolve(id + ".txt"), picked.get(i) + "\n", StandardCharsets.UTF_8);
      System.out.printf("line zh-lines/%s.png %s %.0fpx %dx%d%n",
          id, fonts[f].family, size, img.getWidth(), img.getHeight());
    }
    return 0;
  }

  /** {@code count} eligible lines at evenly spaced positions of the corpus. */
  static List<String> pick(List<String> corpusLines, int count) {
    return pickFrom(corpusLines, count, LineSetMaker::eligible);
  }

  /** {@code count} lines passing {@code eligible} (stripped) at evenly spaced positions of the corpus. */
  static List<String> pickFrom(List<String> corpusLines, int count, java.util.function.Predicate<String> eligible) {
    List<String> kept = new ArrayList<>();
    for (String l : corpusLines) {
      String t = l.strip();
      if (eligible.test(t)) {
        kept.add(t);
      }
    }
    List<String> picked = new ArrayList<>();
    int n = Math.min(count, kept.size());
    for (int k = 0; k < n; k++) {
      picked.add(kept.get((int) ((k + 0.5) * kept.size() / n)));
    }
    return picked;
  }

  /** Prose: 8–28 code points, not a numbered heading or a wrapped tail, at least 60% Han or CJK punctuation, no table or markup characters. */
  static boolean eligible(String t) {
    int len = t.codePointCount(0, t.length());
    if (len < 8 || len > 28 || !startsLikeALine(t.codePointAt(0)) || t.chars().anyMatch(c -> "|+=*#<>$\\{}[]~_^".indexOf(c) >= 0)) {
      return false;
    }
    long cjk = t.codePoints().filter(TextNormalizer::isCjk).count();
    return cjk * 10 >= len * 6L;
  }

  /** Not a digit (numbered headings) nor punctuation (the tail of a sentence wrapped mid-way). */
  private static boolean startsLikeALine(int cp) {
    return Character.isLetter(cp) && !Character.isDigit(cp);
  }
}
