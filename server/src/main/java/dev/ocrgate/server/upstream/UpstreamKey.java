package dev.ocrgate.server.upstream;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Function;

/**
 * The upstream API key, read once at startup from the environment variable or file the model set
 * names, and sent as {@code Authorization: Bearer <key>}. Its value never appears in a log line,
 * an exception message or {@link #toString()}.
 */
public final class UpstreamKey {
  private static final UpstreamKey NONE = new UpstreamKey(null, "none");

  private final String value;
  private final String source;

  private UpstreamKey(String value, String source) {
    this.value = value;
    this.source = source;
  }

  /**
   * The key configured in {@code upstream}, or none.
   *
   * @param env the environment (System::getenv; tests pass a map)
   * @throws IllegalArgumentException naming the variable or file (never the value) when it is
   *     unset, unreadable or empty
   */
  public static UpstreamKey load(UpstreamModelConfig.Upstream upstream, Function<String, String> env) {
    if (upstream.api_key_env != null) {
      String v = env.apply(upstream.api_key_env);
      return of(v, "environment variable " + upstream.api_key_env);
    }
    if (upstream.api_key_file != null) {
      Path file = Path.of(upstream.api_key_file);
      try {
        return of(Files.readString(file, StandardCharsets.UTF_8), "file " + file);
      } catch (IOException e) {
        throw new IllegalArgumentException("upstream.api_key_file: cannot read " + file);
      }
    }
    return NONE;
  }

  private static UpstreamKey of(String raw, String source) {
    String v = raw == null ? "" : raw.strip();
    if (v.isEmpty()) {
      throw new IllegalArgumentException("upstream API key: " + source + " is unset or empty");
    }
    if (!v.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
      throw new IllegalArgumentException("upstream API key from " + source + " must be printable ASCII without spaces");
    }
    return new UpstreamKey(v, source);
  }

  /** True when a key is configured. */
  public boolean present() {
    return value != null;
  }

  /** The {@code Authorization} header value; only for the request builder. */
  String authorization() {
    return "Bearer " + value;
  }

  /** Where the key came from (for the startup log), never the key. */
  public String source() {
    return source;
  }

  @Override
  public String toString() {
    return present() ? "UpstreamKey[from " + source + ", ***]" : "UpstreamKey[none]";
  }
}
