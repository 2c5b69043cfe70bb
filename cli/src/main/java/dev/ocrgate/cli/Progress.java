package dev.ocrgate.cli;

import java.io.PrintStream;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * Progress of {@code ocrgate subtitles} on stderr: percent of the video's duration done, frames
 * per second, ETA. On a terminal one bar redrawn in place (at most 10 times a second); otherwise
 * (a log, CI) a plain line every 5 s, naming the video when several are extracted at once (their
 * bars would overwrite each other, so those always print plain lines). The time source is injected
 * for tests.
 *
 * <p>Not thread-safe: called from the stream's listener, one call at a time.
 */
final class Progress {
  private static final long TERMINAL_EVERY_NANOS = 100_000_000L;
  private static final long PLAIN_EVERY_NANOS = 5_000_000_000L;
  private static final int BAR = 30;

  private final PrintStream err;
  private final boolean terminal;
  private final LongSupplier nanoTime;
  private final long durationMs;
  private final String label;
  private final long startNanos;
  private long lastPrintNanos;
  private long frames;
  private long doneMs;

  Progress(PrintStream err, boolean terminal, LongSupplier nanoTime, long durationMs) {
    this(err, terminal, nanoTime, durationMs, null);
  }

  /** {@code label}: the video's name on plain lines (null: none); with a label there is no bar. */
  Progress(PrintStream err, boolean terminal, LongSupplier nanoTime, long durationMs, String label) {
    this.err = err;
    this.terminal = terminal && label == null;
    this.nanoTime = nanoTime;
    this.durationMs = durationMs;
    this.label = label;
    this.startNanos = nanoTime.getAsLong();
    this.lastPrintNanos = startNanos;
  }

  /** One more frame done, at {@code ptsMs} of the video. */
  void frameDone(long ptsMs) {
    frames++;
    doneMs = Math.max(doneMs, ptsMs);
    long now = nanoTime.getAsLong();
    if (now - lastPrintNanos >= (terminal ? TERMINAL_EVERY_NANOS : PLAIN_EVERY_NANOS)) {
      lastPrintNanos = now;
      print(now);
    }
  }

  /** The final state, and a newline after a terminal bar. */
  void finish() {
    if (durationMs > 0) {
      doneMs = durationMs;
    }
    print(nanoTime.getAsLong());
    if (terminal) {
      err.println();
    }
    err.flush();
  }

  private void print(long now) {
    double seconds = Math.max(1e-9, (now - startNanos) / 1e9);
    double fps = frames / seconds;
    double fraction = durationMs > 0 ? Math.min(1.0, (double) doneMs / durationMs) : 0;
    String eta = fraction > 0 && fraction < 1 ? clock(seconds * (1 - fraction) / fraction) : "--:--";
    if (terminal) {
      int filled = (int) Math.round(fraction * BAR);
      err.printf(Locale.ROOT, "\r[%s%s] %5.1f%%  %6.1f frames/s  ETA %s ",
          "#".repeat(filled), " ".repeat(BAR - filled), fraction * 100, fps, eta);
    } else {
      err.printf(Locale.ROOT, "subtitles: %s%.0f%% of %s, %d frames, %.1f frames/s, ETA %s%n",
          label == null ? "" : label + ": ", fraction * 100, clock(durationMs / 1000.0), frames, fps, eta);
    }
    err.flush();
  }

  static String clock(double seconds) {
    long s = Math.round(seconds);
    return s >= 3600
        ? String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
        : String.format(Locale.ROOT, "%02d:%02d", s / 60, s % 60);
  }
}
