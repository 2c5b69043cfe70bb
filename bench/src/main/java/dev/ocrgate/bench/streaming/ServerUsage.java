package dev.ocrgate.bench.streaming;

/**
 * Samples a {@link ServerProcess} during one run on a daemon thread: peak RSS every 200 ms, peak
 * heap from its {@code /metrics} every second (the scrape is cheap, but not free), and the CPU it
 * used over the run.
 */
final class ServerUsage {
  /** Peaks over a run, MB, and the server's CPU as a share of all cores. */
  record Peak(double heapMb, double rssMb, double cpuPercent) {}

  private final ServerProcess server;
  private final Thread thread;
  private final long cpu0;
  private final long wall0 = System.nanoTime();
  private volatile boolean stop;
  private volatile double maxHeap;
  private volatile double maxRss;

  private ServerUsage(ServerProcess server) {
    this.server = server;
    this.cpu0 = server.cpuNanos();
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

  Peak stop() throws InterruptedException {
    stop = true;
    double wall = System.nanoTime() - wall0;
    double cpu = server.cpuNanos() - cpu0;
    thread.interrupt();
    thread.join(5_000);
    double mb = 1024 * 1024;
    return new Peak(maxHeap / mb, maxRss / mb, 100.0 * cpu / wall / Runtime.getRuntime().availableProcessors());
  }
}
