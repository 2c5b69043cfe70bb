package dev.ocrgate.server.auth;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** {@code auth} knows nothing about images, models, batching or the OCR services. */
class AuthArchitectureTest {
  @Test
  void auth_dependsOnNoImageOrOcrPackage() {
    JavaClasses classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
        .importPackages("dev.ocrgate.server");
    noClasses().that().resideInAPackage("dev.ocrgate.server.auth..")
        .should().dependOnClassesThat().resideInAnyPackage(
            "dev.ocrgate.server.vision..", "dev.ocrgate.server.engine..", "dev.ocrgate.server.batch..",
            "dev.ocrgate.server.ocr..", "ai.onnxruntime..", "java.awt..", "javax.imageio..")
        .check(classes);
  }
}
