package dev.ocrgate.server.auth;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keys from a JWKS file, re-read when the file changes, so keys rotate without a restart.
 *
 * <p>Concurrency: the current {@link KeySet} is a volatile immutable snapshot; lookups never lock.
 * At most once per check interval one thread (under {@code this}) compares the file's modification
 * time and size with the last read and re-reads it when they differ. A file that cannot be read or
 * parsed keeps the last good set (and is logged), so a half-written file never empties the keys.
 */
final class JwksFileKeySource implements KeySource {
  private static final Logger log = LoggerFactory.getLogger(JwksFileKeySource.class);

  private final Path file;
  private final Clock clock;
  private final long checkIntervalMillis;
  private volatile KeySet keys;
  private volatile long nextCheckMillis;
  // @GuardedBy("this")
  private String stamp;

  private JwksFileKeySource(Path file, Clock clock, Duration checkInterval) {
    this.file = Objects.requireNonNull(file, "file");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.checkIntervalMillis = checkInterval.toMillis();
  }

  /** Reads {@code file} now; an unreadable or invalid file is an IllegalArgumentException. */
  static JwksFileKeySource open(Path file, Clock clock, Duration checkInterval) {
    JwksFileKeySource s = new JwksFileKeySource(file, clock, checkInterval);
    try {
      synchronized (s) {
        s.stamp = stamp(file);
        s.keys = KeySet.parseJwks(Files.readString(file));
      }
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read JWKS file " + file + ": " + e.getMessage(), e);
    }
    s.nextCheckMillis = clock.millis() + s.checkIntervalMillis;
    log.info("JWKS file {}: kids {}", file, s.keys.kids());
    return s;
  }

  @Override
  public VerificationKey find(String kid) {
    long now = clock.millis();
    if (now >= nextCheckMillis) {
      reloadIfChanged(now);
    }
    return keys.find(kid);
  }

  private synchronized void reloadIfChanged(long now) {
    if (now < nextCheckMillis) {
      return; // another thread just checked
    }
    nextCheckMillis = now + checkIntervalMillis;
    try {
      String current = stamp(file);
      if (current.equals(stamp)) {
        return;
      }
      KeySet fresh = KeySet.parseJwks(Files.readString(file));
      keys = fresh;
      stamp = current;
      log.info("JWKS file {} changed: kids now {}", file, fresh.kids());
    } catch (IOException | RuntimeException e) {
      log.warn("JWKS file {} could not be reloaded ({}); keeping the previous keys", file,
          e.getClass().getSimpleName());
    }
  }

  private static String stamp(Path file) throws IOException {
    BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
    return a.lastModifiedTime().toMillis() + ":" + a.lastModifiedTime().toString() + ":" + a.size()
        + ":" + a.fileKey();
  }
}
