package dev.ocrgate.server.upstream;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The remote engine sits behind {@code OcrPipeline}: the services ({@code ocr}, {@code stream})
 * do not know it, and it knows neither ONNX Runtime, the batcher, the streams nor authentication.
 */
class UpstreamArchitectureTest {
  static JavaClasses classes;

  @BeforeAll
  static void importClasses() {
    classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
        .importPackages("dev.ocrgate.server");
  }

  @Test
  void servicesDoNotKnowWhichEngineRuns() {
    noClasses().that().resideInAnyPackage("dev.ocrgate.server.ocr..", "dev.ocrgate.server.stream..")
        .should().dependOnClassesThat().resideInAPackage("dev.ocrgate.server.upstream..")
        .check(classes);
  }

  @Test
  void upstream_dependsOnNoOnnxBatchStreamOrAuthPackage() {
    noClasses().that().resideInAPackage("dev.ocrgate.server.upstream..")
        .should().dependOnClassesThat().resideInAnyPackage(
            "dev.ocrgate.server.engine..", "dev.ocrgate.server.batch..", "dev.ocrgate.server.stream..",
            "dev.ocrgate.server.auth..", "ai.onnxruntime..")
        .check(classes);
  }
}
