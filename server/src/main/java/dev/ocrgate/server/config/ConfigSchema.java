package dev.ocrgate.server.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Every configuration key, found by reflection over {@link OcrgateConfig} and its section classes:
 * its dotted path, its environment variable and how a string from the environment becomes its
 * value. A section is a field whose type is a class of this project (package {@code dev.ocrgate});
 * every other public field is a key.
 *
 * <p>Environment names: {@code OCRGATE_} + the path with dots replaced by underscores, upper-case
 * ({@code server.drain_timeout_seconds} → {@code OCRGATE_SERVER_DRAIN_TIMEOUT_SECONDS}). Keys of
 * kind {@link Kind#FILE_ONLY} (maps, lists of objects) cannot be set from the environment.
 *
 * <p>Immutable and computed once; safe to share between threads.
 */
public final class ConfigSchema {
  /** How a key's value is written in the environment. */
  public enum Kind {
    /** A string, number, boolean or enum: the variable's value, parsed for the field's type. */
    SCALAR,
    /** A list of scalars: comma-separated, blanks around items trimmed, empty items dropped. */
    LIST,
    /** A map or a list of objects: settable in the YAML file only. */
    FILE_ONLY
  }

  /** One key. {@code field} is the Java field that holds it; {@code owner} its section class. */
  public record Key(String path, String envName, Kind kind, Field field, Class<?> owner) {
    /** The last path element (the YAML key). */
    public String name() {
      return path.substring(path.lastIndexOf('.') + 1);
    }
  }

  private static final ConfigSchema INSTANCE = new ConfigSchema(OcrgateConfig.class);

  private final List<Key> keys;
  private final List<String> sections;

  private ConfigSchema(Class<?> root) {
    List<Key> k = new ArrayList<>();
    List<String> s = new ArrayList<>();
    walk(root, "", k, s);
    this.keys = List.copyOf(k);
    this.sections = List.copyOf(s);
  }

  /** The schema of {@link OcrgateConfig}. */
  public static ConfigSchema get() {
    return INSTANCE;
  }

  /** Every key, in declaration order (sections depth-first). */
  public List<Key> keys() {
    return keys;
  }

  /** Every section path, e.g. {@code server}, {@code auth.jwks}. */
  public List<String> sections() {
    return sections;
  }

  /** The environment variable for {@code path}. */
  public static String envName(String path) {
    return "OCRGATE_" + path.replace('.', '_').toUpperCase(Locale.ROOT);
  }

  private static void walk(Class<?> type, String prefix, List<Key> keys, List<String> sections) {
    for (Field f : type.getDeclaredFields()) {
      int mod = f.getModifiers();
      if (Modifier.isStatic(mod) || !Modifier.isPublic(mod)) {
        continue;
      }
      JsonProperty jp = f.getAnnotation(JsonProperty.class);
      String name = jp != null && !jp.value().isEmpty() ? jp.value() : f.getName();
      String path = prefix.isEmpty() ? name : prefix + "." + name;
      if (isSection(f.getType())) {
        sections.add(path);
        walk(f.getType(), path, keys, sections);
      } else {
        keys.add(new Key(path, envName(path), kindOf(f), f, type));
      }
    }
  }

  private static boolean isSection(Class<?> c) {
    return !c.isEnum() && !c.isPrimitive() && c.getPackageName().startsWith("dev.ocrgate");
  }

  private static Kind kindOf(Field f) {
    if (Map.class.isAssignableFrom(f.getType())) {
      return Kind.FILE_ONLY;
    }
    if (Collection.class.isAssignableFrom(f.getType()) || f.getType().isArray()) {
      Type t = f.getGenericType();
      Type element = f.getType().isArray() ? f.getType().getComponentType()
          : t instanceof ParameterizedType p ? p.getActualTypeArguments()[0] : Object.class;
      return element instanceof Class<?> c && isScalar(c) ? Kind.LIST : Kind.FILE_ONLY;
    }
    return isScalar(f.getType()) ? Kind.SCALAR : Kind.FILE_ONLY;
  }

  static boolean isScalar(Class<?> c) {
    return c.isPrimitive() || c.isEnum() || c == String.class || Number.class.isAssignableFrom(c)
        || c == Boolean.class || c == Path.class || c == Duration.class;
  }
}
