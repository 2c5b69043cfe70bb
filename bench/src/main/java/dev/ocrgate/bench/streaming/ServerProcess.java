package dev.ocrgate.bench.streaming;

import dev.ocrgate.server.auth.DevKeys;
import dev.ocrgate.server.auth.SigningKey;
import dev.ocrgate.server.auth.SigningKeys;
import dev.ocrgate.server.auth.TokenMinter;
import dev.ocrgate.server.testing.TestTls;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code ocrgate serve} started as its own process (through the {@code bin/ocrgate} launcher):
 * TLS with the test certificates, JWT auth with a signing key made here (tokens are minted with
 * it), metrics on a free port. Reads the server's heap from its {@code /metrics}, its RSS from
 * {@code /proc/<pid>/status} and its CPU time from the OS. Closing sends SIGTERM and waits for
 * the drain (then SIGKILL after 60 s).
 */
final class ServerProcess implements AutoCloseable {
  private static final Pattern SERVING = Pattern.compile("ocrgate serving on 127\\.0\\.0\\.1:(\\d+)");
  private static final Pattern METRICS = Pattern.compile("metrics and probes on [^:]+:(\\d+)");

  private final Process process;
  private final Path log;
  private final TokenMinter minter;
  private final HttpClient http = HttpClient.newHttpClient();
  private int port;
  private int metricsPort;

  private ServerProcess(Process process, Path log, TokenMinter minter) {
    this.process = process;
    this.log = log;
    this.minter = minter;
  }

  /** Starts the server and waits until it serves (models loaded and warmed up). */
  static ServerProcess start(Path launcher, Path workDir, Path models, Duration timeout)
      throws IOException, InterruptedException {
    Files.createDirectories(workDir);
    SigningKey key = DevKeys.ensure(workDir.resolve("jwt"));
    Path config = workDir.resolve("ocrgate.yaml");
    Files.writeString(config, String.join("\n",
        "server: {host: 127.0.0.1, port: 0, drain_timeout_seconds: 5}",
        "tls: {cert_chain: '" + TestTls.certs().serverCert() + "', private_key: '"
            + TestTls.certs().dir().resolve("server.key") + "'}",
        "models: ['" + models.toAbsolutePath() + "']",
        "auth: {jwks_file: '" + workDir.resolve("jwt").resolve(SigningKeys.JWKS_FILE) + "'}",
        "metrics: {enabled: true, port: 0}", ""));
    Path log = workDir.resolve("server.log");
    Process p = new ProcessBuilder(launcher.toString(), "serve", "--config", config.toString())
        .redirectErrorStream(true).redirectOutput(log.toFile())
        .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
    ServerProcess server = new ServerProcess(p, log, TokenMinter.of(key, "ocrgate", "tenant_id", Clock.systemUTC()));
    try {
      server.port = Integer.parseInt(server.await(SERVING, timeout));
      server.metricsPort = Integer.parseInt(server.await(METRICS, timeout));
    } catch (IOException | RuntimeException e) {
      server.close();
      throw e;
    }
    return server;
  }

  private String await(Pattern pattern, Duration timeout) throws IOException, InterruptedException {
    long until = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < until) {
      Matcher m = pattern.matcher(Files.readString(log, StandardCharsets.UTF_8));
      if (m.find()) {
        return m.group(1);
      }
      if (!process.isAlive()) {
        throw new IllegalStateException("ocrgate serve exited: " + Files.readString(log));
      }
      Thread.sleep(200);
    }
    throw new IllegalStateException("ocrgate serve did not log '" + pattern + "' within " + timeout);
  }

  int port() {
    return port;
  }

  long pid() {
    return process.pid();
  }

  /** A real token for {@code subject} with these scopes, valid one hour. */
  String token(String subject, List<String> scopes) {
    return minter.mint(subject, scopes, Duration.ofHours(1), "ocrgate", null);
  }

  /** Resident set size, bytes (VmRSS). */
  long rssBytes() throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid()), "status"))) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
      }
    }
    throw new IOException("no VmRSS for pid " + pid());
  }

  /** CPU time the server process used so far, nanoseconds. */
  long cpuNanos() {
    return process.toHandle().info().totalCpuDuration().map(Duration::toNanos).orElse(0L);
  }

  /** Heap in use (sum of {@code jvm_memory_used_bytes{area="heap"}}), bytes. */
  double heapBytes() throws IOException, InterruptedException {
    return metric("jvm_memory_used_bytes", "area=\"heap\"");
  }

  /** Sum of the samples of {@code name} whose labels contain {@code label}. */
  double metric(String name, String label) throws IOException, InterruptedException {
    String page = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + metricsPort + "/metrics"))
        .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString()).body();
    double sum = 0;
    for (String line : page.split("\n")) {
      if (line.startsWith(name + "{") && line.contains(label)) {
        sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
      }
    }
    return sum;
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      process.waitFor(10, TimeUnit.SECONDS);
    }
  }
}
