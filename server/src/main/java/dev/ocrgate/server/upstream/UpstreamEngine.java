package dev.ocrgate.server.upstream;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.ocrgate.server.config.ConfigException;
import dev.ocrgate.server.config.YamlFile;
import dev.ocrgate.server.observability.HealthReporter;
import io.grpc.protobuf.services.HealthStatusManager;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A model set served by a remote OpenAI-compatible endpoint ({@code engine: openai_chat} in its
 * model.yaml): the HTTP client, the {@link UpstreamOcrPipeline} and the {@link UpstreamHealth}
 * watcher, built once from the validated configuration. No ONNX Runtime is loaded.
 *
 * <p>Closing refuses new requests and stops the timers and HTTP threads; call it after the server
 * has drained its calls. Thread-safe after construction.
 */
public final class UpstreamEngine implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(UpstreamEngine.class);
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
      .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);

  private final UpstreamModelConfig config;
  private final UpstreamKey key;
  private final UpstreamClient client;
  private final ExecutorService work;
  private final ScheduledExecutorService timers;
  private final ScheduledExecutorService healthTimer;
  private final UpstreamHealth health;
  private final UpstreamOcrPipeline pipeline;

  private UpstreamEngine(UpstreamModelConfig config, UpstreamKey key, UpstreamListener listener, Clock clock) {
    this.config = config;
    this.key = key;
    this.client = UpstreamClient.create(config, key);
    this.work = Executors.newFixedThreadPool(Math.max(2, Runtime.getRuntime().availableProcessors()),
        daemon("ocrgate-upstream-encode-"));
    ScheduledThreadPoolExecutor t = new ScheduledThreadPoolExecutor(1, daemon("ocrgate-upstream-timer-"));
    t.setRemoveOnCancelPolicy(true); // a deadline timer per request, cancelled when it is answered
    this.timers = t;
    this.healthTimer = Executors.newSingleThreadScheduledExecutor(daemon("ocrgate-upstream-health-"));
    this.health = UpstreamHealth.create(client, config.name, config.upstream.health_interval_ms, healthTimer);
    this.pipeline = UpstreamOcrPipeline.create(client, config, work, timers, listener,
        health::reportUnreachable, clock);
    listener.register(pipeline::inFlight, health::up);
  }

  /** True when the model folder's model.yaml says {@code engine: openai_chat}. */
  public static boolean isUpstream(Path modelDir) {
    Path yaml = modelDir.resolve("model.yaml");
    if (!Files.isRegularFile(yaml)) {
      return false; // the ONNX loader reports the missing file
    }
    try {
      JsonNode engine = YAML.readTree(yaml.toFile()).path("engine");
      return UpstreamModelConfig.ENGINE.equals(engine.asText(""));
    } catch (IOException e) {
      return false; // the ONNX loader reports the syntax error
    }
  }

  /**
   * Reads and validates {@code modelDir/model.yaml}.
   *
   * @throws ConfigException naming the file and the key
   */
  public static UpstreamModelConfig load(Path modelDir) {
    return YamlFile.read(modelDir.resolve("model.yaml"), UpstreamModelConfig.class, "model config",
        UpstreamModelConfig::validate);
  }


  /**
   * The engine for a validated {@code config}.
   *
   * @param env where {@code upstream.api_key_env} is looked up
   * @throws ConfigException when the API key or CA file cannot be read (naming the variable or
   *     file, never the key)
   */
  public static UpstreamEngine create(UpstreamModelConfig config, Function<String, String> env,
      UpstreamListener listener, Clock clock) {
    try {
      return new UpstreamEngine(config, UpstreamKey.load(config.upstream, env), listener, clock);
    } catch (IllegalArgumentException e) {
      throw new ConfigException(config.name + ": " + e.getMessage(), e);
    }
  }

  public UpstreamOcrPipeline pipeline() {
    return pipeline;
  }

  public String modelName() {
    return config.name;
  }

  /** For the startup line: where requests go and which task runs, never the key. */
  public String describe() {
    return client.target() + " model=" + config.upstream.served_model + " task=" + config.task().key()
        + (key.present() ? " key=" + key.source() : "");
  }

  /** The health names this engine writes: its own, OcrService's, and "" when readiness follows it. */
  public List<String> healthNames(String ocrServiceName) {
    List<String> names = new ArrayList<>(List.of(UpstreamHealth.HEALTH_PREFIX + config.name, ocrServiceName));
    if (config.upstream.readiness_follows_upstream) {
      names.add(HealthStatusManager.SERVICE_NAME_ALL_SERVICES);
    }
    return names;
  }

  /** Probes once; an unreachable upstream is logged in one line and does not stop the server. */
  public void checkOnce() {
    if (health.checkNow()) {
      log.info("upstream {} answers its health probe", client.target());
    }
  }

  /** Starts writing the upstream's state into {@code health} (after the server reported SERVING). */
  public void startHealth(HealthReporter manager, String ocrServiceName) {
    health.start(manager, healthNames(ocrServiceName));
  }

  public UpstreamHealth health() {
    return health;
  }

  @Override
  public void close() {
    pipeline.close();
    healthTimer.shutdownNow();
    timers.shutdown();
    work.shutdown();
    try {
      timers.awaitTermination(5, TimeUnit.SECONDS);
      work.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    timers.shutdownNow();
    work.shutdownNow();
    client.close();
  }

  @Override
  public String toString() {
    return "UpstreamEngine[" + config.name + " at " + client.target() + "]";
  }

  private static ThreadFactory daemon(String prefix) {
    AtomicInteger n = new AtomicInteger();
    return task -> {
      Thread t = new Thread(task, prefix + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }
}
