package dev.ocrgate.server.redis;

import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.protobuf.services.HealthStatusManager;
import io.lettuce.core.RedisException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * PINGs the shared Redis once a second and reports the result: the gRPC health status of the
 * service name {@value #HEALTH_NAME} (SERVING / NOT_SERVING) and {@link #up()} for the
 * {@code ocrgate_redis_up} gauge; a change is logged once. The PING also makes the first connection
 * when Redis was down at startup.
 *
 * <p>The overall health ("") is left alone on purpose: with Redis down every replica is degraded
 * the same way (revocation-checked calls fail closed, rate limits fail open), and turning all of
 * them NOT_SERVING at once would also take down the calls that still work.
 *
 * <p>Thread-safe: one daemon thread writes {@code up}; readers see it through a volatile field.
 */
public final class RedisHealthWatcher implements AutoCloseable {
  /** The health service name that reflects Redis reachability. */
  public static final String HEALTH_NAME = "ocrgate.SharedState";
  private static final Logger log = LoggerFactory.getLogger(RedisHealthWatcher.class);

  private final RedisLink link;
  private final ScheduledExecutorService scheduler;
  private volatile HealthStatusManager health;
  private volatile boolean up;

  private RedisHealthWatcher(RedisLink link) {
    this.link = link;
    this.scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "ocrgate-redis-health");
      t.setDaemon(true);
      return t;
    });
  }

  /** A watcher of {@code link}, not started yet (close it even if never started). */
  public static RedisHealthWatcher create(RedisLink link) {
    return new RedisHealthWatcher(link);
  }

  /** Reports into {@code health}, checking at once and then every second. Call once. */
  public void start(HealthStatusManager health) {
    this.health = health;
    health.setStatus(HEALTH_NAME, ServingStatus.NOT_SERVING);
    scheduler.scheduleWithFixedDelay(this::check, 0, 1, TimeUnit.SECONDS);
  }

  /** The last known reachability. */
  public boolean up() {
    return up;
  }

  private void check() {
    boolean now;
    try {
      now = "PONG".equals(link.sync().ping());
    } catch (RedisException e) {
      now = false;
    }
    if (now != up) {
      up = now;
      health.setStatus(HEALTH_NAME, now ? ServingStatus.SERVING : ServingStatus.NOT_SERVING);
      if (now) {
        log.info("redis {} reachable: shared state available", link.target());
      } else {
        log.warn("redis {} UNREACHABLE: revocation-checked calls fail with UNAVAILABLE, rate limits fail open",
            link.target());
      }
    }
  }

  @Override
  public void close() {
    scheduler.shutdownNow();
  }
}
