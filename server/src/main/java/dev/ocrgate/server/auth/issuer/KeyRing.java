package dev.ocrgate.server.auth.issuer;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ocrgate.server.auth.SigningKey;
import dev.ocrgate.server.auth.SigningKeys;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The issuer's signing keys on disk, with rotation. {@code keys_dir/<kid>/} holds each key as
 * written by {@link SigningKeys}; {@code keys_dir/ring.json} names the current key and the retired
 * ones with the instant until which their tokens may still be valid; {@code keys_dir/jwks.json} is
 * the published public set (current + retired-but-still-verifiable), which a verifier's
 * {@code auth.jwks_file} can point at.
 *
 * <p>{@link #rotate} adds a new key and keeps the old public key published for {@code keepFor}
 * (at least the access-token lifetime plus clock skew), then forgets keys whose time has passed.
 * An immutable snapshot; {@link #load} reads one. Rotation is not safe against two concurrent
 * rotations of the same folder (an operator command).
 */
public final class KeyRing {
  static final String RING_FILE = "ring.json";
  static final String JWKS_FILE = "jwks.json";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern KID = Pattern.compile("[A-Za-z0-9_-]{1,64}");

  private final SigningKey current;
  private final List<SigningKey> verifiable; // current first, then retired still valid

  private KeyRing(SigningKey current, List<SigningKey> verifiable) {
    this.current = current;
    this.verifiable = List.copyOf(verifiable);
  }

  /** A ring of one key (tests, embedding without files). */
  public static KeyRing of(SigningKey current) {
    return new KeyRing(current, List.of(current));
  }

  /** The key that signs new tokens. */
  public SigningKey current() {
    return current;
  }

  /** The public JWK Set: the current key and retired keys whose tokens may still be valid. */
  public String jwksJson() {
    List<io.jsonwebtoken.security.PublicJwk<?>> jwks = new ArrayList<>();
    for (SigningKey k : verifiable) {
      jwks.add(k.publicJwk());
    }
    return SigningKey.jwksJson(jwks);
  }

  /** The kids published, current first. */
  public List<String> kids() {
    return verifiable.stream().map(SigningKey::kid).toList();
  }

  /** Whether {@code dir} already holds a ring. */
  public static boolean exists(Path dir) {
    return Files.isRegularFile(dir.resolve(RING_FILE));
  }

  /** Reads the ring in {@code dir}; retired keys past their time are left out. */
  public static KeyRing load(Path dir, Clock clock) throws IOException {
    RingFile ring = JSON.readValue(dir.resolve(RING_FILE).toFile(), RingFile.class);
    SigningKey current = SigningKeys.load(keyDir(dir, ring.current));
    List<SigningKey> keys = new ArrayList<>(List.of(current));
    Instant now = clock.instant();
    for (Retired r : ring.retired) {
      if (Instant.parse(r.verify_until).isAfter(now)) {
        keys.add(SigningKeys.load(keyDir(dir, r.kid)));
      }
    }
    return new KeyRing(current, keys);
  }

  /** Loads the ring in {@code dir}, creating it with one new {@code algorithm} key when absent. */
  public static KeyRing ensure(Path dir, String algorithm, Clock clock) throws IOException {
    if (!exists(dir)) {
      rotate(dir, algorithm, Duration.ZERO, clock);
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
    RingFile ring = exists(dir) ? JSON.readValue(dir.resolve(RING_FILE).toFile(), RingFile.class) : new RingFile();
    SigningKey fresh = SigningKeys.generate(algorithm);
    SigningKeys.write(fresh, keyDir(dir, fresh.kid()));
    List<Retired> kept = new ArrayList<>();
    if (ring.current != null) {
      kept.add(new Retired(ring.current, now.plus(keepFor).toString()));
    }
    for (Retired r : ring.retired) {
      if (Instant.parse(r.verify_until).isAfter(now)) {
        kept.add(r);
      } else {
        deleteKeyDir(keyDir(dir, r.kid));
      }
    }
    ring.current = fresh.kid();
    ring.retired = kept;
    writeAtomically(dir.resolve(RING_FILE), JSON.writerWithDefaultPrettyPrinter().writeValueAsString(ring));
    KeyRing result = load(dir, clock);
    writeAtomically(dir.resolve(JWKS_FILE), result.jwksJson());
    return result;
  }

  private static Path keyDir(Path dir, String kid) throws IOException {
    if (kid == null || !KID.matcher(kid).matches()) {
      throw new IOException(dir.resolve(RING_FILE) + ": bad kid");
    }
    return dir.resolve(kid);
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
