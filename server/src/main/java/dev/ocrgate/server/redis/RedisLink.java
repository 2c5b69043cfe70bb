package dev.ocrgate.server.redis;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.SslOptions;
import io.lettuce.core.SslVerifyMode;
import io.lettuce.core.StaticCredentialsProvider;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.Delay;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One lettuce connection to the Redis server that holds the state shared by replicas (revoked
 * tokens, rate-limit buckets, refresh tokens). Every command has a bounded timeout; while the
 * server is unreachable commands fail at once ({@code REJECT_COMMANDS}) instead of queueing, and
 * lettuce reconnects in the background with a delay capped at one second.
 *
 * <p>If Redis is down when ocrgate starts, the first connection is attempted lazily by the
 * callers, at most once per {@link #CONNECT_RETRY_NANOS}, so the server still starts and each
 * store decides whether to fail open or closed.
 *
 * <p>Credentials: AUTH (password, optionally an ACL user) on every connection and reconnection;
 * TLS with {@code rediss://}, verifying the server's certificate chain and host name (against a
 * given CA file, or the JVM's trust store).
 *
 * <p>Thread-safe: the lettuce connection is thread-safe; {@code connection} is published through
 * a volatile field and created under {@code this}'s lock.
 */
public final class RedisLink implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(RedisLink.class);
  private static final long CONNECT_RETRY_NANOS = TimeUnit.MILLISECONDS.toNanos(500);

  private final RedisClient client;
  private final ClientResources resources;
  private final String target;
  private final LongSupplier nanoTime;
  private volatile StatefulRedisConnection<String, String> connection;
  private long lastAttemptNanos; // guarded by this
  private boolean attempted; // guarded by this

  private RedisLink(RedisURI uri, Duration timeout, Path tlsCaFile, LongSupplier nanoTime) {
    this.resources =
        ClientResources.builder()
            .reconnectDelay(Delay.exponential(Duration.ofMillis(20), Duration.ofSeconds(1), 2, TimeUnit.MILLISECONDS))
            .build();
    this.client = RedisClient.create(resources, uri);
    ClientOptions.Builder options =
        ClientOptions.builder()
            .autoReconnect(true)
            .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
            .timeoutOptions(TimeoutOptions.enabled(timeout))
            .socketOptions(SocketOptions.builder().connectTimeout(timeout).keepAlive(true).build());
    if (tlsCaFile != null) {
      options.sslOptions(SslOptions.builder().jdkSslProvider().trustManager(tlsCaFile.toFile()).build());
    }
    client.setOptions(options.build());
    this.target = uri.getHost() + ":" + uri.getPort();
    this.nanoTime = nanoTime;
  }

  /**
   * A link to {@code url} ({@code redis://host:port[/db]}, or {@code rediss://} for TLS) without
   * credentials. Does not connect yet. Log lines name {@link #target} only, never credentials
   * (the server's configuration refuses them in the URL: {@code RedisSection}).
   *
   * @param timeout bound on connecting and on every command
   */
  public static RedisLink create(String url, Duration timeout) {
    return create(url, timeout, null, null, null);
  }

  /**
   * A link to {@code url} that authenticates (AUTH, with the ACL user {@code username} when not
   * null) with {@code password} on every connection and reconnection, and with a
   * {@code rediss://} URL trusts the CA in {@code tlsCaFile} (null = the JVM's trust store); the
   * server certificate's host name is verified either way. The password is copied; the caller may
   * wipe its array. Does not connect yet.
   */
  public static RedisLink create(String url, Duration timeout, String username, char[] password, Path tlsCaFile) {
    RedisURI uri = RedisURI.create(url);
    uri.setTimeout(timeout);
    boolean user = username != null && !username.isBlank();
    if (password != null) {
      uri.setCredentialsProvider(new StaticCredentialsProvider(user ? username : null, password.clone()));
    } else if (user) {
      throw new IllegalArgumentException("a redis user name needs a password");
    }
    if (uri.isSsl()) {
      uri.setVerifyPeer(SslVerifyMode.FULL);
    }
    return new RedisLink(uri, timeout, tlsCaFile, System::nanoTime);
  }

  /** host:port, for log lines (never the password). */
  public String target() {
    return target;
  }

  /**
   * Synchronous commands on the shared connection.
   *
   * @throws RedisException when there is no connection (yet) or the server cannot be reached
   */
  public RedisCommands<String, String> sync() {
    StatefulRedisConnection<String, String> c = connection;
    if (c == null) {
      c = connect();
    }
    return c.sync();
  }

  /** True when connected (lettuce reconnects by itself after an outage). */
  public boolean connected() {
    StatefulRedisConnection<String, String> c = connection;
    return c != null && c.isOpen();
  }

  /**
   * Runs a Lua script by its SHA-1, loading it with EVAL when the server does not know it (first
   * use, or after a Redis restart emptied the script cache).
   */
  @SuppressWarnings("unchecked")
  public <T> T eval(LuaScript script, ScriptOutputType type, String[] keys, String... args) {
    RedisCommands<String, String> cmd = sync();
    try {
      return (T) cmd.evalsha(script.sha1(), type, keys, args);
    } catch (RedisNoScriptException e) {
      return (T) cmd.eval(script.source(), type, keys, args);
    }
  }

  private synchronized StatefulRedisConnection<String, String> connect() {
    if (connection != null) {
      return connection;
    }
    long now = nanoTime.getAsLong();
    if (attempted && now - lastAttemptNanos < CONNECT_RETRY_NANOS) {
      throw new RedisException("redis " + target + " unreachable (retrying)");
    }
    attempted = true;
    lastAttemptNanos = now;
    try {
      connection = client.connect();
      log.info("connected to redis {}", target);
      return connection;
    } catch (RedisException e) {
      log.warn("cannot connect to redis {}: {}", target, e.getClass().getSimpleName());
      throw e;
    }
  }

  @Override
  public void close() {
    StatefulRedisConnection<String, String> c = connection;
    if (c != null) {
      c.close();
    }
    client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    resources.shutdown(0, 2, TimeUnit.SECONDS);
  }
}
