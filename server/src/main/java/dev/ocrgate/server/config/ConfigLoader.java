package dev.ocrgate.server.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Reads {@link OcrgateConfig} from YAML. Unknown keys are errors that name the key and its path. */
public final class ConfigLoader {
  private static final ObjectMapper YAML =
      new ObjectMapper(new YAMLFactory())
          .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);

  private ConfigLoader() {}

  /** The defaults, as documented on each field. */
  public static OcrgateConfig defaults() {
    return new OcrgateConfig();
  }

  /** Loads {@code file}; a missing file, bad YAML or an unknown key is a {@link ConfigException}. */
  public static OcrgateConfig load(Path file) {
    if (!Files.isRegularFile(file)) {
      throw new ConfigException("config file not found: " + file);
    }
    try {
      OcrgateConfig config = YAML.readValue(file.toFile(), OcrgateConfig.class);
      return config == null ? defaults() : config;
    } catch (UnrecognizedPropertyException e) {
      throw new ConfigException(
          "unknown config key '" + e.getPropertyName() + "' at " + e.getPathReference()
              + " in " + file, e);
    } catch (JsonProcessingException e) {
      throw new ConfigException("cannot parse config " + file + ": " + e.getOriginalMessage(), e);
    } catch (IOException e) {
      throw new ConfigException("cannot read config " + file + ": " + e.getMessage(), e);
    }
  }

  /** The mapper, for tests and for printing an effective config. */
  public static ObjectMapper yamlMapper() {
    return YAML.copy();
  }
}
