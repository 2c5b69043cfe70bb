package dev.ocrgate.server.auth;

import io.jsonwebtoken.security.Jwk;
import io.jsonwebtoken.security.JwkSet;
import io.jsonwebtoken.security.Jwks;
import io.jsonwebtoken.security.PublicJwk;
import java.security.Key;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** An immutable set of verification keys by kid; also a {@link KeySource} that never changes. */
public final class KeySet implements KeySource {
  private static final Logger log = LoggerFactory.getLogger(KeySet.class);
  private static final String NO_KID = "\u0000no-kid";
  static final KeySet EMPTY = new KeySet(Map.of());

  private final Map<String, VerificationKey> byKid;

  private KeySet(Map<String, VerificationKey> byKid) {
    this.byKid = Map.copyOf(byKid);
  }

  /** A set of {@code keys}; two keys with one kid is an error. */
  public static KeySet of(Collection<VerificationKey> keys) {
    Map<String, VerificationKey> m = new HashMap<>();
    for (VerificationKey k : keys) {
      if (m.put(k.kid() == null ? NO_KID : k.kid(), k) != null) {
        throw new IllegalArgumentException("two keys with kid " + k.kid());
      }
    }
    return new KeySet(m);
  }

  /**
   * The public signing keys of a JWK Set document. Keys without a kid, private or secret keys and
   * keys meant for encryption ({@code use: enc}) are skipped; a malformed document is an
   * IllegalArgumentException.
   */
  public static KeySet parseJwks(String json) {
    JwkSet set;
    try {
      set = Jwks.setParser().ignoreUnsupported(true).build().parse(json);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("not a JWK Set: " + e.getClass().getSimpleName(), e);
    }
    Map<String, VerificationKey> m = new HashMap<>();
    for (Jwk<?> jwk : set.getKeys()) {
      if (!(jwk instanceof PublicJwk) || jwk.getId() == null || "enc".equals(jwk.get("use"))) {
        log.warn("JWKS: skipping a key that is not a public signing key with a kid (kid={})", jwk.getId());
        continue;
      }
      Key key = jwk.toKey();
      if (m.putIfAbsent(jwk.getId(), VerificationKey.of(jwk.getId(), key, jwk.getAlgorithm())) != null) {
        throw new IllegalArgumentException("JWKS has two keys with kid " + jwk.getId());
      }
    }
    return new KeySet(m);
  }

  @Override
  public VerificationKey find(String kid) {
    return byKid.get(kid == null ? NO_KID : kid);
  }

  public int size() {
    return byKid.size();
  }

  /** The kids in this set, for startup logs. */
  public List<String> kids() {
    return byKid.keySet().stream().map(k -> k.equals(NO_KID) ? "(none)" : k).sorted().toList();
  }
}
