package dev.ocrgate.server.auth.issuer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ocrgate.server.config.ConfigException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClientRegistryTest {
  private static final String HASH = SecretHash.hash("pw-123456".toCharArray(), SecretHash.MIN_ITERATIONS).encode();

  @TempDir Path dir;

  @Test
  void load_validFile_readsClients() throws Exception {
    Path f = write("clients:\n"
        + "  - id: scanner\n    secret_hash: '" + HASH + "'\n    tenant: acme\n    scopes: [ocr:recognize, ocr:stream]\n"
        + "  - id: admin-tool\n    secret_hash: '" + HASH + "'\n    scopes: [ocr:admin]\n    subject: ops\n");

    ClientRegistry r = ClientRegistry.load(f);

    assertThat(r.size()).isEqualTo(2);
    RegisteredClient scanner = r.find("scanner").orElseThrow();
    assertThat(scanner.tenant()).isEqualTo("acme");
    assertThat(scanner.subject()).isEqualTo("scanner");
    assertThat(scanner.scopes()).containsExactlyInAnyOrder("ocr:recognize", "ocr:stream");
    assertThat(scanner.secret().matches("pw-123456".toCharArray())).isTrue();
    assertThat(r.find("admin-tool").orElseThrow().subject()).isEqualTo("ops");
    assertThat(r.find("nobody")).isEmpty();
    assertThat(scanner.toString()).doesNotContain(HASH.split("\\$")[3]);
  }

  @Test
  void load_weakHash_namesClientNotValue() throws Exception {
    String weak = HASH.replace("$210000$", "$1000$");
    Path f = write("clients:\n  - id: c1\n    secret_hash: '" + weak + "'\n    scopes: [a]\n");

    assertThatThrownBy(() -> ClientRegistry.load(f))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("c1")
        .hasMessageContaining("secret_hash")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain(weak.split("\\$")[3]));
  }

  @Test
  void load_unknownKey_isAnErrorWithoutContent() throws Exception {
    Path f = write("clients:\n  - id: c1\n    secret: plain-text-oops\n    scopes: [a]\n");

    assertThatThrownBy(() -> ClientRegistry.load(f))
        .isInstanceOf(ConfigException.class)
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("plain-text-oops"));
  }

  @Test
  void load_duplicateOrScopeless_isRejected() throws Exception {
    Path dup = write("clients:\n  - {id: c, secret_hash: '" + HASH + "', scopes: [a]}\n"
        + "  - {id: c, secret_hash: '" + HASH + "', scopes: [a]}\n");
    assertThatThrownBy(() -> ClientRegistry.load(dup)).hasMessageContaining("twice");

    Path none = write("clients:\n  - {id: c, secret_hash: '" + HASH + "'}\n");
    assertThatThrownBy(() -> ClientRegistry.load(none)).hasMessageContaining("no scopes");
  }

  private Path write(String yaml) throws Exception {
    Path f = Files.createTempFile(dir, "clients", ".yaml");
    Files.writeString(f, yaml);
    return f;
  }
}
