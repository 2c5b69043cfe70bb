package dev.ocrgate.server.batch;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The batcher is generic: it knows nothing of OCR, images, inference engines or streams. */
class BatchPackageArchitectureTest {
  @Test
  void verify_batchPackage_importsNothingFromOcrVisionEngineOrStream() {
    JavaClasses classes = new ClassFileImporter()
        .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
        .importPackages("dev.ocrgate.server.batch");
    noClasses().that().resideInAPackage("dev.ocrgate.server.batch..")
        .should().dependOnClassesThat().resideInAnyPackage(
            "dev.ocrgate.server.ocr..", "dev.ocrgate.server.vision..",
            "dev.ocrgate.server.engine..", "dev.ocrgate.server.stream..", "ai.onnxruntime..",
            "dev.ocrgate.api..")
        .check(classes);
  }
}
