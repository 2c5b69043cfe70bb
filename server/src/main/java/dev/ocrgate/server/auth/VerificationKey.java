package dev.ocrgate.server.auth;

import java.security.Key;
import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.util.Objects;
import javax.crypto.SecretKey;

/**
 * One key that may verify tokens: its kid (null only for a kid-less HS256 secret), the key, the
 * {@code alg} its JWK was restricted to (null = any algorithm of the key's type), and the issuer
 * whose tokens it may sign (null = not bound: any accepted issuer; configured keys are always bound,
 * see {@link IssuerBoundKeySource}).
 *
 * <p>{@link #usableFor} is the RS/HS confusion guard: an RSA public key never verifies an HMAC
 * token, a secret never verifies an RSA token, and weak keys verify nothing. {@link #mayIssue} is
 * the issuer binding: issuer B's key never vouches for a token claiming issuer A. Immutable.
 */
public final class VerificationKey {
  private final String kid;
  private final Key key;
  private final String jwkAlgorithm;
  private final String issuer;

  private VerificationKey(String kid, Key key, String jwkAlgorithm, String issuer) {
    this.kid = kid;
    this.key = Objects.requireNonNull(key, "key");
    this.jwkAlgorithm = jwkAlgorithm;
    this.issuer = issuer;
  }

  /** A key not bound to an issuer. */
  public static VerificationKey of(String kid, Key key, String jwkAlgorithm) {
    if (!(key instanceof PublicKey) && !(key instanceof SecretKey)) {
      throw new IllegalArgumentException("verification keys are public keys or secrets");
    }
    return new VerificationKey(kid, key, jwkAlgorithm, null);
  }

  /** This key, verifying only tokens whose {@code iss} is {@code issuer}. */
  public VerificationKey boundTo(String issuer) {
    return Objects.equals(this.issuer, issuer) ? this
        : new VerificationKey(kid, key, jwkAlgorithm, Objects.requireNonNull(issuer, "issuer"));
  }

  public String kid() {
    return kid;
  }

  /** True when a token with {@code iss} may be signed by this key. */
  public boolean mayIssue(String iss) {
    return issuer == null || issuer.equals(iss);
  }

  /**
   * True when {@code other} is the same key (kid, material, JWK alg, issuer binding): a key source
   * that re-read its keys still trusts what this key verified.
   */
  public boolean sameKeyAs(VerificationKey other) {
    return other == this || (other != null && Objects.equals(kid, other.kid) && key.equals(other.key)
        && Objects.equals(jwkAlgorithm, other.jwkAlgorithm) && Objects.equals(issuer, other.issuer));
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
    return "VerificationKey{kid=" + kid + ", type=" + key.getAlgorithm() + (issuer == null ? "" : ", iss=" + issuer) + "}";
  }
}
