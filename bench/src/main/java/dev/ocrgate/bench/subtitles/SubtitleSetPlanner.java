package dev.ocrgate.bench.subtitles;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Plans the subtitle evaluation set for bench/subtitles/make-subtitle-set.sh: for each video the
 * background source, size, style and the truth SRT (cue texts and times). The shell script only
 * burns what is planned here. Deterministic: the same corpora, part and count give the same plan.
 *
 * <p>Held out: the {@code tune} part takes the even-numbered candidate lines of each corpus and
 * seed 1, the {@code test} part the odd-numbered ones and seed 2, so the parts share no text.
 *
 * <p>Short cues: the parts {@code short-tune} and {@code short-test} (same text split, seeds 3 and
 * 4) hold one-line cues of one to three words, or two to four Han characters ("No.", "Thank you",
 * "好的"), the cues films have most and that give a detector the least to find.
 *
 * <p>Usage: {@code SubtitleSetPlanner --part tune|test|short-tune|short-test --english FILE
 * --chinese FILE --out DIR [--videos N] [--seconds S]}; writes DIR/&lt;id&gt;.srt and DIR/plan.tsv,
 * prints manifest lines.
 */
public final class SubtitleSetPlanner {
  /** Subtitle sizes in px at 720p (libass FontSize = px × 288 / 720; same relative size at 480p). */
  private static final int[] PX_720 = {30, 45, 60, 80, 36, 52, 70, 40};
  private static final String WHITE = "&H00FFFFFF&";
  private static final String YELLOW = "&H0000FFFF&";
  private static final List<String> PARTS = List.of("tune", "test", "short-tune", "short-test");
  private static final Pattern HAN_RUN = Pattern.compile("[\\p{IsHan}，、]{6,}");

  private SubtitleSetPlanner() {}

  /** One planned video; {@code marginV} and {@code fontSize} are in libass units (PlayResY 288). */
  public record Video(String id, int width, int height, String source, String noise, boolean chinese, int lines,
      int px720, int fontSize, String colour, int marginV, int outline, int shadow, List<Srt.Cue> cues) {

    String font() {
      return chinese ? "Noto Sans CJK SC" : "DejaVu Sans";
    }

    String forceStyle() {
      return "FontName=" + font() + ",FontSize=" + fontSize + ",PrimaryColour=" + colour + ",OutlineColour=&H00000000&"
          + ",BorderStyle=1,Outline=" + outline + ",Shadow=" + shadow + ",MarginV=" + marginV + ",Alignment=2";
    }

    String lavfi(int seconds) {
      String size = "s=" + width + "x" + height + ":r=25";
      return switch (source) {
        case "testsrc2" -> "testsrc2=" + size + ":d=" + seconds;
        case "mandelbrot" -> "mandelbrot=" + size;
        case "life" -> "life=" + size + ":mold=10:ratio=0.2:life_color=#909090:death_color=#202830:seed=7";
        case "cellauto" -> "cellauto=" + size + ":rule=110:seed=3";
        case "gradients" -> "gradients=" + size + ":speed=0.03:seed=5";
        default -> throw new IllegalStateException(source);
      };
    }

    String tsv(int seconds) {
      return String.join("\t", id, width + "x" + height, lavfi(seconds), noise.isEmpty() ? "-" : noise, forceStyle(),
          (chinese ? "zh" : "en") + "," + lines + "-line," + px720 + "px," + (colour.equals(WHITE) ? "white" : "yellow")
              + ",outline " + outline + ",shadow " + shadow + "," + (marginV > 20 ? "higher" : "bottom"));
    }
  }

