package dev.ocrgate.server.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Call authentication (JWT Bearer) and authorization (scopes per method): the {@code auth:} section.
 *
 * <p>Deny by default: a method that is neither in {@link #public_methods} nor in {@link
 * #method_scopes} is rejected with PERMISSION_DENIED after the caller has authenticated (an
 * unauthenticated caller always gets UNAUTHENTICATED first, so the method list is not probeable).
 */
public final class AuthConfig {
  /** The default of {@link #max_token_lifetime_seconds}: 24 h. */
  public static final int DEFAULT_MAX_TOKEN_LIFETIME_SECONDS = 86_400;

  /** Check a Bearer JWT on every non-public call. Default true. */
  @JsonProperty public boolean enabled = true;
  /**
   * Accepted JWS algorithms. Default RS256, ES256, EdDSA. HS256 is accepted only when listed here
   * and its secret (≥ 256 bits) is set; a secret alone enables nothing.
   */
  @JsonProperty public List<String> algorithms = new ArrayList<>(List.of("RS256", "ES256", "EdDSA"));
  /**
   * Accepted {@code iss} values (exact match). Default {@code ocrgate}. Every key source is bound
   * to one of them (the {@code *_issuer} keys); with a single issuer they all default to it.
   */
  @JsonProperty public List<String> issuers = new ArrayList<>(List.of("ocrgate"));
  /** The audience that {@code aud} must contain. Default {@code ocrgate}. */
  @JsonProperty public String audience = "ocrgate";
  /** Tolerance for {@code exp}, {@code nbf} and {@code iat}, seconds. Default 60. */
  @JsonProperty public int clock_skew_seconds = 60;
  /**
   * Accept only {@code typ: at+jwt} (RFC 9068). Default true. {@code false} also accepts
   * {@code typ: JWT}, i.e. ID tokens and other JWTs presented as access tokens: only for an identity
   * provider that cannot mint {@code at+jwt}.
   */
  @JsonProperty public boolean strict_typ = true;
  /** The claim that carries the tenant. Default {@code tenant_id}. */
  @JsonProperty public String tenant_claim = "tenant_id";
  /**
   * Longest accepted token lifetime, seconds: a token whose {@code exp - iat} exceeds it (or that
   * has no {@code iat}) is refused UNAUTHENTICATED. A revoked jti is remembered this long plus twice
   * {@code clock_skew_seconds}, so a revoked token cannot outlive its revocation. Must cover the
   * identity provider's access-token lifetime and {@code issuer.access_ttl_seconds}. Default 86400 (24 h).
   */
  @JsonProperty public int max_token_lifetime_seconds = DEFAULT_MAX_TOKEN_LIFETIME_SECONDS;
  /** Longest accepted token, bytes. Default 8192. */
  @JsonProperty public int max_token_bytes = 8 * 1024;
  /** Environment variable holding the HS256 secret (≥ 32 bytes). Default {@code OCRGATE_JWT_SECRET}. */
  @JsonProperty public String hs256_secret_env = "OCRGATE_JWT_SECRET";
  /** {@code kid} of the HS256 secret; null = tokens without a kid. Default null. */
  @JsonProperty public String hs256_kid;
  /** The issuer whose tokens the HS256 secret may sign; default the only entry of {@code issuers}. */
  @JsonProperty public String hs256_issuer;
  /**
   * PEM public keys (SPKI {@code PUBLIC KEY} or {@code CERTIFICATE}), each with {@code kid},
   * {@code path} and {@code issuer} (the one issuer the key may sign for; default the only entry
   * of {@code issuers}).
   */
  @JsonProperty public List<PemKey> pem_keys = new ArrayList<>();
  /** A JWKS file, re-read when it changes (key rotation without restart). Default none. */
  @JsonProperty public String jwks_file;
  /** The issuer whose tokens the JWKS file's keys may sign; default the only entry of {@code issuers}. */
  @JsonProperty public String jwks_file_issuer;
  /** How often the JWKS file's modification time is checked, milliseconds. Default 1000. */
  @JsonProperty public long jwks_file_check_interval_ms = 1000;
  /** A JWKS URL (https in production), cached and refreshed in the background. Default none. */
  @JsonProperty public String jwks_url;
  /** The issuer whose tokens the JWKS URL's keys may sign; default the only entry of {@code issuers}. */
  @JsonProperty public String jwks_url_issuer;
  /** How long a fetched JWKS is used before a background refresh, seconds. Default 300. */
  @JsonProperty public int jwks_url_ttl_seconds = 300;
  /** Minimum time between refetches triggered by an unknown kid, seconds. Default 30. */
  @JsonProperty public int jwks_url_min_refetch_seconds = 30;
  /** Bound on one whole JWKS fetch (connect, headers and body), milliseconds. Default 2000. */
  @JsonProperty public int jwks_url_timeout_ms = 2000;
  /** Methods callable without a token; {@code Service/*} matches a whole service. */
  @JsonProperty
  public List<String> public_methods =
      new ArrayList<>(
          List.of(
              "grpc.health.v1.Health/*",
              "grpc.reflection.v1.ServerReflection/*",
              "grpc.reflection.v1alpha.ServerReflection/*",
              "ocrgate.v1.AuthService/IssueToken",
              "ocrgate.v1.AuthService/RefreshToken",
              "ocrgate.v1.AuthService/GetJwks"));
  /** Method (full name) → scopes the token must all carry; an empty list = any valid token. */
  @JsonProperty
  public Map<String, List<String>> method_scopes =
      new LinkedHashMap<>(
          Map.of(
              "ocrgate.v1.OcrService/Recognize", List.of("ocr:recognize"),
              "ocrgate.v1.OcrService/StreamFrames", List.of("ocr:stream"),
              "ocrgate.v1.AuthService/RevokeToken", List.of("ocr:admin")));
  /** What a stream does when its token expires: {@code close} (default) or {@code allow}. */
  @JsonProperty public String stream_expiry = "close";
  /** How often an open stream re-checks revocation of its token, seconds; 0 = never. Default 30. */
  @JsonProperty public int stream_revocation_recheck_seconds = 30;
  /** Verified tokens kept (keyed by SHA-256 of the token). Default 10000; 0 disables the cache. */
  @JsonProperty public int cache_max_entries = 10_000;
  /** One line per call on logger {@code ocrgate.audit}. Default true. */
  @JsonProperty public boolean audit = true;

