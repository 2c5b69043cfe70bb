package dev.ocrgate.server.ocr;

import dev.ocrgate.server.config.ConfigException;
import dev.ocrgate.server.config.YamlFile;
import dev.ocrgate.server.vision.CharDictionary;
import dev.ocrgate.server.vision.Lexicon;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Loads a model folder: its {@code model.yaml} (validated), dictionary and word list (if it names
 * one), and checks that every
 * file it names is there. Startup fails with a {@link ConfigException} whose message names the
 * missing or unreadable file; ONNX files that exist but are corrupt are reported by
 * {@link dev.ocrgate.server.engine.OnnxEngine#openSession}, also naming the file.
 *
 * <p>Relative folders resolve against {@code $OCRGATE_HOME} (set by {@code bin/ocrgate}), else
 * the working directory. Stateless; thread-safe.
 */
public final class ModelRepository {
  private ModelRepository() {}

  /**
   * A loaded model folder: paths of its files, its settings, its dictionary and its word list
   * ({@code lexicon}: null when model.yaml names none).
   */
  public record ModelSet(
      Path dir, ModelConfig config, Path detection, Path recognition, Path classifier,
      CharDictionary dictionary, Lexicon lexicon) {

    /** The name reported to clients. */
    public String name() {
      return config.name;
    }

    /** True when the folder has a direction classifier. */
    public boolean hasClassifier() {
      return classifier != null;
    }
  }

  /** {@code configured} as an absolute folder: relative to $OCRGATE_HOME, else the working directory. */
  public static Path resolve(String configured) {
    Path p = Path.of(configured);
    if (p.isAbsolute()) {
      return p.normalize();
    }
    String home = System.getenv("OCRGATE_HOME");
    Path base = home != null && !home.isBlank() ? Path.of(home) : Path.of("");
    return base.resolve(p).toAbsolutePath().normalize();
  }

  /**
   * Loads the folder {@code dir}.
   *
   * @throws ConfigException naming the file when model.yaml, a model file, the dictionary or the
   *     word list is missing, unreadable or invalid
   */
  public static ModelSet load(Path dir) {
    Path yaml = dir.resolve("model.yaml");
    ModelConfig config = readConfig(yaml);
    Path det = requireFile(dir, config.files.detection, "files.detection", yaml);
    Path rec = requireFile(dir, config.files.recognition, "files.recognition", yaml);
    Path dict = requireFile(dir, config.files.dictionary, "files.dictionary", yaml);
    Path cls = config.files.classifier == null
        ? null
        : requireFile(dir, config.files.classifier, "files.classifier", yaml);
    Lexicon lexicon = config.files.lexicon == null
        ? null
        : readLexicon(requireFile(dir, config.files.lexicon, "files.lexicon", yaml));
    return new ModelSet(dir, config, det, rec, cls, readDictionary(dict), lexicon);
  }

  private static ModelConfig readConfig(Path yaml) {
    return YamlFile.read(yaml, ModelConfig.class, "model config", ModelConfig::validate);
  }

  private static Path requireFile(Path dir, String name, String key, Path yaml) {
    Path file = dir.resolve(name).normalize();
    if (!Files.isRegularFile(file)) {
      throw new ConfigException(
          "model file not found: " + file + " (" + key + " in " + yaml
              + "; the build unpacks the weights: mvn -pl server generate-resources)");
    }
    if (!Files.isReadable(file)) {
      throw new ConfigException("model file not readable: " + file);
    }
    return file;
  }

  private static CharDictionary readDictionary(Path file) {
    try {
      CharDictionary dict = CharDictionary.load(file);
      if (dict.classes() <= 2) {
        throw new ConfigException("dictionary is empty: " + file);
      }
      return dict;
    } catch (CharacterCodingException e) {
      throw new ConfigException("dictionary is not UTF-8: " + file, e);
    } catch (IOException e) {
      throw new ConfigException("cannot read dictionary " + file + ": " + e.getMessage(), e);
    }
  }

  private static Lexicon readLexicon(Path file) {
    try {
      Lexicon lexicon = Lexicon.load(file);
      if (lexicon.size() == 0) {
        throw new ConfigException("word list has no words of ASCII letters: " + file + " (files.lexicon)");
      }
      return lexicon;
    } catch (CharacterCodingException e) {
      throw new ConfigException("word list is not UTF-8: " + file, e);
    } catch (IOException e) {
      throw new ConfigException("cannot read word list " + file + ": " + e.getMessage(), e);
    }
  }
}
