package dev.ocrgate.server.upstream;

import dev.ocrgate.server.http.LimitedBody;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.Collection;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * The HTTP side of one upstream: {@code POST {base}/v1/chat/completions} and
 * {@code GET {base}/health} on the JDK's {@link HttpClient} (HTTP/1.1, as vLLM's and llama.cpp's
 * servers speak it; no h2c upgrade attempt), with the configured connect timeout, TLS trust and
 * API key, and answer bodies bounded by {@code max_response_bytes}. Every request carries its own
 * timeout. Cancelling a returned future aborts its HTTP exchange.
 *
 * <p>Thread-safe: immutable after construction; the HttpClient is shared by all calls.
 */
public final class UpstreamClient implements AutoCloseable {
  private final HttpClient http;
  private final ExecutorService executor;
  private final URI chat;
  private final URI health;
  private final UpstreamKey key;
  private final int maxResponseBytes;
  private final Duration probeTimeout;

  private UpstreamClient(HttpClient http, ExecutorService executor, URI base, UpstreamKey key,
      int maxResponseBytes, Duration probeTimeout) {
    this.http = http;
    this.executor = executor;
    this.chat = URI.create(base + "/v1/chat/completions");
    this.health = URI.create(base + "/health");
    this.key = key;
    this.maxResponseBytes = maxResponseBytes;
    this.probeTimeout = probeTimeout;
  }

  /**
   * A client for the validated {@code config}.
   *
   * @throws IllegalArgumentException naming {@code upstream.ca_file} when it cannot be read
   */
  public static UpstreamClient create(UpstreamModelConfig config, UpstreamKey key) {
    UpstreamModelConfig.Upstream u = config.upstream;
    AtomicInteger n = new AtomicInteger();
    ExecutorService executor = Executors.newCachedThreadPool(task -> {
      Thread t = new Thread(task, "ocrgate-upstream-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
    HttpClient.Builder b = HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofMillis(u.connect_timeout_ms))
        .followRedirects(HttpClient.Redirect.NEVER)
        .executor(executor);
    if (u.ca_file != null) {
      b.sslContext(trusting(Path.of(u.ca_file)));
    }
    return new UpstreamClient(b.build(), executor, config.baseUri(), key, u.max_response_bytes,
        Duration.ofMillis(u.connect_timeout_ms));
  }

  /** An SSL context trusting exactly the certificates of the PEM bundle {@code caFile}. */
  static SSLContext trusting(Path caFile) {
    try (InputStream in = Files.newInputStream(caFile)) {
      Collection<? extends Certificate> certs = CertificateFactory.getInstance("X.509").generateCertificates(in);
      if (certs.isEmpty()) {
        throw new IllegalArgumentException("upstream.ca_file holds no certificate: " + caFile);
      }
      KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
      store.load(null, null);
      int i = 0;
      for (Certificate c : certs) {
        store.setCertificateEntry("ca-" + i++, c);
      }
      TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(store);
      SSLContext ctx = SSLContext.getInstance("TLS");
      ctx.init(null, tmf.getTrustManagers(), null);
      return ctx;
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalArgumentException("upstream.ca_file: cannot read certificates from " + caFile, e);
    }
  }

  /** Sends one chat-completions request body; the future fails with the transport's exception. */
  public CompletableFuture<HttpResponse<byte[]>> post(byte[] body, Duration timeout) {
    HttpRequest.Builder r = HttpRequest.newBuilder(chat)
        .timeout(timeout)
        .header("Content-Type", "application/json")
        .header("Accept", "application/json")
        .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    if (key.present()) {
      r.header("Authorization", key.authorization());
    }
    return http.sendAsync(r.build(), LimitedBody.handler(maxResponseBytes));
  }

  /** {@code GET /health}: completes with the HTTP status, or fails when nothing answered in time. */
  public CompletableFuture<Integer> probe() {
    HttpRequest r = HttpRequest.newBuilder(health).timeout(probeTimeout).GET().build();
    return http.sendAsync(r, LimitedBody.handler(64 * 1024)).thenApply(HttpResponse::statusCode);
  }

  /** The chat-completions URL (for log lines; it carries no credentials). */
  public URI chatUri() {
    return chat;
  }

  /** The base URL as configured, without credentials. */
  public String target() {
    String s = chat.toString();
    return s.substring(0, s.length() - "/v1/chat/completions".length());
  }

  @Override
  public void close() {
    executor.shutdownNow();
  }
}
