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
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Function;
import javax.crypto.spec.SecretKeySpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds the production auth stack from {@link AuthConfig}: key sources, verifier, policy,
 * revocation store, scheduler and the {@link JwtAuthInterceptor}. Every configuration mistake is a
 * {@link ConfigException} at startup, never a surprise at the first call.
 *
 * <p>Owns its scheduler (one daemon thread: JWKS refresh and stream-expiry timers) and its key
 * sources; {@link #close()} releases them. The revocation store is owned by whoever created it.
 */
public final class JwtAuth implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(JwtAuth.class);
  private static final int MIN_SECRET_BYTES = 32;

  private final JwtAuthInterceptor interceptor;
  private final KeySource keys;
  private final ScheduledExecutorService scheduler;
  private final String summary;

  private JwtAuth(JwtAuthInterceptor interceptor, KeySource keys, ScheduledExecutorService scheduler, String summary) {
    this.interceptor = interceptor;
    this.keys = keys;
    this.scheduler = scheduler;
    this.summary = summary;
  }

  /**
   * @param env environment lookup (for the HS256 secret); {@code System::getenv} in production
   * @param devKeyDir where a dev key is made when no key source is configured; null outside dev mode
   * @param revocations the revocation store (in-memory for one node)
   */
  public static JwtAuth fromConfig(AuthConfig c, Function<String, String> env, Path devKeyDir,
      RevocationStore revocations, Clock clock) {
    ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "ocrgate-auth");
      t.setDaemon(true);
      return t;
    });
    try {
      Set<String> algorithms = new LinkedHashSet<>(c.algorithms);
      List<KeySource> sources = new ArrayList<>();
      List<String> described = new ArrayList<>();
      addSecret(c, env, algorithms, sources, described);
      addPemKeys(c, sources, described);
      addJwksFile(c.jwks_file, c, clock, sources, described);
      addJwksUrl(c, clock, scheduler, sources, described);
      if (sources.isEmpty()) {
        if (devKeyDir == null) {
          throw new ConfigException("auth: no key source configured; set auth.jwks_file, auth.jwks_url,"
              + " auth.pem_keys or the " + c.hs256_secret_env + " environment variable (or run serve"
              + " --dev, or set auth.enabled: false for a closed network)");
        }
        DevKeys.ensure(devKeyDir);
        addJwksFile(devKeyDir.resolve(SigningKeys.JWKS_FILE).toString(), c, clock, sources, described);
      }
      if (c.stream_revocation_recheck_seconds < 0 || c.max_token_bytes <= 0 || c.cache_max_entries < 0
          || c.max_token_lifetime_seconds <= 0) {
        throw new ConfigException("auth: stream_revocation_recheck_seconds and cache_max_entries must be >= 0,"
            + " max_token_bytes and max_token_lifetime_seconds > 0");
      }
      KeySource keys = new CompositeKeySource(sources);
      JwtVerifier verifier = JwtVerifier.create(settings(c, algorithms), keys, clock);
      MethodPolicy policy = policy(c);
      JwtAuthInterceptor interceptor = JwtAuthInterceptor.create(verifier, revocations, policy,
          scheduler, clock, c.cache_max_entries, closeOnExpiry(c.stream_expiry), c.max_token_bytes,
          Duration.ofSeconds(c.stream_revocation_recheck_seconds), c.audit);
      String summary = "algs=" + algorithms + " keys=" + described + " iss=" + c.issuers + " aud=" + c.audience;
      log.info("auth: {}", summary);
      return new JwtAuth(interceptor, keys, scheduler, summary);
    } catch (RuntimeException e) {
      scheduler.shutdownNow();
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
    scheduler.shutdownNow();
  }

  private static void addSecret(AuthConfig c, Function<String, String> env, Set<String> algorithms,
      List<KeySource> sources, List<String> described) {
    String secret = c.hs256_secret_env == null ? null : env.apply(c.hs256_secret_env);
    if (secret == null || secret.isEmpty()) {
      if (algorithms.contains("HS256")) {
        throw new ConfigException("auth.algorithms lists HS256 but " + c.hs256_secret_env + " is not set");
      }
      return;
    }
    byte[] bytes = secret.getBytes(StandardCharsets.UTF_8);
    if (bytes.length < MIN_SECRET_BYTES) {
      throw new ConfigException(c.hs256_secret_env + " is " + bytes.length
          + " bytes; HS256 needs at least 32 bytes (256 bits) of secret");
    }
    algorithms.add("HS256");
    sources.add(KeySet.of(List.of(VerificationKey.of(c.hs256_kid, new SecretKeySpec(bytes, "HmacSHA256"), "HS256"))));
    described.add("hs256-secret(kid=" + (c.hs256_kid == null ? "none" : c.hs256_kid) + ")");
  }

  private static void addPemKeys(AuthConfig c, List<KeySource> sources, List<String> described) {
    List<VerificationKey> keys = new ArrayList<>();
    for (AuthConfig.PemKey k : c.pem_keys) {
      if (k.kid == null || k.kid.isBlank() || k.path == null) {
        throw new ConfigException("auth.pem_keys entries need kid and path");
      }
      try {
        keys.add(VerificationKey.of(k.kid, PemKeys.read(Path.of(k.path)), null));
      } catch (IOException e) {
        throw new ConfigException("auth.pem_keys: " + e.getMessage(), e);
      }
    }
    if (!keys.isEmpty()) {
      sources.add(KeySet.of(keys));
      described.add("pem" + keys.stream().map(VerificationKey::kid).toList());
    }
  }

  private static void addJwksFile(String file, AuthConfig c, Clock clock, List<KeySource> sources, List<String> described) {
    if (file == null || file.isBlank()) {
      return;
    }
    try {
      sources.add(JwksFileKeySource.open(Path.of(file), clock, Duration.ofMillis(c.jwks_file_check_interval_ms)));
    } catch (IllegalArgumentException e) {
      throw new ConfigException("auth.jwks_file: " + e.getMessage(), e);
    }
    described.add("jwks-file(" + file + ")");
  }

  private static void addJwksUrl(AuthConfig c, Clock clock, ScheduledExecutorService scheduler,
      List<KeySource> sources, List<String> described) {
    if (c.jwks_url == null || c.jwks_url.isBlank()) {
      return;
    }
    sources.add(JwksUrlKeySource.start(URI.create(c.jwks_url), clock,
        Duration.ofSeconds(c.jwks_url_ttl_seconds), Duration.ofSeconds(c.jwks_url_min_refetch_seconds),
        Duration.ofMillis(c.jwks_url_timeout_ms), scheduler));
    described.add("jwks-url(" + c.jwks_url + ")");
  }

  static JwtVerifier.Settings settings(AuthConfig c, Set<String> algorithms) {
    try {
      return JwtVerifier.Settings.of(algorithms, c.issuers, c.audience,
          Duration.ofSeconds(c.clock_skew_seconds), c.strict_typ, c.tenant_claim)
          .withMaxLifetime(Duration.ofSeconds(c.max_token_lifetime_seconds));
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

  private static boolean closeOnExpiry(String mode) {
    switch (mode == null ? "close" : mode.toLowerCase(Locale.ROOT)) {
      case "close":
        return true;
      case "allow":
        return false;
      default:
        throw new ConfigException("auth.stream_expiry must be close or allow, not '" + mode + "'");
    }
  }
}
