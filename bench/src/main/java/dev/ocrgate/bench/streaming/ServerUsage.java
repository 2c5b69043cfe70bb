package dev.ocrgate.bench.streaming;

import java.util.Map;

/**
 * Samples a {@link ServerProcess} during one run on a daemon thread: peak RSS every 200 ms, peak
 * heap from its {@code /metrics} every second (the scrape is cheap, but not free), and the CPU it
 * used over the run, in total and by thread group ({@link ThreadCpu}), and the mean batch size
 * of its detection and recognition queues over the run.
 */
final class ServerUsage {
  /** Peaks over a run, MB, and the server's CPU as a share of all cores. */
  record Peak(double heapMb, double rssMb, double cpuPercent, Map<String, Double> cpuSecondsByThread,
      double detBatch, double recBatch) {}

  private final ServerProcess server;
  private final Thread thread;
  private final long cpu0;
  private final ThreadCpu threads0;
  private final double[] batches0;
  private final long wall0 = System.nanoTime();
  private volatile boolean stop;
  private volatile double maxHeap;
  private volatile double maxRss;

  private ServerUsage(ServerProcess server) {
    this.server = server;
    this.cpu0 = server.cpuNanos();
    this.threads0 = ThreadCpu.of(server.pid());
    this.batches0 = batchCounts(server);
    this.thread = new Thread(this::sample, "server-usage");
    thread.setDaemon(true);
  }

  static ServerUsage start(ServerProcess server) {
    ServerUsage u = new ServerUsage(server);
    u.thread.start();
    return u;
  }

  private void sample() {
    for (int tick = 0; !stop; tick++) {
      try {
        maxRss = Math.max(maxRss, server.rssBytes());
        if (tick % 5 == 0) {
          maxHeap = Math.max(maxHeap, server.heapBytes());
        }
        Thread.sleep(200);
      } catch (InterruptedException e) {
        return;
      } catch (Exception e) {
        // the server went away: keep the peaks seen so far
        return;
      }
    }
  }

  /**
   * Items and batches so far of the detection and the recognition queues, from the server's
   * {@code ocrgate_batch_size} summary: {det items, det batches, rec items, rec batches}.
   */
  private static double[] batchCounts(ServerProcess server) {
    try {
      return new double[] {server.metric("ocrgate_batch_size_sum", "queue=\"det\""),
          server.metric("ocrgate_batch_size_count", "queue=\"det\""), server.metric("ocrgate_batch_size_sum", "queue=\"rec\""),
          server.metric("ocrgate_batch_size_count", "queue=\"rec\"")};
    } catch (Exception e) {
      return new double[4];
    }
  }

  private static double ratio(double items, double batches) {
    return batches <= 0 ? 0 : items / batches;
  }

  Peak stop() throws InterruptedException {
    stop = true;
    double wall = System.nanoTime() - wall0;
    double cpu = server.cpuNanos() - cpu0;
    Map<String, Double> byThread = ThreadCpu.of(server.pid()).since(threads0);
    double[] batches = batchCounts(server);
    thread.interrupt();
    thread.join(5_000);
    double mb = 1024 * 1024;
    return new Peak(maxHeap / mb, maxRss / mb, 100.0 * cpu / wall / Runtime.getRuntime().availableProcessors(),
        byThread, ratio(batches[0] - batches0[0], batches[1] - batches0[1]),
        ratio(batches[2] - batches0[2], batches[3] - batches0[3]));
  }
}
