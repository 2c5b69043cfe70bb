package dev.ocrgate.server.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Function;

/**
 * The Redis server holding state shared by replicas (the {@code redis:} section): revoked tokens,
 * rate-limit buckets and refresh tokens. Unset = every store is in-memory (one node).
 *
 * <p>Credentials never travel in the URL (it is printed by {@code config check} and logged): the
 * password comes from {@code password_file} (a mounted Secret) or from the environment variable
 * named by {@code password_env}, and is never logged or printed.
 */
public final class RedisSection {
  /**
   * {@code redis://host:port[/db]} or {@code rediss://} for TLS (the server certificate and host
   * name are verified). Default none (in-memory state). No user or password in the URL: see
   * {@code username}, {@code password_file}, {@code password_env}.
   */
  @JsonProperty public String url;
  /** Bound on connecting and on every command, milliseconds. Default 500. */
  @JsonProperty public int timeout_ms = 500;
  /** ACL user to AUTH as (Redis 6+); default none (the {@code default} user, e.g. with {@code requirepass}). */
  @JsonProperty public String username;
  /**
   * File holding the password (e.g. a mounted Kubernetes Secret); one trailing newline is
   * ignored. Default none. Takes precedence over {@code password_env}.
   */
  @JsonProperty public String password_file;
  /** Environment variable holding the password when no {@code password_file} is set. Default {@code OCRGATE_REDIS_PASSWORD}. */
  @JsonProperty public String password_env = "OCRGATE_REDIS_PASSWORD";
  /**
   * PEM file of the CA that signed the Redis server's certificate (with a {@code rediss://} URL);
   * default none (the JVM's trust store).
   */
  @JsonProperty public String tls_ca_file;

  /** True when a Redis URL is configured. */
  public boolean enabled() {
    return url != null && !url.isBlank();
  }

  /** Throws {@link ConfigException} naming the first bad key. */
  public void validate() {
    if (timeout_ms < 1 || timeout_ms > 60_000) {
      throw new ConfigException("redis.timeout_ms must be in [1, 60000], got " + timeout_ms);
    }
    if (!enabled()) {
      return;
    }
    if (!(url.startsWith("redis://") || url.startsWith("rediss://"))) {
      throw new ConfigException("redis.url must start with redis:// or rediss://");
    }
    if (hasUserInfo(url)) {
      throw new ConfigException("redis.url must not contain a user or password (it would be printed and logged): "
          + "use redis.username and redis.password_file or redis.password_env");
    }
    if (tls_ca_file != null && !tls_ca_file.isBlank()) {
      if (!url.startsWith("rediss://")) {
        throw new ConfigException("redis.tls_ca_file needs a rediss:// redis.url");
      }
    }
  }

  /** The CA file, when one is named, is readable (see {@link ConfigLoader#checkFiles}). */
  void validateFiles() {
    ConfigFiles.readableIfSet("redis.tls_ca_file", tls_ca_file);
  }

  /**
   * The password: the content of {@code password_file}, else the value of {@code password_env}
   * in {@code env}, else null (no AUTH, or AUTH with the user only). The caller wipes it.
   *
   * @throws ConfigException when the file cannot be read or is empty (never quoting its content)
   */
  public char[] password(Function<String, String> env) {
    if (password_file != null && !password_file.isBlank()) {
      String s;
      try {
        s = Files.readString(Path.of(password_file), StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new ConfigException("redis.password_file " + password_file + " cannot be read ("
            + e.getClass().getSimpleName() + ")");
      }
      s = s.endsWith("\r\n") ? s.substring(0, s.length() - 2) : s.endsWith("\n") ? s.substring(0, s.length() - 1) : s;
      if (s.isEmpty()) {
        throw new ConfigException("redis.password_file " + password_file + " is empty");
      }
      return s.toCharArray();
    }
    String v = password_env == null || password_env.isBlank() ? null : env.apply(password_env);
    return v == null || v.isEmpty() ? null : v.toCharArray();
  }

  private static boolean hasUserInfo(String url) {
    try {
      return new URI(url).getRawUserInfo() != null;
    } catch (URISyntaxException e) {
      throw new ConfigException("redis.url is not a valid URL");
    }
  }
}
