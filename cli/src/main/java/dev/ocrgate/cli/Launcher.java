package dev.ocrgate.cli;

import java.nio.file.Files;
import java.nio.file.Path;

/** Facts about how the CLI was launched. */
final class Launcher {
  private Launcher() {}

  /** The repository root: $OCRGATE_HOME (set by bin/ocrgate) or the working directory. */
  static Path repoRoot() {
    String home = System.getenv("OCRGATE_HOME");
    Path p = home != null ? Path.of(home) : Path.of("");
    p = p.toAbsolutePath().normalize();
    if (!Files.isDirectory(p.resolve("certs"))) {
      return Path.of("").toAbsolutePath();
    }
    return p;
  }
}
