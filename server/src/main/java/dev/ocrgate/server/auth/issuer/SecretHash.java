package dev.ocrgate.server.auth.issuer;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
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

  /** Spends the time of one verification on nothing (unknown client ids). */
  static void burnOneVerification(char[] secret) {
    Dummy.HASH.matches(secret);
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

  private static byte[] derive(char[] secret, byte[] salt, int iterations, int bytes) {
    PBEKeySpec spec = new PBEKeySpec(secret, salt, iterations, bytes * 8);
    try {
      return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("PBKDF2WithHmacSHA256 unavailable", e);
    } finally {
      spec.clearPassword();
    }
  }

  /** Hashed when the client id is unknown, so that answer takes as long as a wrong secret (lazy). */
  private static final class Dummy {
    static final SecretHash HASH = hash("no such client".toCharArray(), MIN_ITERATIONS);
  }

  static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  static void wipe(char[] c) {
    Arrays.fill(c, '\0');
  }
}
