package dev.ocrgate.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ocrgate.server.auth.RevocationStore;
import dev.ocrgate.server.auth.RevocationStore.StoreUnavailableException;
import dev.ocrgate.server.config.OcrgateConfig;
import dev.ocrgate.server.observability.Metrics;
import dev.ocrgate.server.testing.RedisServerExtension;
import dev.ocrgate.server.testing.SlowOcrService;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Shutdown closes the {@code onClose} resources last-added first, so that a resource added after
 * what it uses (the OCR pipeline after the metrics registry and Redis) can still use them while it
 * drains.
 */
class ShutdownOrderTest {
  @RegisterExtension static final RedisServerExtension REDIS = new RedisServerExtension();

  private static OcrgateConfig plaintextConfig() {
    OcrgateConfig config = new OcrgateConfig();
    config.server.port = 0;
    config.server.plaintext = true;
    config.server.drain_timeout_seconds = 5;
    config.auth.enabled = false;
    config.metrics.enabled = false;
    return config;
  }

  @Test
  void shutdown_closesResourcesInReverseOrderOfAdding_evenWhenOneFails() {
    List<String> closed = new CopyOnWriteArrayList<>();
    OcrgateServer server = OcrgateServer.builder(plaintextConfig())
        .addService(new SlowOcrService())
        .onClose(() -> closed.add("first"))
        .onClose(() -> {
          closed.add("second");
          throw new IllegalStateException("close failed");
        })
        .onClose(() -> closed.add("third"))
        .build()
        .start();

    server.shutdownGracefully();

    assertThat(closed).containsExactly("third", "second", "first");
  }

  @Test
  void shutdown_pipelineAddedLast_stillReportsToMetricsAndRedisWhileItCloses() {
    OcrgateConfig config = plaintextConfig();
    config.redis.url = REDIS.server().url();
    config.redis.timeout_ms = 2000;
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    Metrics metrics = Metrics.using(registry);
    // Registered as ServerAssembly does: metrics, then shared state, then the OCR pipeline.
    OcrgateServer.Builder builder = OcrgateServer.builder(config).metrics(metrics).onClose(metrics);
    SharedState state = SharedState.open(config, builder, metrics, Clock.systemUTC());
    List<String> seenWhileDraining = new CopyOnWriteArrayList<>();
    builder.addService(new SlowOcrService()).onClose(() -> {
      seenWhileDraining.add(registry.isClosed() ? "metrics closed" : "metrics open");
      metrics.queueWait("det", 1_000_000);
      try {
        state.revocations().isRevoked(RevocationStore.Scope.of("ocrgate", "acme"), "jti-1", "alice", Instant.now());
        seenWhileDraining.add("redis answered");
      } catch (StoreUnavailableException e) {
        seenWhileDraining.add("redis unavailable");
      }
    });
    OcrgateServer server = builder.build().start();

    server.shutdownGracefully();

    assertThat(seenWhileDraining).containsExactly("metrics open", "redis answered");
    assertThat(registry.find("ocrgate.batch.queue.wait").tag("queue", "det").timer().count()).isEqualTo(1);
    assertThat(registry.isClosed()).isTrue();
  }
}
