package dev.ocrgate.server;

import dev.ocrgate.server.config.ConfigException;
import dev.ocrgate.server.config.ConfigLoader;
import dev.ocrgate.server.config.OcrgateConfig;
import dev.ocrgate.server.gateway.HttpGateway;
import dev.ocrgate.server.gateway.StaticResources;
import dev.ocrgate.server.gateway.WebPage;
import dev.ocrgate.server.observability.HealthReporter;
import dev.ocrgate.server.observability.Metrics;
import dev.ocrgate.server.observability.ObservabilityHttpServer;
import dev.ocrgate.server.tls.ServerTls;
import io.grpc.BindableService;
import io.grpc.Server;
import io.grpc.ServerBuilder;
import io.grpc.ServerInterceptor;
import io.grpc.ServerServiceDefinition;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.protobuf.services.HealthStatusManager;
import io.grpc.protobuf.services.ProtoReflectionServiceV1;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gRPC server's lifecycle: bind (TLS unless plaintext is explicitly configured), register
 * health and reflection, warm up, report SERVING, and on shutdown report NOT_SERVING, stop
 * accepting calls, drain in-flight calls for a bounded time, then cancel what is left and close
 * the resources registered with {@link Builder#onClose}, last added first.
 *
 * <p>Health is NOT_SERVING from bind until every warm-up task has run, so a load balancer never
 * routes to a replica whose models are still loading.
 *
 * <p>Every resource a peer controls before it is authenticated has a limit from
 * {@code server.*} (see {@link EdgeLimits}); without TLS or without authentication the server
 * binds only loopback addresses unless {@code server.allow_insecure_non_loopback} is set.
 *
 * <p>Thread safety: {@link #start} and {@link #shutdownGracefully} may be called from any thread;
 * shutdown runs at most once.
 */
public final class OcrgateServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(OcrgateServer.class);

  private final OcrgateConfig config;
  private final List<ServerServiceDefinition> services;
  private final List<ServerInterceptor> interceptors;
  private final List<Runnable> warmUps;
  private final List<Consumer<HealthReporter>> servingHooks;
  private final List<Runnable> drainHooks;
  private final List<AutoCloseable> closeables;
  private final Map<String, String> startupFacts;
  private final Metrics metrics;
  private final HealthStatusManager health = new HealthStatusManager();
  private final AtomicBoolean shutdown = new AtomicBoolean();
  /** Guards the pair (overall, health's ""): they change together, and never after shutdown. */
  private final Object statusLock = new Object();
  /** What the health service reports for "" (set together with it under statusLock). */
  private volatile ServingStatus overall = ServingStatus.NOT_SERVING;
  private volatile Server server;
  private volatile ObservabilityHttpServer observability;
  private volatile HttpGateway http;
  private final StaticResources staticResources;

  private OcrgateServer(Builder b) {
    this.config = b.config;
    this.services = List.copyOf(b.services);
    this.interceptors = List.copyOf(b.interceptors);
    this.warmUps = List.copyOf(b.warmUps);
    this.servingHooks = List.copyOf(b.servingHooks);
    this.drainHooks = List.copyOf(b.drainHooks);
    this.closeables = List.copyOf(b.closeables);
    this.startupFacts = Map.copyOf(b.startupFacts);
    this.metrics = b.metrics;
    this.staticResources = b.staticResources;
  }

  /**
   * A builder for a server configured by {@code config}.
   *
   * @throws ConfigException when {@code config} is not valid ({@link ConfigLoader#validated}: the
   *     builder keeps a copy of it), or when the server
   *     would serve without TLS or without authentication on a non-loopback address without
   *     {@code server.allow_insecure_non_loopback}
   */
  public static Builder builder(OcrgateConfig config) {
    return new Builder(config);
  }

  /**
   * Binds and starts serving; returns once warm-up is done and health reports SERVING.
   *
   * @throws ConfigException when TLS material is missing or the port cannot be bound
   */
  public OcrgateServer start() {
    OcrgateConfig.ServerSection s = config.server;
    InetSocketAddress bind = new InetSocketAddress(s.host, s.port);
    MessageSizeLimits limits = EdgeLimits.messageSizeLimits(s);
    NettyServerBuilder nb = EdgeLimits.apply(NettyServerBuilder.forAddress(bind), s);
    if (s.plaintext) {
      log.warn(
          "PLAINTEXT MODE: TLS is off. Bearer tokens sent to this server can be read and replayed"
              + " by anyone on the network path. Use only behind a TLS-terminating proxy on the"
              + " same host.");
    } else {
      nb.sslContext(ServerTls.serverContext(config.tls));
    }
    addServicesAndInterceptors(nb, limits);
    setAll(ServingStatus.NOT_SERVING);
    if (metrics != null && config.metrics.enabled) {
      // Up before the gRPC port so that liveness answers (and readiness says 503) during warm-up.
      observability = ObservabilityHttpServer.start(config.metrics, metrics, this::servingStatus);
    }
    try {
      server = nb.build().start();
    } catch (IOException e) {
      closeObservability();
      throw new ConfigException("cannot listen on " + s.host + ":" + s.port + ": " + e.getMessage(), e);
    }
    startHttp(limits);
    for (Runnable warmUp : warmUps) {
      warmUp.run();
    }
    setAll(ServingStatus.SERVING);
    log.info(
        "ocrgate serving on {}:{} tls={}{}{}",
        s.host,
        port(),
        s.plaintext ? "off(PLAINTEXT)" : ("on client_auth=" + config.tls.client_auth),
        http == null ? "" : " http=" + config.http.bindHost(s.host) + ":" + httpPort(),
        startupFacts.entrySet().stream()
            .map(e -> " " + e.getKey() + "=" + e.getValue())
            .collect(Collectors.joining()));
    servingHooks.forEach(hook -> hook.accept(this::report));
    return this;
  }

  /**
   * The services, health, reflection, the message size limits and the interceptors, added the
   * same way to the gRPC port and to the HTTP port's in-process server: one policy for both.
   */
  private void addServicesAndInterceptors(ServerBuilder<?> b, MessageSizeLimits limits) {
    b.addStreamTracerFactory(limits);
    b.maxInboundMetadataSize(config.server.max_metadata_bytes);
    b.maxInboundMessageSize(Math.max(config.server.max_inbound_message_bytes, config.server.max_control_message_bytes));
    for (ServerServiceDefinition def : services) {
      b.addService(def);
    }
    b.addService(health.getHealthService());
    b.addService(ProtoReflectionServiceV1.newInstance());
    // ServerBuilder.intercept: the interceptor added last runs first. The size limits'
    // interceptor goes first, so it runs last, right before the handler asks for a message.
    b.intercept(limits.interceptor());
    // Callers list their interceptors outermost first, so add them in reverse.
    for (int i = interceptors.size() - 1; i >= 0; i--) {
      b.intercept(interceptors.get(i));
    }
  }

  /** The HTTP/JSON port when {@code http.enabled}: same TLS files, same services and interceptors. */
  private void startHttp(MessageSizeLimits limits) {
    if (!config.http.enabled) {
      return;
    }
    try {
      http = HttpGateway.start(config.http, config.http.bindHost(config.server.host),
          config.server.plaintext ? null : ServerTls.httpContext(config.tls), config.server.handshake_timeout_seconds,
          b -> addServicesAndInterceptors(b, limits),
          staticResources != null ? staticResources : WebPage.resources());
    } catch (RuntimeException e) {
      server.shutdownNow();
      closeObservability();
      throw e;
    }
  }

  /** The bound port (useful when configured with port 0). */
  public int port() {
    Server srv = server;
    if (srv == null) {
      throw new IllegalStateException("not started");
    }
    return srv.getPort();
  }

  /** The bound port of the HTTP/JSON endpoint, or -1 when it is not running. */
  public int httpPort() {
    HttpGateway h = http;
    return h == null ? -1 : h.port();
  }

  /** The bound port of the HTTP metrics/probe endpoint, or -1 when it is not running. */
  public int metricsPort() {
    ObservabilityHttpServer o = observability;
    return o == null ? -1 : o.port();
  }

  /**
   * The overall status the gRPC health service reports right now (service name ""), which only
   * this server sets; {@code /readyz} mirrors it.
   */
  public ServingStatus servingStatus() {
    return overall;
  }

  /**
   * The health service's manager, to report a dependency under its own service name (e.g.
   * {@code ocrgate.SharedState}). The overall status (service name "") belongs to this server:
   * set it only through start and shutdown.
   */
  public HealthStatusManager health() {
    return health;
  }

  /**
   * Drains and stops: NOT_SERVING, refuse new calls, wait up to {@code server.drain_timeout_seconds}
   * for in-flight calls, cancel the rest, close registered resources. Idempotent.
   *
   * @return true if every in-flight call finished within the drain time
   */
  public boolean shutdownGracefully() {
    if (!shutdown.compareAndSet(false, true)) {
      return true;
    }
    Server srv = server;
    boolean drained = true;
    synchronized (statusLock) {
      overall = ServingStatus.NOT_SERVING;
      health.enterTerminalState();
    }
    if (srv != null) {
      log.info("draining: NOT_SERVING, no new calls, waiting up to {} s for in-flight calls",
          config.server.drain_timeout_seconds);
      runDrainHooks();
      HttpGateway h = http;
      if (h != null) {
        h.shutdown();
      }
      srv.shutdown();
      try {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(config.server.drain_timeout_seconds);
        drained = srv.awaitTermination(config.server.drain_timeout_seconds, TimeUnit.SECONDS)
            && (h == null || h.awaitTermination(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS));
        if (!drained) {
          log.warn("drain time over: cancelling the calls still in flight");
          closeHttp();
          srv.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        srv.shutdownNow();
        drained = false;
      }
    }
    closeHttp();
    closeObservability();
    closeInReverse();
    log.info("stopped (drained={})", drained);
    return drained;
  }

  /**
   * Closes the {@link Builder#onClose} resources last-added first (as Guava's {@code Closer}
   * does): a resource is added after what it uses, so the OCR pipeline, draining, can still
   * report to the metrics registry and reach Redis, which were added before it. A failing close
   * is logged and does not stop the others.
   */
  private void closeInReverse() {
    for (int i = closeables.size() - 1; i >= 0; i--) {
      AutoCloseable c = closeables.get(i);
      try {
        c.close();
      } catch (Exception e) {
        log.warn("error while closing {}: {}", c, e.toString());
      }
    }
  }

  private void runDrainHooks() {
    for (Runnable hook : drainHooks) {
      try {
        hook.run();
      } catch (RuntimeException e) {
        log.warn("drain hook failed: {}", e.toString());
      }
    }
  }

  /** Blocks until the server has terminated. */
  public void awaitTermination() throws InterruptedException {
    Server srv = server;
    if (srv != null) {
      srv.awaitTermination();
    }
  }

  @Override
  public void close() {
    shutdownGracefully();
  }

  private void closeHttp() {
    HttpGateway h = http;
    if (h != null) {
      h.close();
    }
  }

  private void closeObservability() {
    ObservabilityHttpServer o = observability;
    if (o != null) {
      o.close();
    }
  }

  private void setAll(ServingStatus status) {
    synchronized (statusLock) {
      if (shutdown.get()) {
        return;
      }
      overall = status;
      health.setStatus(HealthStatusManager.SERVICE_NAME_ALL_SERVICES, status);
      for (ServerServiceDefinition def : services) {
        health.setStatus(def.getServiceDescriptor().getName(), status);
      }
    }
  }

  /** A dependency's report (see {@link HealthReporter}): "" moves the overall status too. */
  private void report(String service, ServingStatus status) {
    synchronized (statusLock) {
      if (shutdown.get()) {
        return;
      }
      if (service.equals(HealthStatusManager.SERVICE_NAME_ALL_SERVICES)) {
        overall = status;
      }
      health.setStatus(service, status);
    }
  }

  /** Collects services, interceptors, warm-up tasks and resources; validates as it goes. */
  public static final class Builder {
    private final OcrgateConfig config;
    private final List<ServerServiceDefinition> services = new ArrayList<>();
    private final List<ServerInterceptor> interceptors = new ArrayList<>();
    private final List<Runnable> warmUps = new ArrayList<>();
    private final List<Consumer<HealthReporter>> servingHooks = new ArrayList<>();
    private final List<Runnable> drainHooks = new ArrayList<>();
    private final List<AutoCloseable> closeables = new ArrayList<>();
    private final Map<String, String> startupFacts = new LinkedHashMap<>();
    private Metrics metrics;
    private StaticResources staticResources;

    private Builder(OcrgateConfig config) {
      if (config == null) {
        throw new NullPointerException("config");
      }
      // Checked here, before the caller loads models, so a refused config fails at once. The
      // server reads only its own validated copy.
      this.config = ConfigLoader.validated(config);
      EdgeLimits.refuseInsecureExposure(this.config);
    }

    /** Adds a service; its name also gets a health status. */
    public Builder addService(BindableService service) {
      return addService(service.bindService());
    }

    /** Adds a service definition (e.g. one already wrapped with per-service interceptors). */
    public Builder addService(ServerServiceDefinition def) {
      String name = def.getServiceDescriptor().getName();
      for (ServerServiceDefinition s : services) {
        if (s.getServiceDescriptor().getName().equals(name)) {
          throw new IllegalArgumentException("service " + name + " already added");
        }
      }
      services.add(def);
      return this;
    }

    /**
     * Adds a server-wide interceptor. Interceptors run in the order added: the first one added is
     * the outermost (sees the call first).
     */
    public Builder addInterceptor(ServerInterceptor interceptor) {
      interceptors.add(interceptor);
      return this;
    }

    /**
     * A task run at the start of a graceful shutdown, before the server stops taking calls, e.g.
     * telling long-lived streams to finish so that the drain does not wait for them to time out.
     * Must not block.
     */
    public Builder onDrain(Runnable task) {
      drainHooks.add(task);
      return this;
    }

    /** A task run after bind and before health turns SERVING (model warm-up). */
    public Builder warmUp(Runnable task) {
      warmUps.add(task);
      return this;
    }

    /**
     * A task run once health has turned SERVING, given where to report health, e.g. a watcher
     * that from then on reports a dependency's state (before, warm-up owns the status).
     */
    public Builder whenServing(Consumer<HealthReporter> task) {
      servingHooks.add(task);
      return this;
    }

    /**
     * A resource closed after the server has stopped, in reverse order of adding: add a resource
     * after the resources it uses (metrics and Redis before the OCR pipeline that reports to
     * them), so that it closes before them.
     */
    public Builder onClose(AutoCloseable resource) {
      closeables.add(resource);
      return this;
    }

    /** A fact for the one startup log line, e.g. {@code provider=CPU}. */
    public Builder startupFact(String key, String value) {
      startupFacts.put(key, value);
      return this;
    }

    /**
     * The meters that {@code /metrics} exposes; with {@code metrics.enabled} the server also
     * serves {@code /healthz} and {@code /readyz} on {@code metrics.port}. Not set: no endpoint.
     */
    public Builder metrics(Metrics metrics) {
      if (this.metrics != null) {
        throw new IllegalStateException("metrics already set");
      }
      this.metrics = metrics;
      return this;
    }

    /**
     * The files the HTTP port serves with GET (with {@code http.enabled}). Default: the browser
     * page, {@link WebPage#resources()}.
     */
    public Builder staticResources(StaticResources files) {
      this.staticResources = Objects.requireNonNull(files, "files");
      return this;
    }

    public OcrgateServer build() {
      return new OcrgateServer(this);
    }
  }
}
