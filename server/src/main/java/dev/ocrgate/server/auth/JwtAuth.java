package dev.ocrgate.server.auth;

import dev.ocrgate.server.config.AuthConfig;
import dev.ocrgate.server.config.ConfigException;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import javax.crypto.spec.SecretKeySpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds the production auth stack from {@link AuthConfig}: key sources, verifier, policy,
 * revocation store, timer and I/O threads and the {@link JwtAuthInterceptor}. Every configuration mistake is a
 * {@link ConfigException} at startup, never a surprise at the first call.
 *
 * <p>Each key source is trusted for one issuer ({@link IssuerBoundKeySource}; {@link #boundIssuer}
 * picks it), so with several issuers no key can sign for another issuer's {@code iss}. The HS256
 * secret is a key source only when {@code auth.algorithms} lists HS256.
 *
 * <p>Owns its threads and its key sources; {@link #close()} releases them. Timers and blocking work
 * are kept apart, so a slow network never delays a stream's expiry: one timer thread
 * ({@code ocrgate-auth-timer}: stream expiry closes, re-check ticks, JWKS refresh ticks and fetch
 * deadlines, none of which blocks) and a bounded pool for what does block ({@code
 * ocrgate-auth-io}, {@value #IO_THREADS} threads and at most {@value #IO_QUEUE} waiting tasks:
 * JWKS URL fetches, each bounded by {@code auth.jwks_url_timeout_ms}, and the streams' revocation
 * re-checks, bounded by the store's own timeout). The revocation store is owned by whoever created
 * it.
 */
public final class JwtAuth implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(JwtAuth.class);
  private static final int MIN_SECRET_BYTES = 32;
  /** Threads for blocking auth work: a JWKS fetch and a re-check can wait side by side. */
  static final int IO_THREADS = 2;
  /** Blocking tasks that may wait: at most one re-check per open stream, plus JWKS fetches. */
  static final int IO_QUEUE = 10_000;

  private final JwtAuthInterceptor interceptor;
  private final KeySource keys;
  private final ScheduledExecutorService timers;
  private final ExecutorService io;
  private final String summary;

  private JwtAuth(JwtAuthInterceptor interceptor, KeySource keys, ScheduledExecutorService timers,
      ExecutorService io, String summary) {
    this.interceptor = interceptor;
    this.keys = keys;
    this.timers = timers;
    this.io = io;
    this.summary = summary;
  }

  /**
   * @param env environment lookup (for the HS256 secret); {@code System::getenv} in production
   * @param devKeyDir where a dev key is made when no key source is configured; null outside dev mode
   * @param revocations the revocation store (in-memory for one node)
   */
  public static JwtAuth fromConfig(AuthConfig c, Function<String, String> env, Path devKeyDir,
      RevocationStore revocations, Clock clock) {
    return fromConfig(c, env, devKeyDir, null, revocations, clock);
  }

  /**
   * As {@link #fromConfig(AuthConfig, Function, Path, RevocationStore, Clock)}, also trusting
   * the built-in issuer's keys.
   *
   * @param issuerJwks the JWKS file the built-in issuer publishes: read (its keys bound to the
   *     first of {@code auth.issuers}, which the issuer signs as) when no key source other than
   *     the HS256 secret is configured; null when the issuer is off
   */
  public static JwtAuth fromConfig(AuthConfig c, Function<String, String> env, Path devKeyDir, Path issuerJwks,
      RevocationStore revocations, Clock clock) {
    ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor(daemon("ocrgate-auth-timer"));
    ExecutorService io = new ThreadPoolExecutor(IO_THREADS, IO_THREADS, 0, TimeUnit.MILLISECONDS,
        new ArrayBlockingQueue<>(IO_QUEUE), daemon("ocrgate-auth-io"));
    try {
      Set<String> algorithms = new LinkedHashSet<>(c.algorithms);
      List<KeySource> sources = new ArrayList<>();
      List<String> described = new ArrayList<>();
      addSecret(c, env, algorithms, sources, described);
      addPemKeys(c, sources, described);
      if (c.jwks_file != null && !c.jwks_file.isBlank()) {
        addJwksFile(c.jwks_file, boundIssuer(c, c.jwks_file_issuer, "auth.jwks_file_issuer"), c, clock, sources,
            described);
      }
      if (issuerJwks != null && !c.hasKeySourceOtherThanSecret() && !c.issuers.isEmpty()) {
        log.info("auth verifies the issuer's keys from {}", issuerJwks);
        addJwksFile(issuerJwks.toString(), c.issuers.get(0), c, clock, sources, described);
      }
      addJwksUrl(c, clock, timers, io, sources, described);
      if (sources.isEmpty()) {
        if (devKeyDir == null) {
          throw new ConfigException("auth: no key source configured; set auth.jwks_file, auth.jwks_url,"
              + " auth.pem_keys or the " + c.hs256_secret_env + " environment variable (or run serve"
              + " --dev, or set auth.enabled: false for a closed network)");
        }
        DevKeys.ensure(devKeyDir);
        addJwksFile(devKeyDir.resolve(SigningKeys.JWKS_FILE).toString(),
            boundIssuer(c, c.jwks_file_issuer, "auth.jwks_file_issuer"), c, clock, sources, described);
        log.warn("auth: dev signing key in {} (never for production)", devKeyDir);
      }
      KeySource keys = new CompositeKeySource(sources);
      JwtVerifier verifier = JwtVerifier.create(settings(c, algorithms), keys, clock);
      MethodPolicy policy = policy(c);
      JwtAuthInterceptor interceptor = JwtAuthInterceptor.builder(verifier, revocations, policy, timers)
          .clock(clock)
          .cacheMaxEntries(c.cache_max_entries)
          .closeStreamsOnExpiry(c.closesStreamsOnExpiry())
          .maxTokenBytes(c.max_token_bytes)
          .streamRecheck(Duration.ofSeconds(c.stream_revocation_recheck_seconds), io)
          .audit(c.audit)
          .build();
      if (!c.strict_typ) {
        log.warn("auth.strict_typ is false: tokens with typ JWT (e.g. ID tokens) are accepted as access tokens");
      }
      String summary = "algs=" + algorithms + " keys=" + described + " iss=" + c.issuers + " aud=" + c.audience;
      log.info("auth: {}", summary);
      return new JwtAuth(interceptor, keys, timers, io, summary);
    } catch (RuntimeException e) {
      timers.shutdownNow();
      io.shutdownNow();
      throw e instanceof ConfigException ? e : new ConfigException("auth: " + e.getMessage(), e);
    }
  }

  public JwtAuthInterceptor interceptor() {
    return interceptor;
  }

  /** Algorithms and key sources in effect, for the startup line (no key material). */
  public String summary() {
    return summary;
  }

  @Override
  public void close() {
    keys.close();
    timers.shutdownNow();
    io.shutdownNow();
  }

  private static ThreadFactory daemon(String prefix) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }

  /**
   * The HS256 secret, only when {@code auth.algorithms} lists HS256: a secret in the environment
   * alone never enables HMAC tokens.
   */
  private static void addSecret(AuthConfig c, Function<String, String> env, Set<String> algorithms,
      List<KeySource> sources, List<String> described) {
    String secret = c.hs256_secret_env == null ? null : env.apply(c.hs256_secret_env);
    boolean listed = algorithms.contains("HS256");
    if (secret == null || secret.isEmpty()) {
      if (listed) {
        throw new ConfigException("auth.algorithms lists HS256 but " + c.hs256_secret_env + " is not set");
      }
      return;
    }
    if (!listed) {
      log.warn("{} is set but auth.algorithms does not list HS256: the secret is ignored", c.hs256_secret_env);
      return;
    }
    byte[] bytes = secret.getBytes(StandardCharsets.UTF_8);
    if (bytes.length < MIN_SECRET_BYTES) {
      throw new ConfigException(c.hs256_secret_env + " is " + bytes.length
          + " bytes; HS256 needs at least 32 bytes (256 bits) of secret");
    }
    String iss = boundIssuer(c, c.hs256_issuer, "auth.hs256_issuer");
    sources.add(new IssuerBoundKeySource(
        KeySet.of(List.of(VerificationKey.of(c.hs256_kid, new SecretKeySpec(bytes, "HmacSHA256"), "HS256"))), iss));
    described.add("hs256-secret(kid=" + (c.hs256_kid == null ? "none" : c.hs256_kid) + ", iss=" + iss + ")");
  }

  /**
   * The issuer a key source may sign for: {@code configured} (which must be one of
   * {@code auth.issuers}), or the only accepted issuer; with several issuers it must be configured.
   */
  static String boundIssuer(AuthConfig c, String configured, String key) {
    if (configured != null && !configured.isBlank()) {
      if (!c.issuers.contains(configured)) {
        throw new ConfigException(key + " '" + configured + "' is not one of auth.issuers " + c.issuers);
      }
      return configured;
    }
    if (c.issuers.size() == 1) {
      return c.issuers.get(0);
    }
    throw new ConfigException(key + " must name which of auth.issuers " + c.issuers
        + " these keys sign for (a key is trusted for one issuer only)");
  }

  private static void addPemKeys(AuthConfig c, List<KeySource> sources, List<String> described) {
    Set<String> kids = new LinkedHashSet<>();
    for (AuthConfig.PemKey k : c.pem_keys) {
      if (k.kid == null || k.kid.isBlank() || k.path == null) {
        throw new ConfigException("auth.pem_keys entries need kid and path");
      }
      if (!kids.add(k.kid)) {
        throw new ConfigException("auth.pem_keys: two keys with kid " + k.kid);
      }
      String iss = boundIssuer(c, k.issuer, "auth.pem_keys[kid=" + k.kid + "].issuer");
      try {
        KeySet one = KeySet.of(List.of(VerificationKey.of(k.kid, PemKeys.read(Path.of(k.path)), null)));
        sources.add(new IssuerBoundKeySource(one, iss));
      } catch (IOException e) {
        throw new ConfigException("auth.pem_keys: " + e.getMessage(), e);
      }
      described.add("pem(" + k.kid + ", iss=" + iss + ")");
    }
  }

  private static void addJwksFile(String file, String iss, AuthConfig c, Clock clock, List<KeySource> sources,
      List<String> described) {
    try {
      sources.add(new IssuerBoundKeySource(
          JwksFileKeySource.open(Path.of(file), clock, Duration.ofMillis(c.jwks_file_check_interval_ms)), iss));
    } catch (IllegalArgumentException e) {
      throw new ConfigException("auth.jwks_file: " + e.getMessage(), e);
    }
    described.add("jwks-file(" + file + ", iss=" + iss + ")");
  }

  private static void addJwksUrl(AuthConfig c, Clock clock, ScheduledExecutorService timers,
      ExecutorService io, List<KeySource> sources, List<String> described) {
    if (c.jwks_url == null || c.jwks_url.isBlank()) {
      return;
    }
    String iss = boundIssuer(c, c.jwks_url_issuer, "auth.jwks_url_issuer");
    sources.add(new IssuerBoundKeySource(JwksUrlKeySource.start(URI.create(c.jwks_url), clock,
        Duration.ofSeconds(c.jwks_url_ttl_seconds), Duration.ofSeconds(c.jwks_url_min_refetch_seconds),
        Duration.ofMillis(c.jwks_url_timeout_ms), timers, io), iss));
    described.add("jwks-url(" + c.jwks_url + ", iss=" + iss + ")");
  }

  static JwtVerifier.Settings settings(AuthConfig c, Set<String> algorithms) {
    try {
      return JwtVerifier.Settings.builder()
          .algorithms(algorithms)
          .issuers(c.issuers)
          .audience(c.audience)
          .skew(Duration.ofSeconds(c.clock_skew_seconds))
          .strictTyp(c.strict_typ)
          .tenantClaim(c.tenant_claim)
          .maxLifetime(Duration.ofSeconds(c.max_token_lifetime_seconds))
          .build();
    } catch (IllegalArgumentException | NullPointerException e) {
      throw new ConfigException("auth: " + e.getMessage(), e);
    }
  }

  static MethodPolicy policy(AuthConfig c) {
    try {
      return MethodPolicy.of(c.public_methods, c.method_scopes);
    } catch (IllegalArgumentException e) {
      throw new ConfigException("auth: " + e.getMessage(), e);
    }
  }
}
