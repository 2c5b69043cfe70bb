package dev.ocrgate.server.batch;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noCodeUnits;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noFields;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The batcher is generic (Triton's dynamic batcher is told a dynamic-batching config, not the
 * model's): it knows nothing of OCR, images, inference engines, streams or configuration files,
 * and its own vocabulary (class, field, method and record component names) has no model-specific
 * word in it. The model's batching settings live in the model layer ({@code ocr.BatchingSpec}),
 * which hands each stage's batcher a {@link BatchPolicy}.
 */
class BatchPackageArchitectureTest {
  private static final String BATCH = "dev.ocrgate.server.batch..";
  /** Words of the OCR model and its engine: detection, recognition, ONNX, width buckets... */
  private static final String MODEL_WORDS =
      "(?i).*(detect|recogni|classif|onnx|ocr|width|bucket|intra_?op|dictionar|ctc|session).*";

  private static JavaClasses classes;

  @BeforeAll
  static void importClasses() {
    classes = new ClassFileImporter()
        .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
        .importPackages("dev.ocrgate.server.batch");
  }

  @Test
  void verify_batchPackage_importsNothingFromOcrVisionEngineStreamOrConfig() {
    noClasses().that().resideInAPackage(BATCH)
        .should().dependOnClassesThat().resideInAnyPackage(
            "dev.ocrgate.server.ocr..", "dev.ocrgate.server.vision..",
            "dev.ocrgate.server.engine..", "dev.ocrgate.server.stream..",
            "dev.ocrgate.server.upstream..", "dev.ocrgate.server.config..",
            "dev.ocrgate.server.auth..", "ai.onnxruntime..", "dev.ocrgate.api..",
            "com.fasterxml.jackson..")
        .because("the batcher is handed a BatchPolicy; no file format or model setting is bound here")
        .check(classes);
  }

  @Test
  void verify_batchClasses_haveNoModelWordsInTheirNames() {
    noClasses().that().resideInAPackage(BATCH)
        .should().haveNameMatching("dev\\.ocrgate\\.server\\.batch\\." + MODEL_WORDS)
        .check(classes);
  }

  @Test
  void verify_batchFields_haveNoModelWordsInTheirNames() {
    noFields().that().areDeclaredInClassesThat().resideInAPackage(BATCH)
        .and().doNotHaveModifier(JavaModifier.SYNTHETIC) // the compiler's $SwitchMap$dev$ocrgate...
        .should().haveNameMatching(MODEL_WORDS)
        .check(classes);
  }

  @Test
  void verify_batchMethodsAndConstructors_haveNoModelWordsInTheirNames() {
    noCodeUnits().that().areDeclaredInClassesThat().resideInAPackage(BATCH)
        .and().doNotHaveModifier(JavaModifier.SYNTHETIC)
        .should().haveNameMatching(MODEL_WORDS)
        .check(classes);
  }
}
