package dev.ocrgate.server.auth;

import io.jsonwebtoken.JwtBuilder;
import io.jsonwebtoken.Jwts;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.UUID;
import java.util.function.Consumer;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** Token forgery kit for tests: valid tokens with a tweak, and hand-assembled hostile ones. */
public final class Tokens {
  public static final String ISSUER = "ocrgate";
  public static final String AUDIENCE = "ocrgate";
  private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

  private final Clock clock;

  public Tokens(Clock clock) {
    this.clock = clock;
  }

  /** A builder pre-filled with a valid token's header and claims (5 min, scope ocr:recognize). */
  public JwtBuilder valid(SigningKey key) {
    Instant now = clock.instant();
    JwtBuilder b = Jwts.builder();
    b.header().type("at+jwt").keyId(key.kid());
    return b.issuer(ISSUER).subject("alice").audience().add(AUDIENCE).and()
        .issuedAt(Date.from(now)).expiration(Date.from(now.plus(Duration.ofMinutes(5))))
        .id(UUID.randomUUID().toString()).claim("scope", "ocr:recognize ocr:stream")
        .claim("tenant_id", "acme");
  }

  public String sign(SigningKey key, Consumer<JwtBuilder> tweak) {
    JwtBuilder b = valid(key);
    tweak.accept(b);
    return b.signWith(key.signingKey()).compact();
  }

  public String sign(SigningKey key) {
    return sign(key, b -> {});
  }

  public static String b64(String json) {
    return B64.encodeToString(json.getBytes(StandardCharsets.UTF_8));
  }

  /** A payload JSON with valid claims for now. */
  public String payloadJson(String extra) {
    long now = clock.instant().getEpochSecond();
    return "{\"iss\":\"" + ISSUER + "\",\"sub\":\"mallory\",\"aud\":\"" + AUDIENCE + "\",\"iat\":" + now
        + ",\"exp\":" + (now + 300) + ",\"scope\":\"ocr:recognize ocr:admin\"" + extra + "}";
  }

  /** header.payload signed with HMAC-SHA256 under {@code keyBytes} (for alg-confusion attacks). */
  public static String hmacSigned(String headerJson, String payloadJson, byte[] keyBytes) {
    String input = b64(headerJson) + "." + b64(payloadJson);
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(keyBytes, "HmacSHA256"));
      return input + "." + B64.encodeToString(mac.doFinal(input.getBytes(StandardCharsets.US_ASCII)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }
}
