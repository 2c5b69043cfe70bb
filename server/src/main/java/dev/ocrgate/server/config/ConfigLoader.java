package dev.ocrgate.server.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.ocrgate.cues.TextSimilarity;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads {@link OcrgateConfig}: defaults, then the YAML file, then {@code OCRGATE_*} environment
 * variables ({@link EnvOverrides}); the serve command applies its flags last. Unknown keys are
 * errors that name the key and its path, in the file and in the environment alike.
 */
public final class ConfigLoader {
  private static final Logger log = LoggerFactory.getLogger(ConfigLoader.class);
  private static final ObjectMapper YAML =
      new ObjectMapper(new YAMLFactory())
          .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);
  private static final Set<String> LOG_FORMATS = Set.of("text", "json");

  private ConfigLoader() {}

  /** The defaults, as documented on each field. */
  public static OcrgateConfig defaults() {
    return new OcrgateConfig();
  }

  /** Loads {@code file} alone (no environment); a missing file, bad YAML or an unknown key is a {@link ConfigException}. */
  public static OcrgateConfig load(Path file) {
    return load(file, Map.of());
  }

  /**
   * The effective configuration: defaults, overridden by {@code file} (may be null: no file),
   * overridden by the {@code OCRGATE_*} entries of {@code env}. {@code OCRGATE_} names that are
   * neither keys nor known non-config variables are logged by name as warnings.
   *
   * @throws ConfigException for a missing file, bad YAML, an unknown key or a bad value
   */
  public static OcrgateConfig load(Path file, Map<String, String> env) {
    String source = file == null ? "the environment" : file + " or the environment";
    ObjectNode tree = file == null ? YAML.createObjectNode() : readTree(file);
    List<String> ignored = EnvOverrides.apply(tree, env);
    for (String name : ignored) {
      log.warn("ignoring environment variable {}: not an ocrgate configuration key", name);
    }
    OcrgateConfig config;
    try {
      config = YAML.treeToValue(tree, OcrgateConfig.class);
    } catch (UnrecognizedPropertyException e) {
      throw new ConfigException(unknownKey(e) + " in " + source, e);
    } catch (JsonProcessingException e) {
      throw new ConfigException("invalid config in " + source + ": " + e.getOriginalMessage(), e);
    }
    validate(config == null ? defaults() : config);
    return config == null ? defaults() : config;
  }

  /**
   * "unknown config key 'server.prot' (did you mean 'server.port'?)": the key's dotted path as the
   * user wrote it, and the closest key of that section within two edits.
   */
  static String unknownKey(UnrecognizedPropertyException e) {
    StringBuilder path = new StringBuilder();
    for (JsonMappingException.Reference r : e.getPath()) {
      if (r.getFieldName() != null) {
        path.append(path.length() == 0 ? "" : ".").append(r.getFieldName());
      } else if (r.getIndex() >= 0) {
        path.append('[').append(r.getIndex()).append(']');
      }
    }
    String key = path.toString();
    String prefix = key.substring(0, key.length() - e.getPropertyName().length());
    int[] wrote = e.getPropertyName().codePoints().toArray();
    String best = null;
    int bestDistance = 3; // beyond two edits a suggestion is a guess
    for (Object known : e.getKnownPropertyIds() == null ? List.of() : e.getKnownPropertyIds()) {
      int d = TextSimilarity.editDistance(wrote, known.toString().codePoints().toArray());
      if (d < bestDistance) {
        bestDistance = d;
        best = known.toString();
      }
    }
    return "unknown config key '" + key + "'" + (best == null ? "" : " (did you mean '" + prefix + best + "'?)");
  }

  private static ObjectNode readTree(Path file) {
    if (!Files.isRegularFile(file)) {
      throw new ConfigException("config file not found: " + file);
    }
    try {
      JsonNode node = YAML.readTree(file.toFile());
      if (node == null || node.isMissingNode() || node.isNull()) {
        return YAML.createObjectNode();
      }
      if (!(node instanceof ObjectNode o)) {
        throw new ConfigException("config " + file + " must be a YAML mapping of sections");
      }
      return o;
    } catch (JsonProcessingException e) {
      throw new ConfigException("cannot parse config " + file + ": " + e.getOriginalMessage(), e);
    } catch (IOException e) {
      throw new ConfigException("cannot read config " + file + ": " + e.getMessage(), e);
    }
  }

  /** Checks the values of the sections this package validates itself (log, metrics, server limits, TLS and auth values). */
  private static void validate(OcrgateConfig config) {
    if (config.server != null) {
      config.server.validate();
    }
    if (config.tls != null) {
      config.tls.validate();
    }
    if (config.auth != null) {
      config.auth.validate();
    }
    if (config.http != null) {
      config.http.validate();
    }
    if (config.log == null || !LOG_FORMATS.contains(config.log.format)) {
      throw new ConfigException("log.format must be one of " + LOG_FORMATS);
    }
    if (config.metrics != null && (config.metrics.port < 0 || config.metrics.port > 65535)) {
      throw new ConfigException("metrics.port must be in 0..65535");
    }
    if (config.metrics != null && (config.metrics.max_connections < 1 || config.metrics.request_timeout_seconds < 1)) {
      throw new ConfigException("metrics.max_connections and metrics.request_timeout_seconds must be >= 1");
    }
  }

  /**
   * Checks that every file the TLS and auth sections name is readable here. {@code serve} runs it
   * before building anything (through {@code ServerTls} and this method); {@code config check} runs
   * it unless told the config is for another machine. Kept apart from {@link #load} because a
   * config may be checked where its mounted files do not exist.
   *
   * @throws ConfigException naming the first unreadable file's key
   */
  public static void checkFiles(OcrgateConfig config) {
    config.tls.validateFiles();
    config.auth.validateFiles();
  }

  /** The mapper, for tests and for printing an effective config. */
  public static ObjectMapper yamlMapper() {
    return YAML.copy();
  }
}
