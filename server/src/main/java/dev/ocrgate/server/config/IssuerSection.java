package dev.ocrgate.server.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.nio.file.Path;

/**
 * The built-in token issuer (the {@code issuer:} section): AuthService's IssueToken, RefreshToken,
 * RevokeToken, GetJwks and an optional HTTP {@code /.well-known/jwks.json}. Off by default:
 * deployments with their own identity provider point {@code auth.jwks_url} at it instead. The
 * access tokens' {@code iss}, {@code aud} and tenant claim are the first of {@code auth.issuers},
 * {@code auth.audience} and {@code auth.tenant_claim}, so this server's verifier accepts them.
 */
public final class IssuerSection {
  /** Serve AuthService issuance. Default false. */
  @JsonProperty public boolean enabled = false;
  /** YAML file of clients (id, secret_hash, tenant, scopes). Required when enabled. */
  @JsonProperty public String clients_file;
  /**
   * Folder of signing keys ({@code ocrgate keys rotate}); created with one key on first start.
   * Default {@code keys}. Point {@code auth.jwks_file} at {@code <keys_dir>/jwks.json} to verify
   * the issued tokens.
   */
  @JsonProperty public String keys_dir = "keys";
  /** Algorithm of a key created at first start: RS256 (default), ES256 or EdDSA. */
  @JsonProperty public String algorithm = "RS256";
  /** Access token lifetime, seconds. Default 900 (15 min). */
  @JsonProperty public int access_ttl_seconds = 900;
  /**
   * Return a refresh token with IssueToken. Default false: RFC 6749 section 4.4.3 says a
   * client-credentials response SHOULD NOT include one (the client can always authenticate again,
   * and the SDK does), and a refresh token is a bearer credential redeemed without the secret.
   * When true, each chain ends {@code refresh_max_lifetime_seconds} after its IssueToken and as
   * soon as the client's {@code secret_hash} changes.
   */
  @JsonProperty public boolean refresh_tokens = false;
  /** Refresh token lifetime, seconds, renewed by each rotation up to the chain's end. Default 86400 (24 h). */
  @JsonProperty public int refresh_ttl_seconds = 86_400;
  /**
   * Absolute lifetime of a refresh-token chain, seconds from the IssueToken that started it,
   * however often it is rotated. Default 86400 (24 h).
   */
  @JsonProperty public int refresh_max_lifetime_seconds = 86_400;
  /**
   * IssueToken/RefreshToken calls one network peer (IPv4 address, IPv6 /64) may make at once
   * before it is refused with RESOURCE_EXHAUSTED. Shared by replicas through Redis. Default 20.
   */
  @JsonProperty public int peer_burst = 20;
  /** How fast a peer's budget refills, calls per minute. Default 12. */
  @JsonProperty public double peer_calls_per_minute = 12;
  /**
   * Secret verifications (PBKDF2) running at once in this process; a call finding them all busy
   * is refused with RESOURCE_EXHAUSTED and RetryInfo, never queued. Default 2.
   */
  @JsonProperty public int max_concurrent_secret_checks = 2;
  /** Failed secret checks per client before IssueToken is throttled. Default 5. */
  @JsonProperty public int max_failed_attempts = 5;
  /** How long failed attempts count, seconds. Default 300. */
  @JsonProperty public int failure_window_seconds = 300;
  /** Port of the HTTP JWKS endpoint; -1 = off (default), 0 = any free port. */
  @JsonProperty public int jwks_http_port = -1;
  /** Address of the HTTP JWKS endpoint. Default {@code 127.0.0.1}. */
  @JsonProperty public String jwks_http_host = "127.0.0.1";

  /**
   * The JWKS file the issuer writes into {@code keys_dir} when the server starts (so a config may
   * name it in {@code auth.jwks_file} before it exists); null when the issuer is off.
   */
  public Path createdJwksFile() {
    return enabled && keys_dir != null && !keys_dir.isBlank() ? Path.of(keys_dir).resolve("jwks.json") : null;
  }

  /** Throws {@link ConfigException} naming the first bad key. */
  public void validate() {
    if (!enabled) {
      return;
    }
    if (clients_file == null || clients_file.isBlank()) {
      throw new ConfigException("issuer.clients_file is required when issuer.enabled is true");
    }
    if (access_ttl_seconds < 1 || refresh_ttl_seconds < 1) {
      throw new ConfigException("issuer.access_ttl_seconds and issuer.refresh_ttl_seconds must be >= 1");
    }
    if (max_failed_attempts < 1 || failure_window_seconds < 1) {
      throw new ConfigException("issuer.max_failed_attempts and issuer.failure_window_seconds must be >= 1");
    }
    if (refresh_max_lifetime_seconds < 1) {
      throw new ConfigException("issuer.refresh_max_lifetime_seconds must be >= 1");
    }
    if (peer_burst < 1 || !(peer_calls_per_minute > 0) || Double.isInfinite(peer_calls_per_minute)) {
      throw new ConfigException("issuer.peer_burst must be >= 1 and issuer.peer_calls_per_minute > 0");
    }
    if (max_concurrent_secret_checks < 1) {
      throw new ConfigException("issuer.max_concurrent_secret_checks must be >= 1");
    }
    if (jwks_http_port < -1 || jwks_http_port > 65_535) {
      throw new ConfigException("issuer.jwks_http_port must be -1 (off) or a port, got " + jwks_http_port);
    }
  }
}
