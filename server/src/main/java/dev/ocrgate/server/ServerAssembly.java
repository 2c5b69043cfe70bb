package dev.ocrgate.server;

import dev.ocrgate.server.auth.DevKeys;
import dev.ocrgate.server.auth.JwtAuth;
import dev.ocrgate.server.auth.Principal;
import dev.ocrgate.server.auth.issuer.ClientRegistry;
import dev.ocrgate.server.auth.issuer.FailureThrottle;
import dev.ocrgate.server.auth.issuer.IssuerSettings;
import dev.ocrgate.server.auth.issuer.Issuers;
import dev.ocrgate.server.auth.issuer.JwksHttpEndpoint;
import dev.ocrgate.server.auth.issuer.KeyRing;
import dev.ocrgate.server.auth.issuer.PeerLimit;
import dev.ocrgate.server.auth.issuer.Revoker;
import dev.ocrgate.server.auth.issuer.SecretCheckGate;
import dev.ocrgate.server.config.AuthConfig;
import dev.ocrgate.server.config.ConfigException;
import dev.ocrgate.server.config.ConfigLoader;
import dev.ocrgate.server.config.IssuerSection;
import dev.ocrgate.server.config.OcrgateConfig;
import dev.ocrgate.server.config.RateLimitSection;
import dev.ocrgate.server.observability.GrpcServerMetrics;
import dev.ocrgate.server.observability.Metrics;
import dev.ocrgate.server.observability.PipelineMetrics;
import dev.ocrgate.server.ocr.OcrModule;
import dev.ocrgate.server.ratelimit.BucketSpec;
import dev.ocrgate.server.ratelimit.RateKey;
import dev.ocrgate.server.ratelimit.RateLimitInterceptor;
import dev.ocrgate.server.ratelimit.RateLimitPolicy;
import dev.ocrgate.server.stream.FrameDecoder;
import dev.ocrgate.server.stream.StreamFramesService;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wires the production server from a validated config: interceptors (outermost first), services,
 * warm-up tasks and the resources to close. The one place that knows every package; each package
 * knows only its own configuration section.
 *
 * <p>Interceptor order: metrics → authentication (revocation check) → rate limit (needs the
 * Principal) → services.
 */
public final class ServerAssembly {
  private static final Logger log = LoggerFactory.getLogger(ServerAssembly.class);

  private ServerAssembly() {}

  /** The server for {@code config}, not yet started. */
  public static OcrgateServer assemble(OcrgateConfig config) {
    return assemble(config, Clock.systemUTC());
  }

  /**
   * As {@link #assemble(OcrgateConfig)}, reading time for token checks, revocations and the issuer
   * from {@code clock} (tests move a fake one).
   */
  public static OcrgateServer assemble(OcrgateConfig draft, Clock clock) {
    OcrgateConfig config = ConfigLoader.validated(draft); // the one copy every component below reads
    Metrics metrics = Metrics.prometheus();
    OcrgateServer.Builder builder = OcrgateServer.builder(config).metrics(metrics);
    // Outermost: every call is counted and timed, including those the auth interceptor rejects.
    builder.addInterceptor(GrpcServerMetrics.create(metrics));
    builder.onClose(metrics);
    SharedState state = SharedState.open(config, builder, metrics, clock);
    IssuerKeys issuerKeys = issuerKeys(config, clock);
    addAuth(config, builder, state, issuerKeys, clock);
    addRateLimit(config, builder, state, metrics);
    addAuthService(config, builder, state, issuerKeys, clock, metrics);
    addOcr(config, builder, metrics);
    OcrgateServer server = builder.build();
    state.startHealth(server.health());
    return server;
  }

