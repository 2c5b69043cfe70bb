package dev.ocrgate.server.auth.issuer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Instant;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The current {@link KeyRing} of a keys folder, re-read when {@code ring.json} changes (checked at
 * most once per interval), so {@code ocrgate keys rotate} takes effect without a restart; a ring
 * that cannot be read keeps the previous one and logs a warning. When a retired key's time has
 * passed, the folder is {@linkplain KeyRing#prune pruned}, so the key also leaves the published
 * {@code jwks.json} that verifiers read, not only this process's JWKS endpoint.
 *
 * <p>Thread-safe: the ring is an immutable snapshot in a volatile field; a reload is done under
 * {@code this}'s lock by at most one thread while the others keep using the old snapshot.
 */
final class ReloadingKeyRing implements Supplier<KeyRing> {
  private static final Logger log = LoggerFactory.getLogger(ReloadingKeyRing.class);

  private final Path dir;
  private final Clock clock;
  private final long checkEveryMillis;
  private volatile KeyRing ring;
  private volatile long nextCheckMillis;
  private FileTime loadedVersion; // guarded by this

  ReloadingKeyRing(Path dir, KeyRing initial, Clock clock, long checkEveryMillis) throws IOException {
    this.dir = dir;
    this.clock = clock;
    this.checkEveryMillis = checkEveryMillis;
    this.ring = initial;
    this.loadedVersion = Files.getLastModifiedTime(dir.resolve(KeyRing.RING_FILE));
    this.nextCheckMillis = clock.millis() + checkEveryMillis;
  }

  @Override
  public KeyRing get() {
    if (clock.millis() >= nextCheckMillis) {
      maybeReload();
    }
    return ring;
  }

  /** Removes retired keys past their time from the folder; a read-only folder keeps them on disk. */
  private void prune() {
    try {
      KeyRing.prune(dir, clock);
      log.info("retired signing keys past their time removed from {}", dir);
    } catch (IOException | RuntimeException e) {
      log.warn("cannot remove retired signing keys from {} ({}); they stay in its jwks.json until the next"
          + " keys rotate, but no longer in this server's JWKS endpoint", dir, e.getClass().getSimpleName());
    }
  }

  private synchronized void maybeReload() {
    long now = clock.millis();
    if (now < nextCheckMillis) {
      return;
    }
    nextCheckMillis = now + checkEveryMillis;
    try {
      Instant retire = ring.nextRetirement();
      boolean retirementDue = retire != null && !clock.instant().isBefore(retire);
      if (retirementDue) {
        prune();
      }
      FileTime version = Files.getLastModifiedTime(dir.resolve(KeyRing.RING_FILE));
      if (!version.equals(loadedVersion) || retirementDue) {
        ring = KeyRing.load(dir, clock);
        loadedVersion = version;
        log.info("signing keys reloaded from {}: current kid {}, published {}", dir, ring.current().kid(), ring.kids());
      }
    } catch (IOException | RuntimeException e) {
      log.warn("cannot reload signing keys from {} ({}); keeping kid {}", dir, e.getClass().getSimpleName(),
          ring.current().kid());
    }
  }
}
