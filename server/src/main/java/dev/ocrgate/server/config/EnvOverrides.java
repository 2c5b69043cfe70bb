package dev.ocrgate.server.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Applies {@code OCRGATE_*} environment variables over the YAML tree read from the config file,
 * before it is bound, so that an override goes through the same validation as the file.
 *
 * <p>Rules (also in docs/configuration.md):
 * <ul>
 *   <li>a variable named after a key ({@link ConfigSchema#envName}) sets that key; numbers and
 *       booleans must parse, lists are comma-separated;
 *   <li>{@link #NOT_CONFIG} names belong to other tools (the launcher, the cert script, the token
 *       command) and are ignored;
 *   <li>any other {@code OCRGATE_} name that starts with a known section
 *       ({@code OCRGATE_SERVER_PROT}) is an error: it is almost certainly a typo, and a silently ignored override is worse than a refused start;
 *   <li>the remaining {@code OCRGATE_} names are logged as warnings by name (never by value).
 * </ul>
 * Values are never logged or put in messages: a variable may hold a secret.
 */
public final class EnvOverrides {
  /** {@code OCRGATE_} variables that are not configuration keys. */
  public static final Set<String> NOT_CONFIG = Set.of(
      "OCRGATE_HOME", "OCRGATE_REPO_ROOT", "OCRGATE_JAVA_OPTS", "OCRGATE_CDS", "OCRGATE_JWT_SECRET",
      "OCRGATE_DEV_CERT_DAYS", "OCRGATE_TOKEN");

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private EnvOverrides() {}

  /**
   * Sets the keys named by {@code env} in {@code tree}.
   *
   * @return the names of {@code OCRGATE_} variables that were ignored (to warn about)
   * @throws ConfigException for a value that does not parse or an unknown name in a known section
   */
  public static List<String> apply(ObjectNode tree, Map<String, String> env) {
    ConfigSchema schema = ConfigSchema.get();
    Set<String> referenced = namedByEnvKeys(schema, tree);
    List<String> ignored = new ArrayList<>();
    for (Map.Entry<String, String> e : new TreeMap<>(env).entrySet()) {
      String name = e.getKey();
      if (!name.startsWith("OCRGATE_") || NOT_CONFIG.contains(name) || referenced.contains(name)) {
        continue;
      }
      Optional<ConfigSchema.Key> key =
          schema.keys().stream().filter(k -> k.envName().equals(name)).findFirst();
      if (key.isPresent()) {
        set(tree, key.get(), e.getValue(), name);
      } else if (looksLikeConfig(schema, name)) {
        throw new ConfigException("unknown configuration variable " + name
            + ": no such key (see docs/configuration.md for the names)");
      } else {
        ignored.add(name);
      }
    }
    return ignored;
  }

  /**
   * Variables that the configuration itself names as secret holders (keys ending in
   * {@code _env}, such as {@code auth.hs256_secret_env}): they are read by their component, not
   * keys, even when their name starts with a section's prefix.
   */
  private static Set<String> namedByEnvKeys(ConfigSchema schema, ObjectNode tree) {
    Set<String> names = new HashSet<>();
    OcrgateConfig defaults = new OcrgateConfig();
    for (ConfigSchema.Key key : schema.keys()) {
      if (!key.name().endsWith("_env") || key.field().getType() != String.class) {
        continue;
      }
      JsonNode fromFile = tree.at("/" + key.path().replace('.', '/'));
      if (fromFile.isTextual()) {
        names.add(fromFile.asText());
      }
      Object section = defaults;
      try {
        String[] parts = key.path().split("\\.");
        for (int i = 0; i < parts.length - 1 && section != null; i++) {
          section = section.getClass().getField(fieldName(schema, section.getClass(), parts[i])).get(section);
        }
        Object v = section == null ? null : key.field().get(section);
        if (v instanceof String str) {
          names.add(str);
        }
      } catch (ReflectiveOperationException e) {
        throw new IllegalStateException(e);
      }
    }
    return names;
  }

  private static String fieldName(ConfigSchema schema, Class<?> owner, String yamlName) {
    for (Field f : owner.getFields()) {
      JsonProperty jp = f.getAnnotation(JsonProperty.class);
      if ((jp != null && jp.value().equals(yamlName)) || f.getName().equals(yamlName)) {
        return f.getName();
      }
    }
    return yamlName;
  }

  private static boolean looksLikeConfig(ConfigSchema schema, String name) {
    for (String section : schema.sections()) {
      if (name.startsWith(ConfigSchema.envName(section) + "_")) {
        return true;
      }
    }
    return false;
  }

  /**
   * Sets {@code key} in {@code tree} from its string form, the one parsing rule for the
   * environment and for flags ({@code source} names the variable or flag in messages; the value
   * never appears in one).
   */
  static void set(ObjectNode tree, ConfigSchema.Key key, String raw, String source) {
    if (key.kind() == ConfigSchema.Kind.FILE_ONLY) {
      throw new ConfigException(source + ": " + key.path()
          + " can only be set in the config file");
    }
    String[] parts = key.path().split("\\.");
    ObjectNode node = tree;
    for (int i = 0; i < parts.length - 1; i++) {
      JsonNode child = node.get(parts[i]);
      node = child instanceof ObjectNode o ? o : node.putObject(parts[i]);
    }
    String leaf = parts[parts.length - 1];
    if (key.kind() == ConfigSchema.Kind.LIST) {
      ArrayNode list = node.putArray(leaf);
      for (String item : raw.split(",")) {
        if (!item.isBlank()) {
          list.add(item.strip());
        }
      }
    } else {
      node.set(leaf, scalar(key, raw.strip(), source));
    }
  }

  private static JsonNode scalar(ConfigSchema.Key key, String raw, String source) {
    Class<?> t = key.field().getType();
    try {
      if (t == int.class || t == Integer.class) {
        return NODES.numberNode(Integer.parseInt(raw));
      }
      if (t == long.class || t == Long.class) {
        return NODES.numberNode(Long.parseLong(raw));
      }
      if (t == double.class || t == Double.class || t == float.class || t == Float.class) {
        return NODES.numberNode(Double.parseDouble(raw));
      }
    } catch (NumberFormatException e) {
      throw new ConfigException(source + ": not a number (" + key.path() + ")");
    }
    if (t == boolean.class || t == Boolean.class) {
      String v = raw.toLowerCase(Locale.ROOT);
      if (!v.equals("true") && !v.equals("false")) {
        throw new ConfigException(source + ": expected true or false (" + key.path() + ")");
      }
      return NODES.booleanNode(v.equals("true"));
    }
    return NODES.textNode(raw);
  }
}
