package dev.ocrgate.bench.streaming;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * CPU time of a process by thread group, from {@code /proc/<pid>/task/<tid>/stat} (Linux): user +
 * system ticks per thread, threads grouped by name with digits replaced by {@code #}
 * ({@code batch-ppocr-v4/rec-#}, {@code grpc-default-worker-ELG-#-#}, {@code GC Thread##}, ...).
 * Where a run's CPU went: {@link #since} subtracts an earlier snapshot. Threads that ended
 * between two snapshots are lost; the groups here (pools, event loops, GC) live as long as the
 * process.
 */
final class ThreadCpu {
  /** Clock ticks per second of {@code /proc} times ({@code getconf CLK_TCK}; 100 on Linux). */
  private static final double TICKS_PER_SECOND = 100;

  private final Map<String, Long> ticks;

  private ThreadCpu(Map<String, Long> ticks) {
    this.ticks = ticks;
  }

  /** A snapshot of process {@code pid}'s threads; empty where {@code /proc} is missing. */
  static ThreadCpu of(long pid) {
    Map<String, Long> out = new TreeMap<>();
    try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc", Long.toString(pid), "task"))) {
      for (Path task : tasks) {
        try {
          String stat = Files.readString(task.resolve("stat"));
          int open = stat.indexOf('(');
          int close = stat.lastIndexOf(')');
          String group = stat.substring(open + 1, close).replaceAll("[0-9]+", "#");
          String[] f = stat.substring(close + 2).split(" ");
          out.merge(group, Long.parseLong(f[11]) + Long.parseLong(f[12]), Long::sum);
        } catch (IOException | RuntimeException e) {
          // the thread ended while being read
        }
      }
    } catch (IOException e) {
      return new ThreadCpu(Map.of());
    }
    return new ThreadCpu(out);
  }

  /** CPU seconds per group used since {@code earlier}, groups that used none left out. */
  Map<String, Double> since(ThreadCpu earlier) {
    Map<String, Double> out = new TreeMap<>();
    ticks.forEach((group, t) -> {
      long d = t - earlier.ticks.getOrDefault(group, 0L);
      if (d > 0) {
        out.put(group, d / TICKS_PER_SECOND);
      }
    });
    return out;
  }

  /** {@code seconds} as "group ms/item" pairs, largest first. */
  static String perItem(Map<String, Double> seconds, int items) {
    return seconds.entrySet().stream()
        .sorted((a, b) -> Double.compare(b.getValue(), a.getValue()))
        .map(e -> String.format(java.util.Locale.ROOT, "%s %.1f", e.getKey(), 1000 * e.getValue() / items))
        .collect(Collectors.joining(", "));
  }
}
