package dev.ocrgate.server.upstream;

import dev.ocrgate.server.observability.HealthReporter;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import java.net.ConnectException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether the upstream answers: {@code GET {base}/health} (vLLM and llama.cpp's server answer 200
 * when ready) every {@code health_interval_ms}, and at once when a request could not connect. The
 * result is written to the gRPC health names given at {@link #start} (the model's own name
 * {@code ocrgate.model.<name>}, OcrService, and the overall {@code ""} when
 * {@code readiness_follows_upstream}) and to {@link #up()}; every change is logged in one line.
 *
 * <p>Thread-safe: probes run on the timer thread, one at a time (each waits for its answer, bounded
 * by the connect timeout); {@code up} is volatile.
 */
public final class UpstreamHealth {
  /** The prefix of a model's health name: {@code ocrgate.model.hunyuan-ocr}. */
  public static final String HEALTH_PREFIX = "ocrgate.model.";
  private static final Logger log = LoggerFactory.getLogger(UpstreamHealth.class);

  private final UpstreamClient client;
  private final String model;
  private final long intervalMillis;
  private final ScheduledExecutorService timer;
  private volatile boolean up;
  private volatile boolean known;
  private volatile HealthReporter health;
  private volatile List<String> names = List.of();

  private UpstreamHealth(UpstreamClient client, String model, long intervalMillis, ScheduledExecutorService timer) {
    this.client = client;
    this.model = model;
    this.intervalMillis = intervalMillis;
    this.timer = timer;
  }

  public static UpstreamHealth create(UpstreamClient client, String model, long intervalMillis,
      ScheduledExecutorService timer) {
    return new UpstreamHealth(client, model, intervalMillis, timer);
  }

  /** The last known state. */
  public boolean up() {
    return up;
  }

  /**
   * Probes once and waits for the answer (at most the connect timeout and a little): the startup
   * check, so the log says at once whether the upstream answers.
   */
  public boolean checkNow() {
    probe();
    return up;
  }

  /** Starts reporting into {@code health} under {@code names}, then probing periodically. Call once. */
  public void start(HealthReporter health, List<String> names) {
    this.names = List.copyOf(names);
    this.health = health;
    publish();
    timer.scheduleWithFixedDelay(this::probe, intervalMillis, intervalMillis, TimeUnit.MILLISECONDS);
  }

  /** A request could not connect: probe now rather than at the next tick. */
  public void reportUnreachable() {
    try {
      timer.execute(this::probe);
    } catch (RejectedExecutionException e) {
      // shutting down
    }
  }

  private synchronized void probe() {
    String why;
    try {
      int code = client.probe().get();
      why = code == 200 ? null : "health answered HTTP " + code;
    } catch (ExecutionException | CompletionException e) {
      why = reason(e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return;
    }
    set(why == null, why);
  }

  private void set(boolean now, String why) {
    boolean changed = !known || now != up;
    up = now;
    known = true;
    if (!changed) {
      return;
    }
    publish();
    if (now) {
      log.info("upstream {} answering: model {} SERVING", client.target(), model);
    } else {
      log.warn("upstream {} NOT ANSWERING ({}): model {} reports NOT_SERVING until it answers",
          client.target(), why, model);
    }
  }

  private void publish() {
    HealthReporter h = health;
    if (h == null) {
      return;
    }
    ServingStatus s = up ? ServingStatus.SERVING : ServingStatus.NOT_SERVING;
    for (String name : names) {
      h.report(name, s);
    }
  }

  private static String reason(Throwable t) {
    if (t instanceof HttpConnectTimeoutException) {
      return "connect timeout";
    }
    if (t instanceof ConnectException) {
      return "connection refused";
    }
    if (t instanceof HttpTimeoutException) {
      return "no answer in time";
    }
    return t == null ? "unknown" : t.getClass().getSimpleName();
  }
}
