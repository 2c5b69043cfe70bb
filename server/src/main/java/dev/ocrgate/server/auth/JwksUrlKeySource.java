package dev.ocrgate.server.auth;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keys from a JWKS URL (an identity provider's {@code jwks_uri}).
 *
 * <p>Algorithm: the fetched set is a volatile immutable snapshot used for {@code ttl}; a task on
 * the injected scheduler refetches it every {@code ttl}. A lookup of an unknown kid triggers one
 * synchronous refetch, but at most once per {@code minRefetch} (so random kids cannot make us hammer
 * the provider). A failed fetch (timeout, non-200, bad JSON, body over 1 MiB) keeps the last good
 * set. Each fetch is bounded by {@code timeout} (connect and response).
 *
 * <p>Concurrency: lookups of known kids never lock. Fetches are serialized on {@code this}; the
 * rate-limit timestamp is read and written under that lock.
 */
final class JwksUrlKeySource implements KeySource {
  private static final Logger log = LoggerFactory.getLogger(JwksUrlKeySource.class);
  private static final int MAX_BODY_BYTES = 1 << 20;

  private final URI uri;
  private final HttpClient http;
  private final Clock clock;
  private final Duration timeout;
  private final long minRefetchMillis;
  private final ScheduledFuture<?> refresher;
  private volatile KeySet keys = KeySet.EMPTY;
  // @GuardedBy("this")
  private long lastForcedFetchMillis = Long.MIN_VALUE / 2;

  private JwksUrlKeySource(URI uri, Clock clock, Duration ttl, Duration minRefetch, Duration timeout,
      ScheduledExecutorService scheduler) {
    this.uri = Objects.requireNonNull(uri, "uri");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.timeout = timeout;
    this.minRefetchMillis = minRefetch.toMillis();
    this.http = HttpClient.newBuilder().connectTimeout(timeout)
        .followRedirects(HttpClient.Redirect.NEVER).build();
    fetch();
    long ttlMs = Math.max(1, ttl.toMillis());
    this.refresher = scheduler.scheduleWithFixedDelay(this::fetch, ttlMs, ttlMs, TimeUnit.MILLISECONDS);
  }

  /**
   * Fetches once now (a failure is logged, the set starts empty) and schedules refreshes every
   * {@code ttl} on {@code scheduler}.
   */
  static JwksUrlKeySource start(URI uri, Clock clock, Duration ttl, Duration minRefetch,
      Duration timeout, ScheduledExecutorService scheduler) {
    String scheme = uri.getScheme();
    if (!"https".equalsIgnoreCase(scheme) && !"http".equalsIgnoreCase(scheme)) {
      throw new IllegalArgumentException("auth.jwks_url must be http(s), not " + scheme);
    }
    if ("http".equalsIgnoreCase(scheme)) {
      log.warn("auth.jwks_url uses plain http: keys can be swapped on the network path; use https");
    }
    return new JwksUrlKeySource(uri, clock, ttl, minRefetch, timeout, scheduler);
  }

  @Override
  public VerificationKey find(String kid) {
    VerificationKey k = keys.find(kid);
    if (k != null) {
      return k;
    }
    synchronized (this) {
      k = keys.find(kid); // a concurrent fetch may have brought it
      long now = clock.millis();
      if (k != null || now - lastForcedFetchMillis < minRefetchMillis) {
        return k;
      }
      lastForcedFetchMillis = now;
      fetch();
      return keys.find(kid);
    }
  }

  /** Fetches and swaps in the set; keeps the previous one on any failure. Returns success. */
  synchronized boolean fetch() {
    try {
      HttpRequest req = HttpRequest.newBuilder(uri).timeout(timeout)
          .header("Accept", "application/json").GET().build();
      HttpResponse<InputStream> resp = http.send(req, HttpResponse.BodyHandlers.ofInputStream());
      try (InputStream body = resp.body()) {
        if (resp.statusCode() != 200) {
          throw new IOException("HTTP " + resp.statusCode());
        }
        byte[] bytes = body.readNBytes(MAX_BODY_BYTES + 1);
        if (bytes.length > MAX_BODY_BYTES) {
          throw new IOException("body over " + MAX_BODY_BYTES + " bytes");
        }
        KeySet fresh = KeySet.parseJwks(new String(bytes, StandardCharsets.UTF_8));
        keys = fresh;
        log.debug("JWKS {}: kids {}", uri, fresh.kids());
        return true;
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (IOException | RuntimeException e) {
      log.warn("JWKS fetch from {} failed ({}: {}); keeping the {} keys we have", uri,
          e.getClass().getSimpleName(), e.getMessage(), keys.size());
    }
    return false;
  }

  @Override
  public void close() {
    refresher.cancel(false);
  }
}
