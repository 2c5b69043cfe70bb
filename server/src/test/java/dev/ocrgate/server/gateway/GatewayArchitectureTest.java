package dev.ocrgate.server.gateway;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The HTTP port decides nothing the interceptors decide: it reaches the services only through
 * the in-process channel, so it must not use the auth, rate-limit, OCR or decoding code, nor the
 * metrics (counted by the gRPC interceptor for every forwarded call).
 */
class GatewayArchitectureTest {
  @Test
  void verify_gateway_usesNoPolicyOrOcrCode() {
    JavaClasses classes = new ClassFileImporter()
        .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
        .importPackages("dev.ocrgate.server.gateway");
    noClasses().that().resideInAPackage("dev.ocrgate.server.gateway..")
        .should().dependOnClassesThat().resideInAnyPackage(
            "dev.ocrgate.server.auth..", "dev.ocrgate.server.ratelimit..", "dev.ocrgate.server.ocr..",
            "dev.ocrgate.server.vision..", "dev.ocrgate.server.stream..", "dev.ocrgate.server.engine..",
            "dev.ocrgate.server.upstream..", "dev.ocrgate.server.observability..", "dev.ocrgate.server.redis..")
        .check(classes);
  }
}