  public static void main(String[] args) throws IOException {
    String part = null;
    Path english = null, chinese = null, out = null;
    int videos = 8, seconds = 24;
    for (int i = 0; i + 1 < args.length; i += 2) {
      switch (args[i]) {
        case "--part" -> part = args[i + 1];
        case "--english" -> english = Path.of(args[i + 1]);
        case "--chinese" -> chinese = Path.of(args[i + 1]);
        case "--out" -> out = Path.of(args[i + 1]);
        case "--videos" -> videos = Integer.parseInt(args[i + 1]);
        case "--seconds" -> seconds = Integer.parseInt(args[i + 1]);
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    if (part == null || !PARTS.contains(part) || english == null || chinese == null || out == null) {
      throw new IllegalArgumentException(
          "usage: --part tune|test|short-tune|short-test --english FILE --chinese FILE --out DIR [--videos N] [--seconds S]");
    }
    List<String> en = forPart(part, englishLines(Files.readAllLines(english, StandardCharsets.UTF_8)));
    List<String> zh = forPart(part, chineseRuns(Files.readAllLines(chinese, StandardCharsets.UTF_8)));
    List<Video> plan = plan(part, en, zh, videos, seconds);
    Files.createDirectories(out);
    StringBuilder tsv = new StringBuilder("# id\tsize\tlavfi\tnoise\tforce_style\tstyle\n");
    for (Video v : plan) {
      Files.writeString(out.resolve(v.id() + ".srt"), Srt.format(v.cues()), StandardCharsets.UTF_8);
      tsv.append(v.tsv(seconds)).append('\n');
      System.out.println("video " + part + "/" + v.id() + ".mp4 " + v.width() + "x" + v.height() + " 25fps " + seconds + "s "
          + v.source() + (v.noise().isEmpty() ? "" : "+" + v.noise()) + " " + v.cues().size() + " cues, " + v.tsv(seconds).split("\t")[5]);
    }
    Files.writeString(out.resolve("plan.tsv"), tsv.toString(), StandardCharsets.UTF_8);
  }

  static List<Video> plan(String part, List<String> en, List<String> zh, int videos, int seconds) {
    boolean tune = part.endsWith("tune");
    boolean shortCues = part.startsWith("short-");
    Random random = new Random((tune ? 1 : 2) + (shortCues ? 2 : 0));
    String[] sources = {"mandelbrot", "testsrc2", "life", "gradients", "cellauto", "mandelbrot", "gradients", "testsrc2"};
    int[] enNext = {random.nextInt(Math.max(1, en.size() / 2))};
    int[] zhNext = {random.nextInt(Math.max(1, zh.size() / 2))};
    List<Video> out = new ArrayList<>();
    for (int i = 0; i < videos; i++) {
      boolean hd = i % 2 == 0;
      int width = hd ? 1280 : 854, height = hd ? 720 : 480;
      String source = sources[i % sources.length];
      String noise = source.equals("gradients") ? "noise=alls=24:allf=t" : i % 4 == 1 ? "noise=alls=10:allf=t" : "";
      boolean chinese = i % 4 == 3;
      int lines = i % 2 == 1 ? 2 : 1;
      if (i % 8 == 6) {
        lines = 2;
      }
      if (shortCues) {
        lines = 1;
      }
      int px = PX_720[i % PX_720.length];
      int fontSize = Math.round(px * 288f / 720);
      String colour = i % 4 == 1 || i % 4 == 2 ? YELLOW : WHITE;
      int marginV = i % 3 == 2 ? 40 : 12;
      int outline = i % 2 == 0 ? 2 : 3;
      int shadow = i % 3 == 0 ? 0 : 2;
      int maxChars = chinese ? Math.min(18, 1100 / px) : Math.min(42, 1100 * 10 / (6 * px));
      List<Srt.Cue> cues = new ArrayList<>();
      long t = 400 + random.nextInt(600);
      while (true) {
        long duration = 1600 + random.nextInt(1800);
        if (t + duration > seconds * 1000L - 300) {
          break;
        }
        StringBuilder text = new StringBuilder();
        for (int l = 0; l < lines; l++) {
          String line = shortCues
              ? shortLine(chinese ? zh : en, chinese ? zhNext : enNext, random, chinese)
              : chinese ? cut(zh, zhNext, maxChars, true) : cut(en, enNext, maxChars, false);
          text.append(l == 0 ? "" : "\n").append(line);
        }
        cues.add(new Srt.Cue(t, t + duration, text.toString()));
        t += duration + (random.nextInt(4) == 0 ? 0 : 300 + random.nextInt(700));
      }
      out.add(new Video(String.format("sub-%02d", i), width, height, source, noise, chinese, lines, px, fontSize, colour,
          marginV, outline, shadow, cues));
    }
    return out;
  }

  /** The next candidate line, cut to at most {@code max} characters (at a word end for Latin). */
  private static String cut(List<String> pool, int[] next, int max, boolean cjk) {
    String line = pool.get(next[0]++ % pool.size());
    if (line.length() <= max) {
      return line;
    }
    if (cjk) {
      return line.substring(0, max);
    }
    int space = line.lastIndexOf(' ', max);
    return space > 0 ? line.substring(0, space) : line.substring(0, max);
  }

  /**
   * The start of the next candidate line: 2-4 Han characters, or 1-3 words (a one-word cue keeps
   * its trailing punctuation, as "No." would).
   */
  private static String shortLine(List<String> pool, int[] next, Random random, boolean cjk) {
    String line = pool.get(next[0]++ % pool.size());
    if (cjk) {
      String han = line.replaceAll("[，、]", "");
      return han.substring(0, Math.min(han.length(), 2 + random.nextInt(3)));
    }
    String[] words = line.split(" ");
    int n = Math.min(words.length, 1 + random.nextInt(3));
    return String.join(" ", java.util.Arrays.copyOf(words, n));
  }

  /** Plain ASCII lines of 20+ characters that start with a letter, without markup characters. */
  static List<String> englishLines(List<String> lines) {
    List<String> out = new ArrayList<>();
    for (String raw : lines) {
      String s = raw.strip().replaceAll("\\s+", " ");
      if (s.length() >= 20 && s.matches("[A-Za-z][ -~]*") && !s.matches(".*[{}<>\\\\|_=*#@$~^`\\[\\]].*")) {
        out.add(s);
      }
    }
    return out;
  }

  /** Runs of 6+ Han characters (and Chinese commas), not starting or ending with a comma. */
  static List<String> chineseRuns(List<String> lines) {
    List<String> out = new ArrayList<>();
    for (String line : lines) {
      Matcher m = HAN_RUN.matcher(line);
      while (m.find()) {
        String run = m.group().replaceAll("^[，、]+|[，、]+$", "");
        if (run.codePointCount(0, run.length()) >= 6) {
          out.add(run);
        }
      }
    }
    return out;
  }

  /** The part's share of the candidate lines: even-numbered for the tune parts, odd-numbered for the test parts. */
  static List<String> forPart(String part, List<String> lines) {
    int parity = part.endsWith("tune") ? 0 : 1;
    List<String> out = new ArrayList<>();
    for (int i = parity; i < lines.size(); i += 2) {
      out.add(lines.get(i));
    }
    if (out.isEmpty()) {
      throw new IllegalArgumentException("no candidate lines in a corpus");
    }
    return out;
  }
}
