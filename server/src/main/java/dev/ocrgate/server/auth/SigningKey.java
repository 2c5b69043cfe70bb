package dev.ocrgate.server.auth;

import io.jsonwebtoken.security.Jwk;
import io.jsonwebtoken.security.Jwks;
import io.jsonwebtoken.security.PublicJwk;
import java.security.Key;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.util.List;
import java.util.Objects;
import javax.crypto.SecretKey;

/**
 * A key that signs tokens: its JWS algorithm, its {@code kid}, the private (or secret) key, and for
 * asymmetric algorithms the public key published in a JWKS. Immutable. {@link #toString()} never
 * shows key material.
 */
public final class SigningKey {
  private final String algorithm;
  private final String kid;
  private final Key signingKey;
  private final PublicKey publicKey;

  private SigningKey(String algorithm, String kid, Key signingKey, PublicKey publicKey) {
    this.algorithm = Objects.requireNonNull(algorithm, "algorithm");
    this.kid = kid;
    this.signingKey = Objects.requireNonNull(signingKey, "signingKey");
    this.publicKey = publicKey;
  }

  /** An asymmetric key pair (RS256, ES256 or EdDSA). */
  public static SigningKey asymmetric(
      String algorithm, String kid, PrivateKey privateKey, PublicKey publicKey) {
    return new SigningKey(algorithm, Objects.requireNonNull(kid, "kid"), privateKey,
        Objects.requireNonNull(publicKey, "publicKey"));
  }

  /** An HS256 secret; {@code kid} may be null. */
  public static SigningKey hmac(String kid, SecretKey secret) {
    return new SigningKey("HS256", kid, secret, null);
  }

  public String algorithm() {
    return algorithm;
  }

  public String kid() {
    return kid;
  }

  /** The private or secret key. Never log it. */
  public Key signingKey() {
    return signingKey;
  }

  /** The public key, or null for HS256. */
  public PublicKey publicKey() {
    return publicKey;
  }

  /** The public key as a JWK with kid, alg and {@code use: sig}; HS256 keys have none. */
  public PublicJwk<?> publicJwk() {
    if (publicKey == null) {
      throw new IllegalStateException("an HS256 secret has no public JWK");
    }
    return (PublicJwk<?>) Jwks.builder().key(publicKey).id(kid).algorithm(algorithm)
        .add("use", "sig").build();
  }

  /** A JWK Set document holding only this key's public JWK. */
  public String publicJwksJson() {
    return jwksJson(List.of(publicJwk()));
  }

  /** A JWK Set document ({"keys":[...]}) of public JWKs. */
  public static String jwksJson(List<? extends Jwk<?>> publicJwks) {
    StringBuilder sb = new StringBuilder("{\"keys\":[");
    for (int i = 0; i < publicJwks.size(); i++) {
      if (i > 0) {
        sb.append(',');
      }
      sb.append(Jwks.json((PublicJwk<?>) publicJwks.get(i)));
    }
    return sb.append("]}").toString();
  }

  @Override
  public String toString() {
    return "SigningKey{alg=" + algorithm + ", kid=" + kid + "}";
  }
}
