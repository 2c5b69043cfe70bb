package dev.ocrgate.server.auth.issuer;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.concurrent.atomic.LongAdder;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * A client secret stored as a salted slow hash: PBKDF2-HMAC-SHA256 from the JDK, written
 * {@code pbkdf2-sha256$<iterations>$<salt b64>$<hash b64>} (standard base64, no padding). At least
 * {@value #MIN_ITERATIONS} iterations (the OWASP 2023 figure for PBKDF2-SHA256), 16-byte salt,
 * 32-byte hash. Comparison is constant-time ({@link MessageDigest#isEqual}).
 *
 * <p>Immutable. {@link #toString} shows only the scheme and iteration count.
 */
public final class SecretHash {
  public static final int MIN_ITERATIONS = 210_000;
  private static final String SCHEME = "pbkdf2-sha256";
  private static final int SALT_BYTES = 16;
  private static final int HASH_BYTES = 32;
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final Base64.Encoder B64 = Base64.getEncoder().withoutPadding();
  private static final LongAdder DERIVATIONS = new LongAdder();

  private final int iterations;
  private final byte[] salt;
  private final byte[] hash;

  private SecretHash(int iterations, byte[] salt, byte[] hash) {
    this.iterations = iterations;
    this.salt = salt;
    this.hash = hash;
  }

  /** Hashes {@code secret} with a fresh random salt. */
  public static SecretHash hash(char[] secret, int iterations) {
    if (iterations < MIN_ITERATIONS) {
      throw new IllegalArgumentException("at least " + MIN_ITERATIONS + " iterations, got " + iterations);
    }
    byte[] salt = new byte[SALT_BYTES];
    RANDOM.nextBytes(salt);
    return new SecretHash(iterations, salt, derive(secret, salt, iterations, HASH_BYTES));
  }

  /**
   * Parses the stored form.
   *
   * @throws IllegalArgumentException naming the problem (never echoing the value)
   */
  public static SecretHash parse(String encoded) {
    String[] parts = encoded == null ? new String[0] : encoded.split("\\$", -1);
    if (parts.length != 4 || !SCHEME.equals(parts[0])) {
      throw new IllegalArgumentException("not a " + SCHEME + "$iterations$salt$hash value");
    }
    int iter;
    byte[] salt;
    byte[] hash;
    try {
      iter = Integer.parseInt(parts[1]);
      salt = Base64.getDecoder().decode(parts[2]);
      hash = Base64.getDecoder().decode(parts[3]);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("malformed " + SCHEME + " value (iterations or base64)");
    }
    if (iter < MIN_ITERATIONS) {
      throw new IllegalArgumentException(SCHEME + " needs at least " + MIN_ITERATIONS + " iterations, has " + iter);
    }
    if (salt.length < SALT_BYTES || hash.length < HASH_BYTES) {
      throw new IllegalArgumentException(SCHEME + " salt must be >= 16 bytes and hash >= 32 bytes");
    }
    return new SecretHash(iter, salt, hash);
  }

  /** Whether {@code secret} matches, compared in constant time. */
  public boolean matches(char[] secret) {
    return MessageDigest.isEqual(hash, derive(secret, salt, iterations, hash.length));
  }

  /**
   * A hash of a random secret with this hash's parameters (iterations, salt and hash length), so
   * verifying against it costs exactly what verifying against this one does. Unknown client ids
   * are checked against such a hash ({@link ClientRegistry#unknownClientHash}).
   */
  SecretHash sameCostDummy() {
    byte[] randomSecret = new byte[HASH_BYTES];
    RANDOM.nextBytes(randomSecret);
    char[] chars = B64.encodeToString(randomSecret).toCharArray();
    byte[] dummySalt = new byte[salt.length];
    RANDOM.nextBytes(dummySalt);
    try {
      return new SecretHash(iterations, dummySalt, derive(chars, dummySalt, iterations, hash.length));
    } finally {
      wipe(chars);
    }
  }

  /**
   * PBKDF2 work of one verification, in HMAC-SHA256 iterations: the iteration count times the
   * number of 32-byte blocks derived (a 64-byte stored hash costs twice as much).
   */
  public long cost() {
    return (long) iterations * ((hash.length + HASH_BYTES - 1) / HASH_BYTES);
  }

  /**
   * A short public fingerprint of this stored hash (base64url of the first 12 bytes of its
   * SHA-256): it changes whenever the secret is re-hashed, so state bound to it (refresh-token
   * chains) ends when the client's secret rotates. Reveals nothing usable about the secret.
   */
  public String fingerprint() {
    try {
      byte[] d = MessageDigest.getInstance("SHA-256").digest(utf8("ocrgate-secret-fingerprint:" + encode()));
      return Base64.getUrlEncoder().withoutPadding().encodeToString(Arrays.copyOf(d, 12));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A hash with the minimum parameters, for a registry without clients (lazily made once). */
  static SecretHash minimumCostTemplate() {
    return MinimumCost.HASH;
  }

  int saltBytes() {
    return salt.length;
  }

  int hashBytes() {
    return hash.length;
  }

  /** The stored form. */
  public String encode() {
    return SCHEME + "$" + iterations + "$" + B64.encodeToString(salt) + "$" + B64.encodeToString(hash);
  }

  public int iterations() {
    return iterations;
  }

  @Override
  public String toString() {
    return SCHEME + "(" + iterations + " iterations)";
  }

  /** PBKDF2 derivations run in this process so far (hashing, verifying, dummies): a test hook. */
  public static long derivations() {
    return DERIVATIONS.sum();
  }

  private static byte[] derive(char[] secret, byte[] salt, int iterations, int bytes) {
    DERIVATIONS.increment();
    PBEKeySpec spec = new PBEKeySpec(secret, salt, iterations, bytes * 8);
    try {
      return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("PBKDF2WithHmacSHA256 unavailable", e);
    } finally {
      spec.clearPassword();
    }
  }

  /** Holder: hashed on first use only. */
  private static final class MinimumCost {
    static final SecretHash HASH = hash("template".toCharArray(), MIN_ITERATIONS);
  }

  static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  static void wipe(char[] c) {
    Arrays.fill(c, '\0');
  }
}
