package dev.ocrgate.server.config;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaFieldAccess;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.Test;

/**
 * The configuration is read-only outside the package that makes it: no production class of the
 * server writes a field of a configuration class (a derived value is passed explicitly, a
 * command's flags are overrides given to {@link ConfigLoader#load}), and nothing outside this
 * package validates it.
 */
public class ConfigArchitectureTest {
  /** A field declared by a class of the config package. */
  public static final DescribedPredicate<JavaFieldAccess> CONFIG_FIELD =
      new DescribedPredicate<>("a field of a class in " + ConfigLoader.class.getPackageName()) {
        @Override
        public boolean test(JavaFieldAccess access) {
          return access.getTargetOwner().getPackageName().equals(ConfigLoader.class.getPackageName());
        }
      };

  /** The rule, for the classes of any module. */
  public static ArchRule noConfigWritesOutsideConfigPackage() {
    return noClasses().that().resideOutsideOfPackage(ConfigLoader.class.getPackageName())
        .should().setFieldWhere(CONFIG_FIELD)
        .because("a configuration is validated once and then only read (ConfigLoader)");
  }

  @Test
  void config_isWrittenOnlyInTheConfigPackage() {
    JavaClasses classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
        .importPackages("dev.ocrgate.server");
    noConfigWritesOutsideConfigPackage().check(classes);
  }

  @Test
  void config_isValidatedOnlyInTheConfigPackage() {
    JavaClasses classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
        .importPackages("dev.ocrgate.server");
    noClasses().that().resideOutsideOfPackage(ConfigLoader.class.getPackageName())
        .should().callMethodWhere(new DescribedPredicate<>("a validate method of a configuration class") {
          @Override
          public boolean test(com.tngtech.archunit.core.domain.JavaMethodCall call) {
            return call.getTargetOwner().getPackageName().equals(ConfigLoader.class.getPackageName())
                && call.getName().startsWith("validate") && !call.getName().equals("validated");
          }
        })
        .because("ConfigLoader.validate is the one validator")
        .check(classes);
  }
}
