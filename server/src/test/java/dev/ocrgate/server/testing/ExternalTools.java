package dev.ocrgate.server.testing;

import java.io.File;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;

/**
 * Looks up external programs (redis-server, ffmpeg, tesseract, openssl, node, …) for tests.
 *
 * <p>A test skipped in CI is a failing test: when {@code CI=true} a missing program fails the test
 * loudly; elsewhere the test is skipped with a message saying what to install.
 */
public final class ExternalTools {
  private ExternalTools() {}

  /** True when running under CI ({@code CI=true}). */
  public static boolean inCi() {
    return "true".equalsIgnoreCase(System.getenv("CI"));
  }

  /** The absolute path of {@code program} on PATH, if any. */
  public static Optional<String> find(String program) {
    String path = System.getenv("PATH");
    if (path == null) {
      return Optional.empty();
    }
    for (String dir : path.split(File.pathSeparator)) {
      File f = new File(dir, program);
      if (f.isFile() && f.canExecute()) {
        return Optional.of(f.getAbsolutePath());
      }
    }
    return Optional.empty();
  }

  /**
   * {@code file}, which a Debian package installs; fails the test in CI, skips it elsewhere, when
   * it is missing.
   */
  public static java.nio.file.Path requireFile(java.nio.file.Path file, String aptPackage) {
    if (java.nio.file.Files.isRegularFile(file)) {
      return file;
    }
    missing(file + " not found (apt-get install " + aptPackage + ")");
    throw new AssertionError("unreachable");
  }

  /**
   * The path of {@code program}; fails the test in CI, skips it elsewhere, when it is missing.
   *
   * @param aptPackage the Debian package that provides it, for the message
   */
  public static String require(String program, String aptPackage) {
    Optional<String> found = find(program);
    if (found.isPresent()) {
      return found.get();
    }
    missing(program + " not found on PATH (apt-get install " + aptPackage + ")");
    throw new AssertionError("unreachable");
  }

  private static void missing(String msg) {
    if (inCi()) {
      throw new AssertionError("CI=true and " + msg + ": .ci/run must install it");
    }
    Assumptions.abort(msg);
  }
}
