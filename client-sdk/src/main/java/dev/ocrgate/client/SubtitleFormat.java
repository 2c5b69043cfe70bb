package dev.ocrgate.client;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.StringWriter;
import java.io.Writer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * Subtitle file formats and their writers. Cues are written sorted by start time (stable) and
 * numbered 1, 2, 3…; line ends are {@code \n}.
 *
 * <ul>
 *   <li>{@link #SRT}: {@code HH:MM:SS,mmm --> HH:MM:SS,mmm}. SRT has no escape syntax, so blank
 *       lines inside a text (which would end the cue early) are removed.
 *   <li>{@link #VTT}: WebVTT, a {@code WEBVTT} header, {@code HH:MM:SS.mmm} times, and
 *       {@code &}, {@code <}, {@code >} escaped as {@code &amp;}, {@code &lt;}, {@code &gt;}
 *       (which also keeps {@code -->} out of cue text); blank lines removed as for SRT.
 * </ul>
 *
 * Hours have at least two digits and grow past 99 rather than wrap.
 */
public enum SubtitleFormat {
  SRT(','),
  VTT('.');

  private final char millisSeparator;

  SubtitleFormat(char millisSeparator) {
    this.millisSeparator = millisSeparator;
  }

  /** The format for a file name's extension ({@code .srt}, {@code .vtt}), or SRT. */
  public static SubtitleFormat forFileName(String name) {
    return name.toLowerCase(Locale.ROOT).endsWith(".vtt") ? VTT : SRT;
  }

  /** The file name extension of this format, without the dot: {@code srt}, {@code vtt}. */
  public String extension() {
    return this == VTT ? "vtt" : "srt";
  }

  /** Writes {@code cues} to {@code out} (not closed). */
  public void write(List<SubtitleCue> cues, Writer out) throws IOException {
    List<SubtitleCue> sorted = new ArrayList<>(cues);
    sorted.sort(Comparator.comparingLong(SubtitleCue::startMs));
    if (this == VTT) {
      out.write("WEBVTT\n\n");
    }
    int n = 0;
    for (SubtitleCue cue : sorted) {
      out.write(Integer.toString(++n));
      out.write('\n');
      out.write(time(cue.startMs()) + " --> " + time(cue.endMs()));
      out.write('\n');
      out.write(text(cue.text()));
      out.write("\n\n");
    }
  }

  /** {@code cues} as one string. */
  public String render(List<SubtitleCue> cues) {
    StringWriter w = new StringWriter();
    try {
      write(cues, w);
    } catch (IOException e) {
      throw new UncheckedIOException(e); // a StringWriter does not fail
    }
    return w.toString();
  }

  /** {@code HH:MM:SS,mmm} (SRT) or {@code HH:MM:SS.mmm} (VTT). */
  String time(long ms) {
    if (ms < 0) {
      throw new IllegalArgumentException("time must be >= 0 ms, was " + ms);
    }
    long h = ms / 3_600_000;
    long m = ms / 60_000 % 60;
    long s = ms / 1000 % 60;
    return String.format(Locale.ROOT, "%02d:%02d:%02d%c%03d", h, m, s, millisSeparator, ms % 1000);
  }

  private String text(String text) {
    StringBuilder out = new StringBuilder(text.length() + 8);
    for (String line : text.replace("\r\n", "\n").replace('\r', '\n').split("\n")) {
      String l = line.strip();
      if (l.isEmpty()) {
        continue;
      }
      if (out.length() > 0) {
        out.append('\n');
      }
      out.append(this == VTT ? escapeVtt(l) : l);
    }
    return out.toString();
  }

  private static String escapeVtt(String line) {
    return line.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
  }
}
