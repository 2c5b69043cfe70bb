package dev.ocrgate.server.config;

import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;

/** The one rule for a configured file: when a path is set, it names a readable regular file. */
final class ConfigFiles {
  private ConfigFiles() {}

  /** True when {@code path} names {@code file} (both made absolute and normalised; an invalid path names nothing). */
  static boolean sameFile(String path, Path file) {
    try {
      return Path.of(path).toAbsolutePath().normalize().equals(file.toAbsolutePath().normalize());
    } catch (InvalidPathException e) {
      return false;
    }
  }

  /** Nothing when {@code path} is unset; else it must be a readable file ({@code key} names it). */
  static void readableIfSet(String key, String path) {
    if (path == null || path.isBlank()) {
      return;
    }
    Path p;
    try {
      p = Path.of(path);
    } catch (InvalidPathException e) {
      throw new ConfigException(key + ": not a valid path");
    }
    if (!Files.isRegularFile(p) || !Files.isReadable(p)) {
      throw new ConfigException(key + ": cannot read " + p.toAbsolutePath());
    }
  }
}
