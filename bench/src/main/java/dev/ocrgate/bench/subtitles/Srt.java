package dev.ocrgate.bench.subtitles;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A minimal SRT reader and writer for the subtitle bench. Blocks are separated by blank lines; a
 * block is an optional index line, a {@code HH:MM:SS,mmm --> HH:MM:SS,mmm} line and text lines
 * (kept, joined with '\n'). A block without a time line is skipped. BOM and CRLF are tolerated.
 *
 * <p>Stateless and thread-safe.
 */
public final class Srt {
  private static final Pattern TIME = Pattern.compile(
      "(\\d+):(\\d{2}):(\\d{2})[,.](\\d{3})\\s*-->\\s*(\\d+):(\\d{2}):(\\d{2})[,.](\\d{3})");

  private Srt() {}

  /** One cue: start inclusive, end exclusive, in ms; text lines joined with '\n'. */
  public record Cue(long startMs, long endMs, String text) {
    public Cue {
      if (endMs < startMs) {
        throw new IllegalArgumentException("cue ends before it starts: " + startMs + " > " + endMs);
      }
    }

    /** Time both cues share, in ms (0 when they do not overlap). */
    public long overlapMs(Cue o) {
      return Math.max(0, Math.min(endMs, o.endMs) - Math.max(startMs, o.startMs));
    }
  }

  public static List<Cue> read(Path file) throws IOException {
    return parse(Files.readString(file, StandardCharsets.UTF_8));
  }

  public static List<Cue> parse(String content) {
    String s = content.startsWith("\uFEFF") ? content.substring(1) : content;
    List<Cue> cues = new ArrayList<>();
    for (String block : s.replace("\r\n", "\n").replace('\r', '\n').split("\n\\s*\n")) {
      String[] lines = block.strip().split("\n");
      for (int i = 0; i < lines.length; i++) {
        Matcher m = TIME.matcher(lines[i]);
        if (m.find()) {
          StringBuilder text = new StringBuilder();
          for (int j = i + 1; j < lines.length; j++) {
            text.append(text.length() == 0 ? "" : "\n").append(lines[j].strip());
          }
          cues.add(new Cue(ms(m, 1), ms(m, 5), text.toString()));
          break;
        }
      }
    }
    return cues;
  }

  private static long ms(Matcher m, int g) {
    return ((Long.parseLong(m.group(g)) * 60 + Long.parseLong(m.group(g + 1))) * 60 + Long.parseLong(m.group(g + 2))) * 1000
        + Long.parseLong(m.group(g + 3));
  }

  public static String format(List<Cue> cues) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < cues.size(); i++) {
      Cue c = cues.get(i);
      out.append(i + 1).append('\n').append(time(c.startMs())).append(" --> ").append(time(c.endMs())).append('\n')
          .append(c.text()).append("\n\n");
    }
    return out.toString();
  }

  static String time(long ms) {
    return String.format("%02d:%02d:%02d,%03d", ms / 3_600_000, ms / 60_000 % 60, ms / 1000 % 60, ms % 1000);
  }
}
