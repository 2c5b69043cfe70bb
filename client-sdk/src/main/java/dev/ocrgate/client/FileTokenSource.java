package dev.ocrgate.client;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;

/**
 * A token kept in a file that something else rewrites (a sidecar, a Kubernetes projected
 * volume). The file is re-read when its modification time or size changed since the last read;
 * its content, trimmed, is the token. The cache asks again ahead of the JWT's {@code exp}, or
 * every 30 s when the token is not a JWT, and after the server rejected it.
 *
 * <p>Thread-safe ({@link #fetch} is synchronized: one source may serve several clients).
 */
final class FileTokenSource implements TokenSource {
  private final Path file;
  private FileTime readModified;
  private long readSize = -1;
  private AccessToken token;

  FileTokenSource(Path file) {
    this.file = file;
  }

  @Override
  public synchronized AccessToken fetch() throws IOException {
    BasicFileAttributes attrs = Files.readAttributes(file, BasicFileAttributes.class);
    if (token != null && attrs.lastModifiedTime().equals(readModified) && attrs.size() == readSize) {
      return token;
    }
    String value = Files.readString(file, StandardCharsets.UTF_8).strip();
    if (value.isEmpty()) {
      throw new IOException("token file " + file + " is empty");
    }
    try {
      token = AccessToken.of(value, JwtExpiry.of(value));
    } catch (IllegalArgumentException e) {
      throw new IOException("token file " + file + " does not hold one token", e);
    }
    readModified = attrs.lastModifiedTime();
    readSize = attrs.size();
    return token;
  }

  @Override
  public String toString() {
    return "FileTokenSource[" + file + "]";
  }
}
