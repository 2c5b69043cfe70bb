package dev.ocrgate.cli;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaFieldAccess;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import dev.ocrgate.server.config.ConfigLoader;
import dev.ocrgate.server.config.OcrgateConfig;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

/**
 * {@code serve} takes its configuration from ConfigLoader as {@code config check} does: flags are
 * the top layer (key paths, no field writes), and a value either refuses is refused by both with
 * the same message.
 */
class ServeConfigTest {
  @TempDir Path dir;

  @Test
  void flags_areTheTopLayer_overFileAndEnvironment() throws Exception {
    Path f = Files.writeString(dir.resolve("c.yaml"), "server:\n  port: 9001\n  host: 0.0.0.0\nlog:\n  format: json\n");
    ServeCommand serve = new ServeCommand();
    new CommandLine(serve).parseArgs("--config", f.toString(), "--port", "9003", "--plaintext",
        "--models", "a,b", "--log-format", "text");
    OcrgateConfig c = ConfigLoader.load(f, Map.of("OCRGATE_SERVER_PORT", "9002", "OCRGATE_SERVER_HOST", "::1"),
        serve.flags());
    assertThat(c.server.port).isEqualTo(9003); // flag > environment > file
    assertThat(c.server.host).isEqualTo("::1"); // environment > file, no flag given
    assertThat(c.server.plaintext).isTrue();
    assertThat(c.models).containsExactly("a", "b");
    assertThat(c.log.format).isEqualTo("text");
  }

  /** Each was once checked only when the server built the component (or not at all). */
  @ParameterizedTest
  @ValueSource(strings = {
      "streaming:\n  window: 0\n",
      "ocr:\n  max_image_pixels: 0\n",
      "issuer:\n  enabled: true\n",
      "auth:\n  stream_expiry: sometimes\n",
      "redis:\n  url: http://redis:6379\n"})
  void checkAndServe_refuseTheSameValue_withTheSameMessage(String yaml) throws Exception {
    Path f = Files.writeString(dir.resolve("bad.yaml"), yaml);
    StringWriter checkErr = new StringWriter();
    int check = new CommandLine(new Main()).setOut(new PrintWriter(new StringWriter(), true))
        .setErr(new PrintWriter(checkErr, true)).execute("config", "check", "--ignore-env", f.toString());

    PrintStream saved = System.err;
    ByteArrayOutputStream serveErr = new ByteArrayOutputStream();
    int serve;
    try {
      System.setErr(new PrintStream(serveErr, true, StandardCharsets.UTF_8));
      serve = new CommandLine(new Main()).execute("serve", "--config", f.toString());
    } finally {
      System.setErr(saved);
    }

    assertThat(check).isEqualTo(2);
    assertThat(serve).isEqualTo(2);
    String checkMessage = checkErr.toString().strip().replaceFirst("^ocrgate config check: ", "");
    String serveMessage = serveErr.toString(StandardCharsets.UTF_8).strip().replaceFirst("^ocrgate serve: ", "");
    assertThat(checkMessage).isNotBlank().doesNotContain("\n");
    assertThat(serveMessage).isEqualTo(checkMessage);
  }

  @Test
  void cli_writesNoConfigField() {
    noClasses().that().resideOutsideOfPackage(ConfigLoader.class.getPackageName())
        .should().setFieldWhere(new DescribedPredicate<JavaFieldAccess>("a field of a configuration class") {
          @Override
          public boolean test(JavaFieldAccess access) {
            return access.getTargetOwner().getPackageName().equals(ConfigLoader.class.getPackageName());
          }
        })
        .because("serve passes its flags to ConfigLoader.load as key paths")
        .check(new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.ocrgate.cli"));
  }
}
