package dev.ocrgate.server.auth;

import dev.ocrgate.server.http.LimitedBody;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keys from a JWKS URL (an identity provider's {@code jwks_uri}).
 *
 * <p>Algorithm: the fetched set is a volatile immutable snapshot used for {@code ttl}; a tick on
 * the injected {@code timers} refetches it every {@code ttl}. A lookup of an unknown kid triggers one
 * refetch and waits for it, but at most once per {@code minRefetch} (so random kids cannot make us
 * hammer the provider). A failed fetch (timeout, non-200, bad JSON, body over 1 MiB) keeps the last
 * good set.
 *
 * <p>Threads: fetches block on the network, so they run on the {@code io} executor, never on the
 * timers' thread (which also closes streams at token expiry and must never wait). At most one
 * fetch is in flight; each is bounded by {@code timeout} from its start to the last body byte (the
 * HTTP client's own timeout ends at the headers, so a provider that stalls its body would
 * otherwise hold the fetch, and every lookup waiting for it, forever).
 *
 * <p>Concurrency: lookups of known kids never lock. The fetch in flight and the rate-limit
 * timestamp are guarded by {@code flight}, which is never held while waiting; fetches themselves
 * are serialized on {@code this}.
 */
final class JwksUrlKeySource implements KeySource {
  private static final Logger log = LoggerFactory.getLogger(JwksUrlKeySource.class);
  private static final int MAX_BODY_BYTES = 1 << 20;

  private final URI uri;
  private final HttpClient http;
  private final Clock clock;
  private final Duration timeout;
  private final long minRefetchMillis;
  private final ExecutorService io;
  private final ScheduledFuture<?> refresher;
  private volatile KeySet keys = KeySet.EMPTY;
  private final Object flight = new Object();
  // @GuardedBy("flight")
  private Future<Boolean> inFlight;
  // @GuardedBy("flight")
  private long lastForcedFetchMillis = Long.MIN_VALUE / 2;

  private JwksUrlKeySource(URI uri, Clock clock, Duration ttl, Duration minRefetch, Duration timeout,
      ScheduledExecutorService timers, ExecutorService io) {
    this.uri = Objects.requireNonNull(uri, "uri");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.timeout = timeout;
    this.minRefetchMillis = minRefetch.toMillis();
    this.io = Objects.requireNonNull(io, "io");
    this.http = HttpClient.newBuilder().connectTimeout(timeout)
        .followRedirects(HttpClient.Redirect.NEVER).build();
    await(startFetch());
    long ttlMs = Math.max(1, ttl.toMillis());
    this.refresher = timers.scheduleWithFixedDelay(this::startFetch, ttlMs, ttlMs, TimeUnit.MILLISECONDS);
  }

  /**
   * Fetches once now (a failure is logged, the set starts empty; waits at most {@code timeout})
   * and refreshes every {@code ttl}: ticks on {@code timers}, fetches on {@code io} (both owned by
   * the caller).
   */
  static JwksUrlKeySource start(URI uri, Clock clock, Duration ttl, Duration minRefetch,
      Duration timeout, ScheduledExecutorService timers, ExecutorService io) {
    String scheme = uri.getScheme();
    if (!"https".equalsIgnoreCase(scheme) && !"http".equalsIgnoreCase(scheme)) {
      throw new IllegalArgumentException("auth.jwks_url must be http(s), not " + scheme);
    }
    if ("http".equalsIgnoreCase(scheme)) {
      log.warn("auth.jwks_url uses plain http: keys can be swapped on the network path; use https");
    }
    return new JwksUrlKeySource(uri, clock, ttl, minRefetch, timeout, timers, io);
  }

  @Override
  public VerificationKey find(String kid) {
    VerificationKey k = keys.find(kid);
    if (k != null) {
      return k;
    }
    Future<Boolean> fetching;
    synchronized (flight) {
      k = keys.find(kid); // a concurrent fetch may have brought it
      long now = clock.millis();
      boolean running = inFlight != null && !inFlight.isDone();
      if (k != null || (!running && now - lastForcedFetchMillis < minRefetchMillis)) {
        return k;
      }
      if (!running) {
        lastForcedFetchMillis = now;
      }
      fetching = startFetch();
    }
    await(fetching);
    return keys.find(kid);
  }

  /**
   * The fetch in flight, or a new one on {@code io}. Never blocks (the timers' refresh tick calls
   * it).
   */
  private Future<Boolean> startFetch() {
    synchronized (flight) {
      if (inFlight != null && !inFlight.isDone()) {
        return inFlight;
      }
      try {
        inFlight = io.submit(this::fetch);
      } catch (RejectedExecutionException e) {
        log.warn("JWKS fetch from {} not started (auth executor busy or closed); keeping the {} keys we have",
            uri, keys.size());
        inFlight = CompletableFuture.completedFuture(false);
      }
      return inFlight;
    }
  }

  /**
   * Waits for {@code f} at most {@code timeout} plus a second (a fetch's own bound, plus its start;
   * more only if it was queued behind other blocking work, and then the caller stops waiting).
   */
  private void await(Future<Boolean> f) {
    try {
      f.get(timeout.toNanos() + TimeUnit.SECONDS.toNanos(1), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      log.debug("JWKS fetch from {} still queued or running after {} ms; not waiting", uri, timeout.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | CancellationException e) {
      // fetch() logs its own failures
    }
  }

  /** Fetches and swaps in the set; keeps the previous one on any failure. Returns success. */
  synchronized boolean fetch() {
    try {
      HttpRequest req = HttpRequest.newBuilder(uri).timeout(timeout)
          .header("Accept", "application/json").GET().build();
      HttpResponse<byte[]> resp = send(req);
      if (resp.statusCode() != 200) {
        throw new IOException("HTTP " + resp.statusCode());
      }
      KeySet fresh = KeySet.parseJwks(new String(resp.body(), StandardCharsets.UTF_8));
      keys = fresh;
      log.debug("JWKS {}: kids {}", uri, fresh.kids());
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (IOException | RuntimeException e) {
      log.warn("JWKS fetch from {} failed ({}: {}); keeping the {} keys we have", uri,
          e.getClass().getSimpleName(), e.getMessage(), keys.size());
    }
    return false;
  }

  /**
   * The whole exchange, headers and body, within {@code timeout}: the HTTP client's own timeout
   * ends at the headers, and a blocking body read cannot be interrupted.
   */
  private HttpResponse<byte[]> send(HttpRequest req) throws IOException, InterruptedException {
    CompletableFuture<HttpResponse<byte[]>> exchange = http.sendAsync(req, LimitedBody.handler(MAX_BODY_BYTES));
    try {
      return exchange.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      exchange.cancel(true);
      throw new IOException("no complete answer within " + timeout.toMillis() + " ms");
    } catch (InterruptedException e) {
      exchange.cancel(true);
      throw e;
    } catch (ExecutionException e) {
      throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
    }
  }

  @Override
  public void close() {
    refresher.cancel(false);
  }
}
