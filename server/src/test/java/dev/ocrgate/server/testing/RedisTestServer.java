package dev.ocrgate.server.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real {@code redis-server} child process for tests, on a free loopback port, with persistence
 * off ({@code --save '' --appendonly no}). It can be stopped and started again on the same port to
 * simulate an outage; {@link #close} always kills it (and a JVM shutdown hook does too, in case a
 * test run is aborted).
 *
 * <p>Not thread-safe: one test thread drives it. Use through {@link RedisServerExtension} or
 * try-with-resources.
 */
public final class RedisTestServer implements AutoCloseable {
  private static final long START_TIMEOUT_MS = 10_000;

  private final String executable;
  private final int port;
  private final Path workDir;
  private final List<String> extraArgs;
  private Process process;
  private final Thread killer = new Thread(this::kill, "redis-test-server-killer");

  private RedisTestServer(String executable, int port, Path workDir, List<String> extraArgs) {
    this.executable = executable;
    this.port = port;
    this.workDir = workDir;
    this.extraArgs = List.copyOf(extraArgs);
    Runtime.getRuntime().addShutdownHook(killer);
  }

  /** Starts redis-server on a free port; fails in CI, skips elsewhere, if it is not installed. */
  public static RedisTestServer start() {
    return start(List.of());
  }

  /**
   * Starts redis-server with more options (e.g. {@code --requirepass}, {@code --tls-port}); the
   * start counts as done when PING answers PONG or NOAUTH on the plain port.
   */
  public static RedisTestServer start(List<String> extraArgs) {
    String exe = ExternalTools.require("redis-server", "redis-server");
    try {
      Path dir = Files.createTempDirectory("ocrgate-redis");
      RedisTestServer server = new RedisTestServer(exe, freePort(), dir, extraArgs);
      server.startAgain();
      return server;
    } catch (IOException e) {
      throw new IllegalStateException("cannot start redis-server", e);
    }
  }

  /** The port, the same across stop/start. */
  public int port() {
    return port;
  }

  /** {@code redis://127.0.0.1:<port>} */
  public String url() {
    return "redis://127.0.0.1:" + port;
  }

  /** Whether the process is alive. */
  public boolean running() {
    return process != null && process.isAlive();
  }

  /** Kills the server (SIGKILL, like a crashed node) and waits until the port is closed. */
  public void stop() {
    kill();
  }

  /** Starts the server again on the same port and waits until it answers PING. */
  public void startAgain() {
    if (running()) {
      return;
    }
    List<String> cmd = new ArrayList<>(
        List.of(executable, "--port", Integer.toString(port), "--bind", "127.0.0.1",
            "--save", "", "--appendonly", "no", "--dir", workDir.toString(),
            "--daemonize", "no", "--loglevel", "warning"));
    cmd.addAll(extraArgs);
    try {
      process = new ProcessBuilder(cmd)
          .redirectErrorStream(true)
          .redirectOutput(workDir.resolve("redis.log").toFile())
          .start();
    } catch (IOException e) {
      throw new IllegalStateException("cannot run " + executable, e);
    }
    awaitPing();
  }

  /** Sends raw commands (inline protocol) and returns the first reply line, e.g. for FLUSHALL. */
  public String command(String inline) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", port), 500);
      s.setSoTimeout(2000);
      OutputStream out = s.getOutputStream();
      out.write((inline + "\r\n").getBytes(StandardCharsets.UTF_8));
      out.flush();
      return readLine(s.getInputStream());
    } catch (IOException e) {
      return null;
    }
  }

  @Override
  public void close() {
    kill();
    try {
      Runtime.getRuntime().removeShutdownHook(killer);
    } catch (IllegalStateException shuttingDown) {
      // the hook is running or about to: it kills the process
    }
  }

  private void kill() {
    Process p = process;
    if (p == null) {
      return;
    }
    p.destroyForcibly();
    try {
      p.waitFor(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    process = null;
  }

  private void awaitPing() {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(START_TIMEOUT_MS);
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException("redis-server exited: see " + workDir.resolve("redis.log"));
      }
      String pong = command("PING");
      if ("+PONG".equals(pong) || (pong != null && pong.startsWith("-NOAUTH"))) {
        return;
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for redis-server");
      }
    }
    kill();
    throw new IllegalStateException("redis-server did not answer PING within " + START_TIMEOUT_MS + " ms");
  }

  private static String readLine(InputStream in) throws IOException {
    StringBuilder sb = new StringBuilder();
    int c;
    while ((c = in.read()) != -1 && c != '\n') {
      if (c != '\r') {
        sb.append((char) c);
      }
    }
    return sb.toString();
  }

  /** A free loopback port (e.g. for a second listener such as --tls-port). */
  public static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      s.setReuseAddress(true);
      return s.getLocalPort();
    }
  }
}
