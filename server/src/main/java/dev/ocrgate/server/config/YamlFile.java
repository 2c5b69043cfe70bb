package dev.ocrgate.server.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;

/**
 * The one way a YAML settings file other than the server config (a model set's
 * {@code model.yaml}, local or remote engine) is read: strict about unknown keys and missing
 * primitives, validated once, every failure a {@link ConfigException} naming the file and the key.
 */
public final class YamlFile {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
      .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);

  private YamlFile() {}

  /**
   * {@code yaml} bound to {@code type}, then {@code validate}d (an IllegalArgumentException from
   * it becomes a ConfigException too).
   *
   * @param what what the file is, for messages ("model config")
   */
  public static <T> T read(Path yaml, Class<T> type, String what, Consumer<T> validate) {
    if (!Files.isRegularFile(yaml)) {
      throw new ConfigException(what + " not found: " + yaml);
    }
    try {
      T value = YAML.readValue(yaml.toFile(), type);
      if (value == null) {
        throw new ConfigException(what + " is empty: " + yaml);
      }
      validate.accept(value);
      return value;
    } catch (UnrecognizedPropertyException e) {
      throw new ConfigException("unknown key '" + e.getPropertyName() + "' ("
          + ConfigLoader.unknownKey(e).substring("unknown config key ".length()) + ") in " + yaml, e);
    } catch (JsonProcessingException e) {
      throw new ConfigException("cannot parse " + what + " " + yaml + ": " + e.getOriginalMessage(), e);
    } catch (IllegalArgumentException e) {
      throw new ConfigException("invalid " + what + " " + yaml + ": " + e.getMessage(), e);
    } catch (IOException e) {
      throw new ConfigException("cannot read " + what + " " + yaml + ": " + e.getMessage(), e);
    }
  }
}
