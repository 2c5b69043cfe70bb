package dev.ocrgate.server.auth.issuer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.time.Instant;
import java.util.Base64;

/** An access token just signed here, with the two claims the issuer tracks. Immutable. */
record MintedToken(String token, String jti, Instant expiresAt) {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Reads {@code jti} and {@code exp} back from a token this process has just signed. */
  static MintedToken of(String compactJws) {
    int a = compactJws.indexOf('.');
    int b = compactJws.indexOf('.', a + 1);
    try {
      JsonNode claims = JSON.readTree(Base64.getUrlDecoder().decode(compactJws.substring(a + 1, b)));
      return new MintedToken(compactJws, claims.get("jti").asText(), Instant.ofEpochSecond(claims.get("exp").asLong()));
    } catch (IOException | RuntimeException e) {
      throw new IllegalStateException("minted token has no readable jti/exp", e);
    }
  }

  @Override
  public String toString() {
    return "MintedToken{jti=" + jti + ", exp=" + expiresAt + "}";
  }
}
