package dev.ocrgate.server.testing;

import java.nio.file.Files;
import java.nio.file.Path;

/** Locates the repository root (for certs/gen-dev.sh, models/) from any module's tests. */
public final class RepoPaths {
  private RepoPaths() {}

  /** The repository root: $OCRGATE_REPO_ROOT (set by surefire), else the nearest folder with certs/. */
  public static Path root() {
    String env = System.getenv("OCRGATE_REPO_ROOT");
    if (env != null && Files.isDirectory(Path.of(env, "certs"))) {
      return Path.of(env).toAbsolutePath().normalize();
    }
    Path p = Path.of("").toAbsolutePath();
    while (p != null) {
      if (Files.isRegularFile(p.resolve("certs/gen-dev.sh"))) {
        return p;
      }
      p = p.getParent();
    }
    throw new IllegalStateException("cannot find the ocrgate repository root");
  }

  public static Path devCertScript() {
    return root().resolve("certs/gen-dev.sh");
  }

  public static Path modelDir() {
    return root().resolve("models/ppocr-v4");
  }
}
