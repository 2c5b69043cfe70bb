package dev.ocrgate.server.auth;

import java.security.Key;
import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.util.Objects;
import javax.crypto.SecretKey;

/**
 * One key that may verify tokens: its kid (null only for a kid-less HS256 secret), the key, and the
 * {@code alg} its JWK was restricted to (null = any algorithm of the key's type).
 *
 * <p>{@link #usableFor} is the RS/HS confusion guard: an RSA public key never verifies an HMAC
 * token, a secret never verifies an RSA token, and weak keys verify nothing. Immutable.
 */
public final class VerificationKey {
  private final String kid;
  private final Key key;
  private final String jwkAlgorithm;

  private VerificationKey(String kid, Key key, String jwkAlgorithm) {
    this.kid = kid;
    this.key = Objects.requireNonNull(key, "key");
    this.jwkAlgorithm = jwkAlgorithm;
  }

  public static VerificationKey of(String kid, Key key, String jwkAlgorithm) {
    if (!(key instanceof PublicKey) && !(key instanceof SecretKey)) {
      throw new IllegalArgumentException("verification keys are public keys or secrets");
    }
    return new VerificationKey(kid, key, jwkAlgorithm);
  }

  public String kid() {
    return kid;
  }

  Key key() {
    return key;
  }

  /** True when this key may verify a token whose header says {@code alg}. */
  public boolean usableFor(String alg) {
    if (jwkAlgorithm != null && !jwkAlgorithm.equals(alg)) {
      return false;
    }
    switch (alg) {
      case "HS256":
        return key instanceof SecretKey && key.getEncoded() != null && key.getEncoded().length >= 32;
      case "RS256":
      case "RS384":
      case "RS512":
      case "PS256":
      case "PS384":
      case "PS512":
        return key instanceof RSAPublicKey && ((RSAPublicKey) key).getModulus().bitLength() >= 2048;
      case "ES256":
        return key instanceof ECPublicKey && ((ECPublicKey) key).getParams().getCurve().getField().getFieldSize() == 256;
      case "ES384":
        return key instanceof ECPublicKey && ((ECPublicKey) key).getParams().getCurve().getField().getFieldSize() == 384;
      case "EdDSA":
        return key instanceof PublicKey
            && ("EdDSA".equals(key.getAlgorithm()) || "Ed25519".equals(key.getAlgorithm()) || "Ed448".equals(key.getAlgorithm()));
      default:
        return false;
    }
  }

  @Override
  public String toString() {
    return "VerificationKey{kid=" + kid + ", type=" + key.getAlgorithm() + "}";
  }
}
