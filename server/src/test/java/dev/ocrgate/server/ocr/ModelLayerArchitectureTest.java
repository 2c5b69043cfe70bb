package dev.ocrgate.server.ocr;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import dev.ocrgate.server.config.YamlFile;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A model set's {@code model.yaml} belongs to the model layer: only {@code ocr} (the local ONNX
 * models) and {@code upstream} (a remote engine's model.yaml) read model settings files, and the
 * local model's settings ({@link ModelConfig}, its {@link BatchingSpec}) are seen only inside
 * {@code ocr}; everything else gets what it needs from them (a batcher its {@code BatchPolicy}, a
 * stage its numbers).
 */
class ModelLayerArchitectureTest {
  private static JavaClasses server;

  @BeforeAll
  static void importClasses() {
    server = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
        .importPackages("dev.ocrgate.server");
  }

  @Test
  void verify_onlyTheModelLayers_readModelSettingsFiles() {
    classes().that().belongToAnyOf(YamlFile.class)
        .should().onlyHaveDependentClassesThat().resideInAnyPackage(
            "dev.ocrgate.server.ocr..", "dev.ocrgate.server.upstream..", "dev.ocrgate.server.config..")
        .check(server);
  }

  @Test
  void verify_theLocalModelsSettings_areSeenOnlyInsideOcr() {
    classes().that().belongToAnyOf(ModelConfig.class, BatchingSpec.class)
        .should().onlyHaveDependentClassesThat().resideInAPackage("dev.ocrgate.server.ocr..")
        .check(server);
  }
}