  /**
   * Models, engine, batched pipeline, Recognize and StreamFrames; warmed up before SERVING. On
   * shutdown the streams drain first (stop reading, answer accepted frames, end UNAVAILABLE), then
   * the server drains calls, then the pipeline's batchers drain.
   */
  private static void addOcr(OcrgateConfig config, OcrgateServer.Builder builder, Metrics metrics) {
    Path upstream = UpstreamAssembly.upstreamModelDir(config);
    if (upstream != null) {
      UpstreamAssembly.addOcr(config, upstream, builder, metrics); // a remote engine, no ONNX models
      return;
    }
    OcrModule ocr = OcrModule.create(config,
        provider -> PipelineMetrics.batches(metrics, "det", "detection", provider),
        provider -> PipelineMetrics.batches(metrics, "rec", "recognition", provider));
    metrics.registerQueueDepth("det", ocr.batchedPipeline().detectionBatcher()::queueDepth);
    metrics.registerQueueDepth("rec", ocr.batchedPipeline().recognitionBatcher()::queueDepth);
    ExecutorService prepare = StreamFramesService.preparationExecutor();
    // Stream frames may hold queue_share of the detection queue (every read frame queues one
    // detection item); the rest is kept for Recognize.
    int detectionQueue = ocr.batchedPipeline().detectionBatcher().policy().queueCapacity();
    StreamFramesService streams = StreamFramesService.create(ocr.pipeline(),
        FrameDecoder.of(ocr.imageDecoder()), prepare, config.streaming,
        config.streaming.framesInFlight(detectionQueue), PipelineMetrics.streams(metrics));
    metrics.registerStreamAdmission(streams::framesInFlight, streams::streamsWaiting);
    builder
        .addService(ocr.grpcService(streams::open).definition())
        .onDrain(streams::drain)
        .warmUp(ocr::warmUp)
        .onClose(prepare::shutdown)
        .onClose(ocr)
        .startupFact("provider", ocr.provider())
        .startupFact("models", ocr.modelName());
  }

  /** Authentication comes right after metrics: nothing else runs for a caller it refuses. */
  private static void addAuth(OcrgateConfig config, OcrgateServer.Builder builder, SharedState state,
      IssuerKeys issuerKeys, Clock clock) {
    if (!config.auth.enabled) {
      log.warn("AUTH DISABLED (auth.enabled: false): every caller can call every method");
      builder.startupFact("auth", "OFF");
      return;
    }
    Path devKeyDir = config.dev.enabled ? DevKeys.dir(Path.of(config.dev.certs_dir)) : null;
    Path issuerJwks = issuerKeys == null ? null : issuerKeys.jwksFile();
    JwtAuth auth = JwtAuth.fromConfig(config.auth, System::getenv, devKeyDir, issuerJwks, state.revocations(), clock);
    builder.addInterceptor(auth.interceptor()).onClose(auth).startupFact("auth", "jwt");
  }

  /** After authentication: charges the Principal's subject and tenant buckets. */
  private static void addRateLimit(OcrgateConfig config, OcrgateServer.Builder builder, SharedState state,
      Metrics metrics) {
    RateLimitSection rl = config.rate_limit;
    if (!rl.enabled) {
      return;
    }
    RateLimitPolicy policy;
    try {
      RateLimitPolicy.Builder b = RateLimitPolicy.builder(bucket(rl.subject), bucket(rl.tenant))
          .defaultCost(rl.default_cost).frameCost(rl.frame_cost);
      rl.tenants.forEach((tenant, spec) -> b.tenant(tenant, bucket(spec)));
      rl.method_costs.forEach(b::methodCost);
      policy = b.build();
    } catch (IllegalArgumentException e) {
      throw new ConfigException("rate_limit: " + e.getMessage(), e);
    }
    builder.addInterceptor(RateLimitInterceptor.create(state.rateLimiter(policy, metrics), policy, headers -> {
      Principal p = Principal.current();
      return p == null ? null : new RateKey(p.subject(), p.tenant());
    }, metrics));
    builder.startupFact("rate_limit", "subject=" + rl.subject.rate_per_second + "/s tenant=" + rl.tenant.rate_per_second + "/s");
  }

  private static BucketSpec bucket(RateLimitSection.Bucket b) {
    return new BucketSpec(b.rate_per_second, b.burst);
  }

  /**
   * The issuer's key ring (created on first start) and the JWKS file it publishes: a value derived
   * from the configuration, handed to the verifier explicitly (it reads it when it has no key
   * source of its own, so the issued tokens verify here too), never written into the config.
   */
  private record IssuerKeys(Supplier<KeyRing> ring, Path jwksFile) {}

