package dev.ocrgate.server.ocr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ocrgate.server.config.ConfigException;
import dev.ocrgate.server.config.OcrgateConfig;
import dev.ocrgate.server.testing.RepoPaths;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Loading model folders; every startup failure names the file at fault. */
class ModelRepositoryTest {
  private static Path copyOfModelFolder(Path dir) throws Exception {
    try (var files = Files.list(RepoPaths.modelDir())) {
      for (Path f : (Iterable<Path>) files::iterator) {
        try {
          Files.createLink(dir.resolve(f.getFileName()), f);
        } catch (java.io.IOException | UnsupportedOperationException e) {
          Files.copy(f, dir.resolve(f.getFileName()));
        }
      }
    }
    return dir;
  }

  @Test
  void verify_shippedModelFolder_loads() {
    ModelRepository.ModelSet set = ModelRepository.load(RepoPaths.modelDir());
    assertThat(set.name()).isEqualTo("ppocr-v4");
    assertThat(set.hasClassifier()).isTrue();
    // ppocr_keys_v1.txt has 6623 entries; + blank + space = the rec model's 6625 classes.
    assertThat(set.dictionary().classes()).isEqualTo(6625);
    // english-words.txt: SCOWL american-english, entries of ASCII letters only
    assertThat(set.lexicon().size()).isEqualTo(74585);
    assertThat(set.lexicon().known("ratio")).isTrue();
  }

  @Test
  void verify_missingModelFile_failsStartupNamingTheFile(@TempDir Path tmp) throws Exception {
    Path dir = copyOfModelFolder(tmp);
    Files.delete(dir.resolve("ch_PP-OCRv4_rec_infer.onnx"));
    assertThatThrownBy(() -> ModelRepository.load(dir))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("model file not found: " + dir.resolve("ch_PP-OCRv4_rec_infer.onnx")
            + " (files.recognition in " + dir.resolve("model.yaml") + ";");
  }

  @Test
  void verify_missingWordList_failsStartupNamingTheFile(@TempDir Path tmp) throws Exception {
    Path dir = withLexicon(copyOfModelFolder(tmp), "no-such-words.txt");
    assertThatThrownBy(() -> ModelRepository.load(dir))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("model file not found: " + dir.resolve("no-such-words.txt")
            + " (files.lexicon in " + dir.resolve("model.yaml") + ";");
  }

  @Test
  void verify_wordListWithoutWords_failsStartupNamingTheFile(@TempDir Path tmp) throws Exception {
    Path dir = withLexicon(copyOfModelFolder(tmp), "empty-words.txt");
    Files.writeString(dir.resolve("empty-words.txt"), "# only a comment\ndon't\n");
    assertThatThrownBy(() -> ModelRepository.load(dir))
        .isInstanceOf(ConfigException.class)
        .hasMessage("word list has no words of ASCII letters: " + dir.resolve("empty-words.txt")
            + " (files.lexicon)");
  }

  @Test
  void verify_wordListNamedInModelYaml_isLoaded(@TempDir Path tmp) throws Exception {
    Path dir = withLexicon(copyOfModelFolder(tmp), "few-words.txt");
    Files.writeString(dir.resolve("few-words.txt"), "ratio\nsize\n");
    assertThat(ModelRepository.load(dir).lexicon().size()).isEqualTo(2);
  }

  @Test
  void verify_heardSpacesWithoutAWordList_failsStartupSayingWhy(@TempDir Path tmp) throws Exception {
    Path dir = copyOfModelFolder(tmp);
    Path yaml = dir.resolve("model.yaml");
    String text = Files.readString(yaml);
    String changed = text.replaceAll("(?m)^  lexicon: .*\n", "");
    assertThat(changed).isNotEqualTo(text).containsPattern("(?m)^  lexicon_space_probability: 0\\.\\d*[1-9]");
    Files.delete(yaml);
    Files.writeString(yaml, changed);
    assertThatThrownBy(() -> ModelRepository.load(dir))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("recognition.lexicon_space_probability needs files.lexicon");
    Files.writeString(yaml, changed.replaceFirst("(?m)^  lexicon_space_probability: .*$", "  lexicon_space_probability: 0")
        .replaceFirst("(?m)^  lexicon_respell_ratio: .*$", "  lexicon_respell_ratio: 0"));
    assertThat(ModelRepository.load(dir).lexicon()).isNull();
  }

  @Test
  void verify_respellingWithoutAWordList_failsStartupSayingWhy(@TempDir Path tmp) throws Exception {
    Path dir = copyOfModelFolder(tmp);
    Path yaml = dir.resolve("model.yaml");
    String text = Files.readString(yaml);
    String changed = text.replaceAll("(?m)^  lexicon: .*\n", "")
        .replaceFirst("(?m)^  lexicon_space_probability: .*$", "  lexicon_space_probability: 0");
    assertThat(changed).containsPattern("(?m)^  lexicon_respell_ratio: 0\\.\\d*[1-9]");
    Files.delete(yaml);
    Files.writeString(yaml, changed);
    assertThatThrownBy(() -> ModelRepository.load(dir))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("recognition.lexicon_respell_ratio needs files.lexicon");
  }

  /** Rewrites the copy's model.yaml (a new file: the copy's is a link to the repository's) to name {@code words}. */
  private static Path withLexicon(Path dir, String words) throws Exception {
    Path yaml = dir.resolve("model.yaml");
    String text = Files.readString(yaml).replaceAll("(?m)^  lexicon: .*\n", "");
    String changed = text.replace("  dictionary: ppocr_keys_v1.txt\n",
        "  dictionary: ppocr_keys_v1.txt\n  lexicon: " + words + "\n");
    assertThat(changed).contains("lexicon: " + words);
    Files.delete(yaml);
    Files.writeString(yaml, changed);
    return dir;
  }

  @Test
  void verify_missingModelYaml_failsStartupNamingTheFile(@TempDir Path tmp) {
    assertThatThrownBy(() -> ModelRepository.load(tmp))
        .isInstanceOf(ConfigException.class)
        .hasMessage("model config not found: " + tmp.resolve("model.yaml"));
  }

  @Test
  void verify_unknownKeyInModelYaml_isNamed(@TempDir Path tmp) throws Exception {
    Files.writeString(tmp.resolve("model.yaml"), "name: x\ndetection:\n  box_threshold: 0.5\n");
    assertThatThrownBy(() -> ModelRepository.load(tmp))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("unknown key 'box_threshold'")
        .hasMessageContaining(tmp.resolve("model.yaml").toString());
  }

  @Test
  void verify_corruptModelFile_failsServerStartupNamingTheFile(@TempDir Path tmp) throws Exception {
    Path dir = copyOfModelFolder(tmp);
    Path det = dir.resolve("ch_PP-OCRv4_det_infer.onnx");
    Files.delete(det);
    Files.writeString(det, "not an onnx model");
    OcrgateConfig config = new OcrgateConfig();
    config.models = new java.util.ArrayList<>(java.util.List.of(dir.toString()));
    config.engine.provider = "cpu";
    assertThatThrownBy(() -> OcrModule.create(config))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("cannot load detection model " + det + ": ");
  }

  @Test
  void verify_relativeFolder_resolvesAgainstHomeOrWorkingDirectory() {
    Path resolved = ModelRepository.resolve("models/ppocr-v4");
    assertThat(resolved.isAbsolute()).isTrue();
    assertThat(resolved.endsWith(Path.of("models", "ppocr-v4"))).isTrue();
    assertThat(ModelRepository.resolve("/abs/models")).isEqualTo(Path.of("/abs/models"));
  }
}
