package dev.ocrgate.bench.accuracy;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontFormatException;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.Shape;
import java.awt.font.FontRenderContext;
import java.awt.font.TextLayout;
import java.awt.geom.AffineTransform;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import javax.imageio.ImageIO;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Picks English prose lines from a plain-text corpus and renders each as {@code NNN.png} with its
 * truth in {@code NNN.txt}: DejaVu Sans, Serif and Sans Mono (fonts-dejavu-core) at 32, 48 and
 * 72 px, every second line black on white, the others subtitle-style (white with a black outline
 * over a noisy grey gradient). Prints one manifest line per image. Used by
 * bench/accuracy/make-dataset.sh for the word-space sets (a tuning set and a held-out set from
 * different texts).
 */
@Command(name = "latin-line-set-maker", mixinStandardHelpOptions = true)
public final class LatinLineSetMaker implements java.util.concurrent.Callable<Integer> {
  static final float[] SIZES = {32f, 48f, 72f};
  static final String[] FONTS = {
      "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
      "/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf",
      "/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf"};

  @Option(names = "--corpus", required = true, description = "UTF-8 text file")
  Path corpus;

  @Option(names = "--count", defaultValue = "60")
  int count;

  @Option(names = "--set", required = true, description = "the set's name, for the manifest")
  String set;

  @Option(names = "--out", required = true)
  Path out;

  public static void main(String[] args) {
    System.exit(new CommandLine(new LatinLineSetMaker()).execute(args));
  }

  @Override
  public Integer call() throws IOException {
    List<String> picked = LineSetMaker.pickFrom(Files.readAllLines(corpus, StandardCharsets.UTF_8), count,
        LatinLineSetMaker::eligible);
    Font[] fonts = new Font[FONTS.length];
    for (int i = 0; i < FONTS.length; i++) {
      fonts[i] = load(Path.of(FONTS[i]));
    }
    Files.createDirectories(out);
    Random noise = new Random(20261130);
    for (int i = 0; i < picked.size(); i++) {
      int f = i % fonts.length;
      float size = SIZES[(i / fonts.length) % SIZES.length];
      boolean subtitle = i % 2 == 1;
      String text = picked.get(i);
      BufferedImage img = subtitle ? subtitle(text, fonts[f].deriveFont(size), noise)
          : LineRenderer.render(text, fonts[f], size);
      String id = String.format("line-%03d", i);
      ImageIO.write(img, "png", out.resolve(id + ".png").toFile());
      Files.writeString(out.resolve(id + ".txt"), text + "\n", StandardCharsets.UTF_8);
      System.out.printf("line %s/%s.png %s %.0fpx %s %dx%d%n", set, id, Path.of(FONTS[f]).getFileName(), size,
          subtitle ? "subtitle" : "plain", img.getWidth(), img.getHeight());
    }
    return 0;
  }

  /** Prose: 5–12 words, 25–70 characters, starting with a letter, letters making up most of it. */
  static boolean eligible(String t) {
    int len = t.length();
    if (len < 25 || len > 70 || !Character.isLetter(t.charAt(0)) || t.contains("  ")) {
      return false;
    }
    if (t.chars().anyMatch(c -> c > 0x7e || "|+=*#<>$\\{}[]~_^@/".indexOf(c) >= 0)) {
      return false;
    }
    int words = t.split(" ").length;
    long letters = t.chars().filter(Character::isLetter).count();
    return words >= 5 && words <= 12 && letters * 10 >= len * 7L;
  }

  /** White text with a black outline over a noisy grey gradient, as burned-in subtitles look. */
  static BufferedImage subtitle(String text, Font font, Random noise) {
    FontRenderContext frc = new FontRenderContext(null, true, true);
    TextLayout layout = new TextLayout(text, font, frc);
    Rectangle2D b = layout.getBounds();
    int margin = Math.round(font.getSize2D() / 2);
    int width = (int) Math.ceil(b.getWidth()) + 2 * margin;
    int height = (int) Math.ceil(b.getHeight()) + 2 * margin;
    BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_3BYTE_BGR);
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        int v = 60 + 80 * x / Math.max(1, width) + (int) (noise.nextGaussian() * 12);
        v = Math.max(0, Math.min(255, v));
        img.setRGB(x, y, new Color(v, v, Math.min(255, v + 10)).getRGB());
      }
    }
    Graphics2D g = img.createGraphics();
    try {
      g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
      Shape outline = layout.getOutline(AffineTransform.getTranslateInstance(margin - b.getX(), margin - b.getY()));
      g.setColor(Color.BLACK);
      g.setStroke(new BasicStroke(Math.max(2f, font.getSize2D() / 14f), BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
      g.draw(outline);
      g.setColor(Color.WHITE);
      g.fill(outline);
    } finally {
      g.dispose();
    }
    return img;
  }

  private static Font load(Path file) throws IOException {
    if (!Files.isRegularFile(file)) {
      throw new IOException(file + " missing (apt-get install fonts-dejavu-core)");
    }
    try {
      return Font.createFont(Font.TRUETYPE_FONT, file.toFile());
    } catch (FontFormatException e) {
      throw new IOException("cannot read " + file + ": " + e.getMessage(), e);
    }
  }
}
