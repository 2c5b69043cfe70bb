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
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place a configuration is made, as Armeria's {@code ServerBuilder.build()} is for its
 * server: it merges the layers, validates everything once and hands out a configuration that the
 * rest of the code only reads.
 *
 * <ol>
 *   <li><b>Merge</b>, lowest first, into one Jackson tree: the defaults (each field's initial
 *       value), the YAML file, the {@code OCRGATE_*} environment ({@link EnvOverrides}), and the
 *       overrides, given as key paths ({@code server.port → 0}: the serve command's flags and
 *       what dev mode derives from them). Environment and overrides parse a value one way
 *       ({@link EnvOverrides#set}). Unknown keys are errors that name the key path and the
 *       closest known key, whichever layer they come from.
 *   <li><b>Bind</b> the tree to {@link OcrgateConfig} (strict: unknown keys, nulls for numbers).
 *   <li><b>Validate</b> with {@link #validate}: every value range and every rule that ties keys
 *       together, for every section; {@code config check} and {@code serve} both get here, so
 *       they accept and refuse the same files with the same message. Whether the files a config
 *       names exist is {@link #checkFiles}, kept apart because a config may be checked on another
 *       machine.
 *   <li><b>Freeze</b>: {@link #validated} gives the server its own validated copy, its lists and
 *       maps unmodifiable; the server holds no other. Outside this package no production class
 *       writes a config field (ConfigArchitectureTest).
 * </ol>
 *
 * <p>Values the server derives from its configuration (the issuer's JWKS file the verifier
 * reads when no key source is configured, dev TLS material) are passed to their component
 * explicitly or added as an override layer before loading; they are never written into a loaded
 * configuration.
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
    return load(file, Map.of(), Map.of());
  }

  /** As {@link #load(Path, Map, Map)} without overrides. */
  public static OcrgateConfig load(Path file, Map<String, String> env) {
    return load(file, env, Map.of());
  }

  /**
   * The effective, validated configuration: defaults, overridden by {@code file} (may be null: no
   * file), by the {@code OCRGATE_*} entries of {@code env}, then by {@code overrides} (key path →
   * value as the environment writes it: numbers, booleans, comma-separated lists).
   * {@code OCRGATE_} names that are neither keys nor known non-config variables are logged by
   * name as warnings.
   *
   * @throws ConfigException for a missing file, bad YAML, an unknown key or a bad value
   */
  public static OcrgateConfig load(Path file, Map<String, String> env, Map<String, String> overrides) {
    String source = file == null ? "the environment" : file + " or the environment";
    ObjectNode tree = file == null ? YAML.createObjectNode() : readTree(file);
    List<String> ignored = EnvOverrides.apply(tree, env);
    for (String name : ignored) {
      log.warn("ignoring environment variable {}: not an ocrgate configuration key", name);
    }
    applyOverrides(tree, overrides);
    OcrgateConfig config = bind(tree, source);
    validate(config);
    return config;
  }

  /**
   * The server's configuration: a copy of {@code draft} (a configuration built in code, or one
   * from {@link #load}) that nothing else holds, validated ({@link #validate}, and
   * {@link #checkFiles}: the server runs on this machine), with unmodifiable lists and maps.
   * Later writes to {@code draft} do not reach it.
   *
   * @throws ConfigException for a bad value or file, with the message {@link #load} or
   *     {@link #checkFiles} gives for it
   */
  public static OcrgateConfig validated(OcrgateConfig draft) {
    if (draft == null) {
      throw new NullPointerException("config");
    }
    OcrgateConfig copy = bind(YAML.valueToTree(draft), "the configuration");
    validate(copy);
    checkFiles(copy);
    Freezer.freeze(copy);
    return copy;
  }

  /** Sets each override's key; an unknown key path is an error naming the closest known one. */
  private static void applyOverrides(ObjectNode tree, Map<String, String> overrides) {
    ConfigSchema schema = ConfigSchema.get();
    for (Map.Entry<String, String> o : new TreeMap<>(overrides).entrySet()) {
      ConfigSchema.Key key = schema.keys().stream().filter(k -> k.path().equals(o.getKey())).findFirst()
          .orElseThrow(() -> new ConfigException(unknownPath(schema, o.getKey())));
      EnvOverrides.set(tree, key, o.getValue(), o.getKey());
    }
  }

  private static String unknownPath(ConfigSchema schema, String path) {
    int[] wrote = path.codePoints().toArray();
    String best = null;
    int bestDistance = 3;
    for (ConfigSchema.Key k : schema.keys()) {
      int d = TextSimilarity.editDistance(wrote, k.path().codePoints().toArray());
      if (d < bestDistance) {
        bestDistance = d;
        best = k.path();
      }
    }
    return "unknown config key '" + path + "'" + (best == null ? "" : " (did you mean '" + best + "'?)");
  }

  private static OcrgateConfig bind(JsonNode tree, String source) {
    OcrgateConfig config;
    try {
      config = YAML.treeToValue(tree, OcrgateConfig.class);
    } catch (UnrecognizedPropertyException e) {
      throw new ConfigException(unknownKey(e) + " in " + source, e);
    } catch (JsonProcessingException e) {
      throw new ConfigException("invalid config in " + source + ": " + e.getOriginalMessage(), e);
    }
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

  /**
   * The one validator: every section's values, then the rules between sections. A section checks
   * its own keys in its {@code validate()} (the pattern for a new section: add a field to
   * {@link OcrgateConfig} and a line here); nothing outside this package validates configuration.
   *
   * @throws ConfigException naming the first bad key
   */
  public static void validate(OcrgateConfig config) {
    for (Object section : new Object[] {config.server, config.tls, config.dev, config.engine, config.ocr,
        config.auth, config.streaming, config.metrics, config.log, config.redis, config.rate_limit,
        config.issuer, config.models, config.http}) {
      if (section == null) {
        throw new ConfigException("every configuration section must be a mapping, not null");
      }
    }
    config.server.validate();
    config.tls.validate();
    config.ocr.validate();
    config.auth.validate();
    config.streaming.validate();
    config.redis.validate();
    config.issuer.validate();
    config.http.validate();
    if (!LOG_FORMATS.contains(config.log.format)) {
      throw new ConfigException("log.format must be one of " + LOG_FORMATS);
    }
    if (config.metrics.port < 0 || config.metrics.port > 65535) {
      throw new ConfigException("metrics.port must be in 0..65535");
    }
    if (config.metrics.max_connections < 1 || config.metrics.request_timeout_seconds < 1) {
      throw new ConfigException("metrics.max_connections and metrics.request_timeout_seconds must be >= 1");
    }
    if (config.issuer.enabled && config.issuer.access_ttl_seconds > config.auth.max_token_lifetime_seconds) {
      throw new ConfigException("issuer.access_ttl_seconds (" + config.issuer.access_ttl_seconds + ") exceeds"
          + " auth.max_token_lifetime_seconds (" + config.auth.max_token_lifetime_seconds
          + "): the verifier would refuse every token the issuer mints");
    }
  }

  /**
   * Checks that every file the TLS, auth and redis sections name is readable here. {@code serve}
   * runs it before building anything (and {@link #validated} again for the server's copy);
   * {@code config check} runs it unless told the config is for another machine. Kept apart from {@link #load} because a
   * config may be checked where its mounted files do not exist.
   *
   * @throws ConfigException naming the first unreadable file's key
   */
  public static void checkFiles(OcrgateConfig config) {
    config.tls.validateFiles();
    config.auth.validateFiles(config.issuer.createdJwksFile());
    config.redis.validateFiles();
  }

  /** The mapper, for tests and for printing an effective config. */
  public static ObjectMapper yamlMapper() {
    return YAML.copy();
  }
}