  /**
   * Whether streams close when their token expires: {@code stream_expiry} read the one way both
   * {@code config check} and the server read it.
   *
   * @throws ConfigException when it is neither {@code close} nor {@code allow}
   */
  public boolean closesStreamsOnExpiry() {
    switch (stream_expiry == null ? "close" : stream_expiry.toLowerCase(Locale.ROOT)) {
      case "close":
        return true;
      case "allow":
        return false;
      default:
        throw new ConfigException("auth.stream_expiry must be close or allow, not '" + stream_expiry + "'");
    }
  }

  /** Checks the values that can be checked without building the verifier. */
  void validate() {
    closesStreamsOnExpiry();
    if (stream_revocation_recheck_seconds < 0 || max_token_bytes <= 0 || cache_max_entries < 0
        || max_token_lifetime_seconds <= 0) {
      throw new ConfigException("auth: stream_revocation_recheck_seconds and cache_max_entries must be >= 0,"
          + " max_token_bytes and max_token_lifetime_seconds > 0");
    }
  }

  /**
   * Every key file named here is readable, except a {@code jwks_file} that is
   * {@code createdAtStart} (the built-in issuer's, written when the server starts; null if none).
   */
  void validateFiles(Path createdAtStart) {
    if (createdAtStart == null || jwks_file == null || jwks_file.isBlank()
        || !ConfigFiles.sameFile(jwks_file, createdAtStart)) {
      ConfigFiles.readableIfSet("auth.jwks_file", jwks_file);
    }
    for (PemKey k : pem_keys) {
      ConfigFiles.readableIfSet("auth.pem_keys[" + k.kid + "].path", k.path);
    }
  }

  /** A PEM public key file and the kid tokens use to select it. */
  public static final class PemKey {
    /** Key id; tokens carry it in their {@code kid} header. */
    @JsonProperty public String kid;
    /** Path of the PEM file. */
    @JsonProperty public String path;
    /** The issuer whose tokens this key may sign; default the only entry of {@code auth.issuers}. */
    @JsonProperty public String issuer;

    public PemKey() {}

    public PemKey(String kid, String path) {
      this.kid = kid;
      this.path = path;
    }
  }

  /** True when at least one key source is configured (the HS256 env secret is checked separately). */
  public boolean hasKeySourceOtherThanSecret() {
    return (jwks_file != null && !jwks_file.isBlank())
        || (jwks_url != null && !jwks_url.isBlank())
        || !pem_keys.isEmpty();
  }
}
