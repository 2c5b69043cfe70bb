package dev.ocrgate.server.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ocrgate.server.testing.RepoPaths;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * docs/configuration.md's key table is generated from the config classes; this test fails when
 * they drift apart. Regenerate with
 * {@code mvn -pl server -am test -Dtest=ConfigReferenceDocTest -Dsurefire.failIfNoSpecifiedTests=false -Docrgate.updateDocs=true}.
 */
class ConfigReferenceDocTest {
  @Test
  void verify_configurationDoc_listsEveryKeyWithItsDefaultAndEnvironmentName() throws Exception {
    Path root = RepoPaths.root();
    Path doc = root.resolve("docs/configuration.md");
    String table = new ConfigReferenceDoc(root.resolve("server/src/main/java")).table();
    String text = Files.readString(doc);
    text = text.replace("\r\n", "\n");
    int begin = text.indexOf(ConfigReferenceDoc.BEGIN);
    int end = text.indexOf(ConfigReferenceDoc.END);
    assertThat(begin).as("markers in %s", doc).isNotNegative();
    assertThat(end).isGreaterThan(begin);
    String expected = text.substring(0, begin + ConfigReferenceDoc.BEGIN.length()) + "\n"
        + table + text.substring(end);
    if (Boolean.getBoolean("ocrgate.updateDocs")) {
      Files.writeString(doc, expected);
      text = expected;
    }
    assertThat(text)
        .as("docs/configuration.md is stale; rerun this test with -Docrgate.updateDocs=true")
        .isEqualTo(expected);
    for (ConfigSchema.Key k : ConfigSchema.get().keys()) {
      assertThat(table).contains("| `" + k.path() + "` |");
    }
    assertThat(table).contains("| `server.port` | `OCRGATE_SERVER_PORT` | `int` | `8443` | TCP port; 0 picks a free one. Default 8443. |");
  }
}
