package dev.ocrgate.server.auth.issuer;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ocrgate.server.auth.SigningKey;
import dev.ocrgate.server.auth.SigningKeys;
import io.jsonwebtoken.security.PublicJwk;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Signing keys on disk, with rotation. {@code keys_dir/<kid>/} holds each key as written by
 * {@link SigningKeys}; {@code keys_dir/ring.json} names the current key and the retired ones with
 * the instant until which their tokens may still be valid; {@code keys_dir/jwks.json} is the
 * published public set (current + retired-but-still-verifiable), which a verifier's
 * {@code auth.jwks_file} can point at.
 *
 * <p>{@link #rotate} adds a new key and keeps the old public key published for {@code keepFor}
 * (at least the longest lifetime of a token it signed plus clock skew), then forgets keys whose
 * time has passed; {@link #prune} forgets them without rotating. A folder holding a single key
 * (made by {@code ocrgate keys generate} or dev mode) is adopted by the first rotation: that key
 * becomes the ring's first key, so it is retired like any other, never dropped.
 *
 * <p>An immutable snapshot; {@link #load} reads one. Rotation is not safe against two concurrent
 * rotations of the same folder (an operator command).
 */
public final class KeyRing {
  static final String RING_FILE = SigningKeys.RING_FILE;
  static final String JWKS_FILE = SigningKeys.JWKS_FILE;
  private static final ObjectMapper JSON = new ObjectMapper();

  private final SigningKey current;
  private final List<SigningKey> verifiable; // current first, then retired still valid
  private final Instant nextRetirement; // earliest verify_until of those retired keys, or null

  private KeyRing(SigningKey current, List<SigningKey> verifiable, Instant nextRetirement) {
    this.current = current;
    this.verifiable = List.copyOf(verifiable);
    this.nextRetirement = nextRetirement;
  }

  /** A ring of one key (tests, embedding without files). */
  public static KeyRing of(SigningKey current) {
    return new KeyRing(current, List.of(current), null);
  }

  /** The key that signs new tokens. */
  public SigningKey current() {
    return current;
  }

  /** The public JWK Set: the current key and retired keys whose tokens may still be valid. */
  public String jwksJson() {
    List<PublicJwk<?>> jwks = new ArrayList<>();
    for (SigningKey k : verifiable) {
      jwks.add(k.publicJwk());
    }
    return SigningKey.jwksJson(jwks);
  }

  /** The kids published, current first. */
  public List<String> kids() {
    return verifiable.stream().map(SigningKey::kid).toList();
  }

  /** When the next retired key stops verifying (and should leave the published set), or null. */
  public Instant nextRetirement() {
    return nextRetirement;
  }

  /** Whether {@code dir} already holds a ring. */
  public static boolean exists(Path dir) {
    return SigningKeys.isRing(dir);
  }

  /** Reads the ring in {@code dir}; retired keys past their time are left out. */
  public static KeyRing load(Path dir, Clock clock) throws IOException {
    RingFile ring = JSON.readValue(dir.resolve(RING_FILE).toFile(), RingFile.class);
    SigningKey current = SigningKeys.loadCurrent(dir);
    List<SigningKey> keys = new ArrayList<>(List.of(current));
    Instant now = clock.instant();
    Instant next = null;
    for (Retired r : ring.retired) {
      Instant until = Instant.parse(r.verify_until);
      if (until.isAfter(now)) {
        keys.add(SigningKeys.load(SigningKeys.keyDir(dir, r.kid)));
        next = next == null || until.isBefore(next) ? until : next;
      }
    }
    return new KeyRing(current, keys, next);
  }

  /**
   * Loads the ring in {@code dir}; a folder holding a single key becomes a ring of that key, an
   * empty one a ring of one new {@code algorithm} key.
   */
  public static KeyRing ensure(Path dir, String algorithm, Clock clock) throws IOException {
    if (!exists(dir)) {
      if (SigningKeys.exists(dir)) {
        save(dir, adopt(dir), clock);
      } else {
        rotate(dir, algorithm, Duration.ZERO, clock);
      }
    }
    return load(dir, clock);
  }

  /**
   * Adds a new current key; the previous current key stays published for {@code keepFor}.
   *
   * @return the new ring
   */
  public static KeyRing rotate(Path dir, String algorithm, Duration keepFor, Clock clock) throws IOException {
    Files.createDirectories(dir);
    Instant now = clock.instant();
    RingFile ring = exists(dir) ? read(dir) : SigningKeys.exists(dir) ? adopt(dir) : new RingFile();
    SigningKey fresh = SigningKeys.generate(algorithm);
    SigningKeys.write(fresh, SigningKeys.keyDir(dir, fresh.kid()));
    if (ring.current != null) {
      ring.retired.add(0, new Retired(ring.current, now.plus(keepFor).toString()));
    }
    ring.current = fresh.kid();
    return save(dir, ring, clock);
  }

  /** Forgets retired keys whose time has passed (ring, published set and key files). */
  public static KeyRing prune(Path dir, Clock clock) throws IOException {
    return save(dir, read(dir), clock);
  }

  private static RingFile read(Path dir) throws IOException {
    return JSON.readValue(dir.resolve(RING_FILE).toFile(), RingFile.class);
  }

  /**
   * The ring of a single-key folder: its key becomes the current key of the ring, in its own
   * sub-folder (the single-key files are removed by {@link #save} once the ring is written).
   */
  private static RingFile adopt(Path dir) throws IOException {
    SigningKey single = SigningKeys.load(dir);
    SigningKeys.write(single, SigningKeys.keyDir(dir, single.kid()));
    RingFile ring = new RingFile();
    ring.current = single.kid();
    return ring;
  }

  /** Drops expired retired keys from {@code ring}, writes ring.json then jwks.json, returns the ring. */
  private static KeyRing save(Path dir, RingFile ring, Clock clock) throws IOException {
    Instant now = clock.instant();
    List<Retired> kept = new ArrayList<>();
    List<String> expired = new ArrayList<>();
    for (Retired r : ring.retired) {
      if (Instant.parse(r.verify_until).isAfter(now)) {
        kept.add(r);
      } else {
        expired.add(r.kid);
      }
    }
    ring.retired = kept;
    writeAtomically(dir.resolve(RING_FILE), JSON.writerWithDefaultPrettyPrinter().writeValueAsString(ring));
    KeyRing result = load(dir, clock);
    writeAtomically(dir.resolve(JWKS_FILE), result.jwksJson());
    Files.deleteIfExists(dir.resolve(SigningKeys.PRIVATE_KEY_FILE)); // a single key now adopted
    for (String kid : expired) {
      deleteKeyDir(SigningKeys.keyDir(dir, kid));
    }
    return result;
  }

  private static void deleteKeyDir(Path keyDir) throws IOException {
    Files.deleteIfExists(keyDir.resolve(SigningKeys.PRIVATE_KEY_FILE));
    Files.deleteIfExists(keyDir.resolve(SigningKeys.JWKS_FILE));
    Files.deleteIfExists(keyDir);
  }

  private static void writeAtomically(Path target, String content) throws IOException {
    Path tmp = Files.createTempFile(target.getParent(), ".tmp-", ".part");
    try {
      Files.writeString(tmp, content);
      Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  /** ring.json, for Jackson. */
  static final class RingFile {
    @JsonProperty public String current;
    @JsonProperty public List<Retired> retired = new ArrayList<>();
  }

  /** A retired key and until when it verifies, for Jackson. */
  static final class Retired {
    @JsonProperty public String kid;
    @JsonProperty public String verify_until;

    Retired() {}

    Retired(String kid, String verifyUntil) {
      this.kid = kid;
      this.verify_until = verifyUntil;
    }
  }
}
