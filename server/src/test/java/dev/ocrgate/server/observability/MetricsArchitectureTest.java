package dev.ocrgate.server.observability;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * One pattern for metrics: packages report through their own listener interfaces
 * ({@code BatchListener}, {@code StreamListener}, {@code RateLimitListener}); only the
 * composition root (the root package) and {@code observability} know {@link Metrics} and
 * Micrometer.
 */
class MetricsArchitectureTest {
  @Test
  void verify_onlyTheRootPackageAndObservability_dependOnMetricsOrMicrometer() {
    JavaClasses classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
        .importPackages("dev.ocrgate.server");
    noClasses().that().resideInAPackage("dev.ocrgate.server.(*)..")
        .and().resideOutsideOfPackage("dev.ocrgate.server.observability..")
        .should().dependOnClassesThat().belongToAnyOf(Metrics.class)
        .orShould().dependOnClassesThat().resideInAPackage("io.micrometer..")
        .check(classes);
  }
}
