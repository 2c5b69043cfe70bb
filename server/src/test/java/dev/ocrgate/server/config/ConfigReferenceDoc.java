package dev.ocrgate.server.config;

import java.io.IOException;
import java.lang.reflect.Field;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Builds the Markdown table of every configuration key from {@link ConfigSchema} (names, env
 * variables, types), a default {@link OcrgateConfig} (defaults) and the Javadoc of each field,
 * read from the server's sources (descriptions). Used by {@link ConfigReferenceDocTest}.
 */
final class ConfigReferenceDoc {
  static final String BEGIN = "<!-- BEGIN GENERATED: ConfigReferenceDocTest; edit the config classes, not this table -->";
  static final String END = "<!-- END GENERATED -->";

  private final Path sourceRoot;

  ConfigReferenceDoc(Path sourceRoot) {
    this.sourceRoot = sourceRoot;
  }

  String table() throws IOException {
    StringBuilder sb = new StringBuilder();
    sb.append("| key | environment | type | default | description |\n");
    sb.append("| --- | --- | --- | --- | --- |\n");
    Object defaults = new OcrgateConfig();
    for (ConfigSchema.Key k : ConfigSchema.get().keys()) {
      sb.append("| `").append(k.path()).append("` | ")
          .append(k.kind() == ConfigSchema.Kind.FILE_ONLY ? "(file only)" : "`" + k.envName() + "`")
          .append(" | ").append(typeName(k)).append(" | ").append(defaultOf(defaults, k))
          .append(" | ").append(description(k)).append(" |\n");
    }
    return sb.toString();
  }

  private static String typeName(ConfigSchema.Key k) {
    String t = k.field().getGenericType().getTypeName()
        .replace("java.lang.", "").replace("java.util.", "");
    return "`" + t + "`" + (k.kind() == ConfigSchema.Kind.LIST ? " (comma-separated in env)" : "");
  }

  private static String defaultOf(Object root, ConfigSchema.Key key) {
    Object v = root;
    try {
      for (String part : key.path().split("\\.")) {
        Field f = fieldNamed(v.getClass(), part);
        v = f.get(v);
        if (v == null) {
          return "(none)";
        }
      }
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(e);
    }
    if (v instanceof Collection<?> c) {
      return c.isEmpty() ? "[]" : "`" + c.stream().map(String::valueOf).collect(Collectors.joining(",")) + "`";
    }
    if (v instanceof Map<?, ?> m) {
      return m.isEmpty() ? "{}" : "(see file)";
    }
    String s = String.valueOf(v);
    return s.isEmpty() ? "`\"\"`" : "`" + s + "`";
  }

  private static Field fieldNamed(Class<?> c, String yamlName) throws NoSuchFieldException {
    for (ConfigSchema.Key k : ConfigSchema.get().keys()) {
      if (k.owner() == c && k.name().equals(yamlName)) {
        return k.field();
      }
    }
    for (Field f : c.getFields()) {
      com.fasterxml.jackson.annotation.JsonProperty jp =
          f.getAnnotation(com.fasterxml.jackson.annotation.JsonProperty.class);
      String name = jp != null && !jp.value().isEmpty() ? jp.value() : f.getName();
      if (name.equals(yamlName)) {
        return f;
      }
    }
    throw new NoSuchFieldException(yamlName);
  }

  /** The field's Javadoc, flattened to one Markdown line; "" when the source is not found. */
  private String description(ConfigSchema.Key k) throws IOException {
    Class<?> top = k.owner();
    while (top.getEnclosingClass() != null) {
      top = top.getEnclosingClass();
    }
    Path src = sourceRoot.resolve(top.getName().replace('.', '/') + ".java");
    if (!Files.isRegularFile(src)) {
      return "";
    }
    String body = classBody(Files.readString(src), k.owner().getSimpleName());
    Pattern p = Pattern.compile(
        "/\\*\\*((?:(?!\\*/).)*?)\\*/\\s*(?:@[\\w.]+(?:\\([^)]*\\))?\\s*)*public\\s+(?:final\\s+)?"
            + "[\\w<>,.?\\[\\] ]+?\\s+" + Pattern.quote(k.field().getName()) + "\\s*[=;]",
        Pattern.DOTALL);
    Matcher m = p.matcher(body);
    return m.find() ? flatten(m.group(1)) : "";
  }

  private static String classBody(String source, String simpleName) {
    Matcher m = Pattern.compile("\\bclass\\s+" + Pattern.quote(simpleName) + "\\b[^{]*\\{").matcher(source);
    if (!m.find()) {
      return "";
    }
    int depth = 1;
    int i = m.end();
    for (; i < source.length() && depth > 0; i++) {
      char c = source.charAt(i);
      depth += c == '{' ? 1 : c == '}' ? -1 : 0;
    }
    return source.substring(m.end(), i);
  }

  private static String flatten(String javadoc) {
    String s = javadoc.replaceAll("(?m)^\\s*\\*\\s?", " ")
        .replaceAll("\\{@code ([^}]*)}", "`$1`")
        .replaceAll("\\{@link(?:plain)? [\\w.]*#?([^}\\s]*)[^}]*}", "`$1`")
        .replaceAll("</?p>", " ")
        .replaceAll("\\s+", " ")
        .strip();
    return s.replace("|", "\\|");
  }
}
