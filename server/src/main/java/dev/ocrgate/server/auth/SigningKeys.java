package dev.ocrgate.server.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jsonwebtoken.Jwts;
import io.jsonwebtoken.security.Jwk;
import io.jsonwebtoken.security.JwkSet;
import io.jsonwebtoken.security.Jwks;
import io.jsonwebtoken.security.PublicJwk;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Makes, writes and reads asymmetric signing keys. On disk a key is two files in one folder:
 * {@value #PRIVATE_KEY_FILE} (PKCS#8 PEM, mode 600) and {@value #JWKS_FILE} (the public JWK Set
 * with kid and alg, which a verifier's {@code auth.jwks_file} can point at).
 *
 * <p>A key folder has one of two layouts: a single key (the two files, made by {@code ocrgate keys
 * generate} and dev mode), or, once rotated, a key ring ({@value #RING_FILE} naming the current kid,
 * each key in {@code <kid>/}, the published set in {@value #JWKS_FILE}; see
 * {@code issuer.KeyRing}). {@link #loadCurrent} reads the signing key of either.
 *
 * <p>Stateless; every method is thread-safe.
 */
public final class SigningKeys {
  public static final String PRIVATE_KEY_FILE = "signing-key.pem";
  public static final String JWKS_FILE = "jwks.json";
  /** In a rotated key folder: the current kid and the retired ones. */
  public static final String RING_FILE = "ring.json";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern KID = Pattern.compile("[A-Za-z0-9_-]{1,64}");

  private SigningKeys() {}

  /** A fresh key pair for {@code algorithm} (RS256: RSA 2048, ES256: P-256, EdDSA: Ed25519). */
  public static SigningKey generate(String algorithm) {
    String alg = canonical(algorithm);
    KeyPair pair;
    switch (alg) {
      case "RS256":
        pair = Jwts.SIG.RS256.keyPair().build();
        break;
      case "ES256":
        pair = Jwts.SIG.ES256.keyPair().build();
        break;
      default:
        pair = Jwks.CRV.Ed25519.keyPair().build();
        break;
    }
    Jwk<?> jwk = Jwks.builder().key(pair.getPublic()).idFromThumbprint().build();
    String kid = alg.toLowerCase(Locale.ROOT) + "-" + jwk.getId().substring(0, 16);
    return SigningKey.asymmetric(alg, kid, pair.getPrivate(), pair.getPublic());
  }

  /** {@code RS256}, {@code ES256} or {@code EdDSA} (case-insensitive); anything else is refused. */
  public static String canonical(String algorithm) {
    String a = algorithm == null ? "" : algorithm.trim().toUpperCase(Locale.ROOT);
    switch (a) {
      case "RS256":
      case "ES256":
        return a;
      case "EDDSA":
      case "ED25519":
        return "EdDSA";
      default:
        throw new IllegalArgumentException("unsupported signing algorithm '" + algorithm
            + "' (use RS256, ES256 or EdDSA)");
    }
  }

  /** Writes the private key and the public JWKS into {@code dir} (created when absent). */
  public static void write(SigningKey key, Path dir) throws IOException {
    if (key.publicKey() == null) {
      throw new IllegalArgumentException("only asymmetric keys are written to disk");
    }
    Files.createDirectories(dir);
    Path pem = dir.resolve(PRIVATE_KEY_FILE);
    writeAtomically(pem, pem("PRIVATE KEY", key.signingKey().getEncoded()), true);
    writeAtomically(dir.resolve(JWKS_FILE), key.publicJwksJson(), false);
  }

  /** Reads back a key written by {@link #write}. */
  public static SigningKey load(Path dir) throws IOException {
    String jwksJson = Files.readString(dir.resolve(JWKS_FILE));
    JwkSet set = Jwks.setParser().build().parse(jwksJson);
    if (set.getKeys().size() != 1) {
      throw new IOException(dir.resolve(JWKS_FILE) + ": expected exactly one key");
    }
    PublicJwk<?> jwk = (PublicJwk<?>) set.getKeys().iterator().next();
    String alg = canonical(jwk.getAlgorithm());
    byte[] der = pemBody(Files.readString(dir.resolve(PRIVATE_KEY_FILE)), "PRIVATE KEY");
    PrivateKey priv;
    try {
      priv = KeyFactory.getInstance(keyFactoryAlgorithm(alg)).generatePrivate(new PKCS8EncodedKeySpec(der));
    } catch (GeneralSecurityException e) {
      throw new IOException(dir.resolve(PRIVATE_KEY_FILE) + ": not a PKCS#8 " + alg + " key", e);
    }
    return SigningKey.asymmetric(alg, jwk.getId(), priv, (PublicKey) jwk.toKey());
  }

  /** True when {@code dir} holds both files of a single key (not a rotated folder). */
  public static boolean exists(Path dir) {
    return Files.isRegularFile(dir.resolve(PRIVATE_KEY_FILE)) && Files.isRegularFile(dir.resolve(JWKS_FILE));
  }

  /** True when {@code dir} has been rotated: it holds a key ring. */
  public static boolean isRing(Path dir) {
    return Files.isRegularFile(dir.resolve(RING_FILE));
  }

  /** True when {@code dir} holds a signing key in either layout. */
  public static boolean hasKey(Path dir) {
    return isRing(dir) || exists(dir);
  }

  /**
   * The key that signs new tokens in {@code dir}: the ring's current key once the folder has been
   * rotated, otherwise the folder's single key.
   */
  public static SigningKey loadCurrent(Path dir) throws IOException {
    if (!isRing(dir)) {
      return load(dir);
    }
    JsonNode current = JSON.readTree(dir.resolve(RING_FILE).toFile()).path("current");
    return load(keyDir(dir, current.isTextual() ? current.asText() : null));
  }

  /** The sub-folder of a ring folder {@code dir} holding key {@code kid}; a kid that is not a plain name is refused. */
  public static Path keyDir(Path dir, String kid) throws IOException {
    if (kid == null || !KID.matcher(kid).matches()) {
      throw new IOException(dir.resolve(RING_FILE) + ": bad kid");
    }
    return dir.resolve(kid);
  }

  static String keyFactoryAlgorithm(String alg) {
    switch (alg) {
      case "RS256":
        return "RSA";
      case "ES256":
        return "EC";
      default:
        return "Ed25519";
    }
  }

  static String pem(String type, byte[] der) {
    String b64 = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
    return "-----BEGIN " + type + "-----\n" + b64 + "\n-----END " + type + "-----\n";
  }

  static byte[] pemBody(String text, String type) throws IOException {
    String begin = "-----BEGIN " + type + "-----";
    String end = "-----END " + type + "-----";
    int b = text.indexOf(begin);
    int e = text.indexOf(end);
    if (b < 0 || e < b) {
      throw new IOException("no " + type + " PEM block");
    }
    try {
      return Base64.getMimeDecoder().decode(text.substring(b + begin.length(), e));
    } catch (IllegalArgumentException ex) {
      throw new IOException("bad base64 in " + type + " PEM block", ex);
    }
  }

  private static void writeAtomically(Path target, String content, boolean secret) throws IOException {
    Path tmp = Files.createTempFile(target.getParent(), ".tmp-", ".part");
    try {
      if (secret) {
        try {
          Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException ignored) {
          // not a POSIX file system: rely on the directory's permissions
        }
      }
      Files.writeString(tmp, content);
      Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }
}
