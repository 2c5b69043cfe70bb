package dev.ocrgate.server.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Renders a configuration as YAML with secrets masked, for {@code ocrgate config check}: a
 * non-empty string (or non-empty list/map) whose key contains {@code private_key} or has a
 * word (split at {@code _ . / -}) {@code secret}, {@code password}, {@code passwd}, {@code token},
 * {@code tokens} or {@code credential(s)} becomes {@code ****}, anywhere in the tree — unless the
 * key only says where the secret lives (it ends in {@code _env}, {@code _file}, {@code _dir} or
 * {@code _path}: a variable name or a path, shown so the operator can check it). Anywhere, the
 * password of a URL's user info ({@code redis://user:PASSWORD@host}) becomes {@code ****}, and so
 * does a value holding PEM key material. Numbers and booleans under secret names (e.g. a token
 * lifetime) stay visible, and so do map keys such as the method name
 * {@code ocrgate.v1.AuthService/RevokeToken}.
 */
public final class ConfigPrinter {
  /** The mask that replaces a secret. */
  public static final String MASK = "****";

  private static final Pattern WORD = Pattern.compile("[_./\\-]+");
  private static final Pattern LOCATION_SUFFIX = Pattern.compile("_(env|file|dir|path)$");
  /** scheme://user:PASSWORD@ — group 1 keeps everything up to the password. */
  private static final Pattern URL_PASSWORD = Pattern.compile("^([a-zA-Z][a-zA-Z0-9+.-]*://[^/@:]*:)[^/@]*@");
  private static final Set<String> SECRET_WORDS = Set.of(
      "secret", "secrets", "password", "passwd", "token", "tokens", "credential", "credentials");
  private static final ObjectMapper OUT = new ObjectMapper(
      YAMLFactory.builder()
          .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
          .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
          .build());

  private ConfigPrinter() {}

  /** True when a key of this name holds a secret (not merely where one lives). */
  public static boolean isSecretName(String key) {
    String k = key.toLowerCase(Locale.ROOT);
    if (LOCATION_SUFFIX.matcher(k).find()) {
      return false;
    }
    if (k.contains("private_key")) {
      return true;
    }
    for (String word : WORD.split(k)) {
      if (SECRET_WORDS.contains(word)) {
        return true;
      }
    }
    return false;
  }

  /** {@code config} as YAML, secrets masked. */
  public static String maskedYaml(OcrgateConfig config) {
    JsonNode tree = OUT.valueToTree(config);
    mask(tree);
    try {
      return OUT.writeValueAsString(tree);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot render config", e);
    }
  }

  private static void mask(JsonNode node) {
    if (node instanceof ObjectNode obj) {
      List<Map.Entry<String, JsonNode>> fields = new ArrayList<>();
      obj.fields().forEachRemaining(fields::add);
      for (Map.Entry<String, JsonNode> f : fields) {
        if (isSecretName(f.getKey()) && hasSecretValue(f.getValue())) {
          obj.set(f.getKey(), TextNode.valueOf(MASK));
        } else if (f.getValue().isTextual()) {
          obj.set(f.getKey(), TextNode.valueOf(maskInText(f.getValue().asText())));
        } else {
          mask(f.getValue());
        }
      }
    } else if (node instanceof ArrayNode arr) {
      for (int i = 0; i < arr.size(); i++) {
        if (arr.get(i).isTextual()) {
          arr.set(i, TextNode.valueOf(maskInText(arr.get(i).asText())));
        } else {
          mask(arr.get(i));
        }
      }
    }
  }

  /** A URL's password and PEM key material, wherever they appear. */
  static String maskInText(String value) {
    if (value.contains("-----BEGIN") && value.contains("PRIVATE KEY")) {
      return MASK;
    }
    return URL_PASSWORD.matcher(value).replaceFirst("$1" + MASK + "@");
  }

  private static boolean hasSecretValue(JsonNode v) {
    return (v.isTextual() && !v.asText().isEmpty()) || v.isContainerNode() && !v.isEmpty();
  }
}
