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
 * <p>Styles: the part {@code styles} (the test part's text, seed 5; nothing is ever chosen on it)
 * holds looks the other parts do not: subtitles fading in and out, in a semi-transparent box,
 * in the black bar of a letterboxed film, on a portrait video, at 1080p, without any outline,
 * with a shadow only, and aligned bottom-left (one look per video, {@link Look}).
 *
 * <p>Usage: {@code SubtitleSetPlanner --part tune|test|short-tune|short-test|styles --english FILE
 * --chinese FILE --out DIR [--videos N] [--seconds S]}; writes DIR/&lt;id&gt;.srt and DIR/plan.tsv,
 * prints manifest lines.
 */
public final class SubtitleSetPlanner {
  /** Subtitle sizes in px at 720p (libass FontSize = px × 288 / 720; same relative size at 480p). */
  private static final int[] PX_720 = {30, 45, 60, 80, 36, 52, 70, 40};
  private static final String WHITE = "&H00FFFFFF&";
  private static final String YELLOW = "&H0000FFFF&";
  private static final List<String> PARTS = List.of("tune", "test", "short-tune", "short-test", "styles");
  private static final Pattern HAN_RUN = Pattern.compile("[\\p{IsHan}，、]{6,}");

  private SubtitleSetPlanner() {}

  /**
   * What the styles part varies beyond the other parts' styles: libass {@code BorderStyle} (3: an
   * opaque box of {@code BackColour}), {@code Alignment} (numpad: 2 bottom centre, 1 bottom left)
   * and {@code MarginL}, a picture {@code sourceHeight} rows tall padded with black bars to the
   * frame's height (0: the source fills the frame), and a fade in and out of {@code fadeMs}
   * (burned from a copy of the truth SRT with a {@code \fad} tag; the truth has no tags).
   */
  public record Look(String name, int borderStyle, String backColour, int alignment, int marginL, int sourceHeight,
      int fadeMs) {
    static final Look PLAIN = new Look("", 1, "&H00000000&", 2, 10, 0, 0);
  }

  /**
   * One planned video; {@code marginV} and {@code fontSize} are in libass units (PlayResY 288),
   * {@code px720} the text size in pixels at 720p (in the styles part: in the frame's pixels).
   */
  public record Video(String id, int width, int height, String source, String noise, boolean chinese, int lines,
      int px720, int fontSize, String colour, int marginV, int outline, int shadow, List<Srt.Cue> cues, Look look) {

    Video(String id, int width, int height, String source, String noise, boolean chinese, int lines, int px720,
        int fontSize, String colour, int marginV, int outline, int shadow, List<Srt.Cue> cues) {
      this(id, width, height, source, noise, chinese, lines, px720, fontSize, colour, marginV, outline, shadow, cues,
          Look.PLAIN);
    }

    /** The filters before the subtitles: noise, then the letterbox's black bars. */
    String preFilter() {
      String pad = look.sourceHeight() > 0
          ? "pad=" + width + ":" + height + ":0:" + (height - look.sourceHeight()) / 2 + ":black" : "";
      return noise.isEmpty() ? pad : pad.isEmpty() ? noise : noise + "," + pad;
    }

    /** The SRT libass burns: the truth, with each cue's fade when the look has one. */
    List<Srt.Cue> burned() {
      if (look.fadeMs() == 0) {
        return cues;
      }
      String tag = "{\\fad(" + look.fadeMs() + "," + look.fadeMs() + ")}";
      return cues.stream().map(c -> new Srt.Cue(c.startMs(), c.endMs(), tag + c.text())).toList();
    }

    String font() {
      return chinese ? "Noto Sans CJK SC" : "DejaVu Sans";
    }

    String forceStyle() {
      return "FontName=" + font() + ",FontSize=" + fontSize + ",PrimaryColour=" + colour + ",OutlineColour=&H00000000&"
          + (look == Look.PLAIN ? "" : ",BackColour=" + look.backColour()) + ",BorderStyle=" + look.borderStyle()
          + ",Outline=" + outline + ",Shadow=" + shadow + ",MarginV=" + marginV
          + (look == Look.PLAIN ? "" : ",MarginL=" + look.marginL()) + ",Alignment=" + look.alignment();
    }

    String lavfi(int seconds) {
      String size = "s=" + width + "x" + (look.sourceHeight() > 0 ? look.sourceHeight() : height) + ":r=25";
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
      return String.join("\t", id, width + "x" + height, lavfi(seconds), preFilter().isEmpty() ? "-" : preFilter(),
          forceStyle(),
          (chinese ? "zh" : "en") + "," + lines + "-line," + px720 + "px," + (colour.equals(WHITE) ? "white" : "yellow")
              + ",outline " + outline + ",shadow " + shadow + "," + (marginV > 20 ? "higher" : "bottom")
              + (look.name().isEmpty() ? "" : "," + look.name()));
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
          "usage: --part tune|test|short-tune|short-test|styles --english FILE --chinese FILE --out DIR [--videos N] [--seconds S]");
    }
    List<String> en = forPart(part, englishLines(Files.readAllLines(english, StandardCharsets.UTF_8)));
    List<String> zh = forPart(part, chineseRuns(Files.readAllLines(chinese, StandardCharsets.UTF_8)));
    List<Video> plan = plan(part, en, zh, videos, seconds);
    Files.createDirectories(out);
    StringBuilder tsv = new StringBuilder("# id\tsize\tlavfi\tfilters\tforce_style\tstyle\n");
    for (Video v : plan) {
      Files.writeString(out.resolve(v.id() + ".srt"), Srt.format(v.cues()), StandardCharsets.UTF_8);
      if (v.burned() != v.cues()) {
        Files.writeString(out.resolve(v.id() + ".burn.srt"), Srt.format(v.burned()), StandardCharsets.UTF_8);
      }
      tsv.append(v.tsv(seconds)).append('\n');
      System.out.println("video " + part + "/" + v.id() + ".mp4 " + v.width() + "x" + v.height() + " 25fps " + seconds + "s "
          + v.source() + (v.noise().isEmpty() ? "" : "+" + v.noise()) + " " + v.cues().size() + " cues, " + v.tsv(seconds).split("\t")[5]);
    }
    Files.writeString(out.resolve("plan.tsv"), tsv.toString(), StandardCharsets.UTF_8);
  }

  static List<Video> plan(String part, List<String> en, List<String> zh, int videos, int seconds) {
    if (part.equals("styles")) {
      return styles(en, zh, videos, seconds);
    }
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
      int lineCount = lines;
      List<Srt.Cue> cues = timeline(random, seconds, () -> {
        StringBuilder text = new StringBuilder();
        for (int l = 0; l < lineCount; l++) {
          String line = shortCues
              ? shortLine(chinese ? zh : en, chinese ? zhNext : enNext, random, chinese)
              : chinese ? cut(zh, zhNext, maxChars, true) : cut(en, enNext, maxChars, false);
          text.append(l == 0 ? "" : "\n").append(line);
        }
        return text.toString();
      });
      out.add(new Video(String.format("sub-%02d", i), width, height, source, noise, chinese, lines, px, fontSize, colour,
          marginV, outline, shadow, cues));
    }
    return out;
  }

  /**
   * The styles part: one look per video, cycling through {@link #STYLE_LOOKS}; one-line cues of the
   * test part's text, one in three of them short ({@link #shortLine}).
   */
  static List<Video> styles(List<String> en, List<String> zh, int videos, int seconds) {
    Random random = new Random(5);
    int[] enNext = {random.nextInt(Math.max(1, en.size() / 2))};
    int[] zhNext = {random.nextInt(Math.max(1, zh.size() / 2))};
    List<Video> out = new ArrayList<>();
    for (int i = 0; i < videos; i++) {
      StyleLook s = STYLE_LOOKS.get(i % STYLE_LOOKS.size());
      int fontSize = Math.round(s.px() * 288f / s.height());
      int usable = s.width() * 86 / 100;
      int maxChars = s.chinese() ? Math.min(18, usable / s.px()) : Math.min(42, usable * 10 / (6 * s.px()));
      List<Srt.Cue> cues = timeline(random, seconds, () -> random.nextInt(3) == 0
          ? shortLine(s.chinese() ? zh : en, s.chinese() ? zhNext : enNext, random, s.chinese())
          : s.chinese() ? cut(zh, zhNext, maxChars, true) : cut(en, enNext, maxChars, false));
      out.add(new Video(String.format("sub-%02d", i), s.width(), s.height(), s.source(), s.noise(), s.chinese(), 1,
          s.px(), fontSize, s.colour(), 12, s.outline(), s.shadow(), cues, s.look()));
    }
    return out;
  }

  /**
   * A video's cues: the first starts at 0.4–1.0 s, each lasts 1.6–3.4 s, and one in four follows
   * the previous one without a gap, the others after 0.3–1.0 s; none ends later than 0.3 s before
   * the end. {@code text} gives each cue's text in turn (drawing from the same {@code random}).
   */
  private static List<Srt.Cue> timeline(Random random, int seconds, java.util.function.Supplier<String> text) {
    List<Srt.Cue> cues = new ArrayList<>();
    long t = 400 + random.nextInt(600);
    while (true) {
      long duration = 1600 + random.nextInt(1800);
      if (t + duration > seconds * 1000L - 300) {
        return cues;
      }
      cues.add(new Srt.Cue(t, t + duration, text.get()));
      t += duration + (random.nextInt(4) == 0 ? 0 : 300 + random.nextInt(700));
    }
  }

  /** One video of the styles part: size, background, text size in frame pixels, outline, shadow, look. */
  private record StyleLook(int width, int height, String source, String noise, boolean chinese, int px, String colour,
      int outline, int shadow, Look look) {}

  private static final List<StyleLook> STYLE_LOOKS = List.of(
      new StyleLook(1280, 720, "mandelbrot", "", false, 48, WHITE, 2, 1, new Look("fade 300 ms", 1, "&H00000000&", 2, 10, 0, 300)),
      new StyleLook(1280, 720, "testsrc2", "", false, 48, WHITE, 4, 0, new Look("box", 3, "&H80000000&", 2, 10, 0, 0)),
      new StyleLook(1280, 720, "testsrc2", "", false, 44, WHITE, 1, 0, new Look("letterbox bar", 1, "&H00000000&", 2, 10, 536, 0)),
      new StyleLook(720, 1280, "life", "", false, 44, WHITE, 2, 1, new Look("portrait", 1, "&H00000000&", 2, 10, 0, 0)),
      new StyleLook(1920, 1080, "gradients", "noise=alls=24:allf=t", true, 60, WHITE, 2, 1, new Look("1080p", 1, "&H00000000&", 2, 10, 0, 0)),
      new StyleLook(1280, 720, "mandelbrot", "", false, 48, WHITE, 0, 0, new Look("no outline", 1, "&H00000000&", 2, 10, 0, 0)),
      new StyleLook(854, 480, "gradients", "noise=alls=24:allf=t", false, 36, YELLOW, 0, 2, new Look("shadow only", 1, "&H00000000&", 2, 10, 0, 0)),
      new StyleLook(1280, 720, "cellauto", "", false, 48, WHITE, 2, 1, new Look("bottom left", 1, "&H00000000&", 1, 60, 0, 0)));

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