  private static IssuerKeys issuerKeys(OcrgateConfig config, Clock clock) {
    IssuerSection is = config.issuer;
    if (!is.enabled) {
      return null;
    }
    Path dir = Path.of(is.keys_dir);
    try {
      return new IssuerKeys(Issuers.reloadingKeyRing(dir, is.algorithm, clock), is.createdJwksFile());
    } catch (IOException | RuntimeException e) {
      throw new ConfigException("issuer: cannot create or read signing keys in " + dir + " ("
          + e.getClass().getSimpleName() + ")", e);
    }
  }

  /**
   * AuthService: the whole issuer when it is on; RevokeToken alone when only authentication is on
   * (tokens from an external identity provider can be revoked too); nothing when both are off.
   */
  private static void addAuthService(OcrgateConfig config, OcrgateServer.Builder builder, SharedState state,
      IssuerKeys issuerKeys, Clock clock, Metrics metrics) {
    IssuerSection is = config.issuer;
    if (!is.enabled) {
      if (config.auth.enabled) {
        builder.addService(Issuers.revocationService(revoker(config, state, Duration.ZERO, clock)));
      }
      return;
    }
    Supplier<KeyRing> keys = issuerKeys.ring();
    ClientRegistry clients = ClientRegistry.load(Path.of(is.clients_file));
    IssuerSettings settings = new IssuerSettings(config.auth.issuers.get(0), config.auth.audience,
        config.auth.tenant_claim, Duration.ofSeconds(is.access_ttl_seconds), Duration.ofSeconds(is.refresh_ttl_seconds),
        Duration.ofSeconds(config.auth.clock_skew_seconds), is.max_failed_attempts,
        Duration.ofSeconds(is.failure_window_seconds), is.refresh_tokens,
        Duration.ofSeconds(is.refresh_max_lifetime_seconds));
    FailureThrottle throttle = state.failureThrottle(settings.maxFailures(), settings.failureWindow(), metrics);
    PeerLimit peers = PeerLimit.create(
        state.issuerPeerBudget(new BucketSpec(is.peer_calls_per_minute / 60, is.peer_burst), metrics), metrics);
    SecretCheckGate gate = SecretCheckGate.create(is.max_concurrent_secret_checks, Duration.ofSeconds(1));
    builder.addService(Issuers.authService(clients, keys, state.refreshTokens(), state.revocations(), throttle,
        gate, peers, settings, revoker(config, state, refreshRetention(settings), clock), clock));
    builder.startupFact("issuer", clients.size() + " clients, kid " + keys.get().current().kid());
    if (is.jwks_http_port >= 0) {
      // Bound at start (with the gRPC port), not at assembly, so a failed assembly leaks no socket.
      AtomicReference<JwksHttpEndpoint> http = new AtomicReference<>();
      builder.warmUp(() -> http.set(startJwksHttp(is, keys))).onClose(() -> {
        JwksHttpEndpoint h = http.get();
        if (h != null) {
          h.close();
        }
      });
    }
  }

  /**
   * How long a subject's cut-off must also cover refresh tokens: a chain started before it can be
   * redeemed until the chain's absolute end; none when the issuer issues no refresh tokens.
   */
  private static Duration refreshRetention(IssuerSettings settings) {
    return settings.refreshTokens() ? settings.refreshMaxLifetime() : Duration.ZERO;
  }

  /** RevokeToken's rules, with the verifier's issuers, maximum token lifetime and skew. */
  private static Revoker revoker(OcrgateConfig config, SharedState state, Duration refreshTtl, Clock clock) {
    AuthConfig auth = config.auth;
    try {
      return Revoker.create(state.revocations(), auth.issuers, Duration.ofSeconds(auth.max_token_lifetime_seconds),
          Duration.ofSeconds(auth.clock_skew_seconds), refreshTtl, clock);
    } catch (IllegalArgumentException e) {
      throw new ConfigException("auth: " + e.getMessage(), e);
    }
  }

  private static JwksHttpEndpoint startJwksHttp(IssuerSection is, Supplier<KeyRing> keys) {
    try {
      JwksHttpEndpoint http = JwksHttpEndpoint.start(is.jwks_http_host, is.jwks_http_port, () -> keys.get().jwksJson());
      log.info("JWKS on http://{}:{}{}", is.jwks_http_host, http.port(), JwksHttpEndpoint.PATH);
      return http;
    } catch (IOException e) {
      throw new ConfigException("issuer: cannot listen on " + is.jwks_http_host + ":" + is.jwks_http_port, e);
    }
  }
}
