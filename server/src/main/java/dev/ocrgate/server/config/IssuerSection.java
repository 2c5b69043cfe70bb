package dev.ocrgate.server.config;

import com.fasterxml.jackson.annotation.JsonProperty;

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
  /** Refresh token lifetime, seconds, renewed by each rotation. Default 86400 (24 h). */
  @JsonProperty public int refresh_ttl_seconds = 86_400;
  /** Failed secret checks per client before IssueToken is throttled. Default 5. */
  @JsonProperty public int max_failed_attempts = 5;
  /** How long failed attempts count, seconds. Default 300. */
  @JsonProperty public int failure_window_seconds = 300;
  /** Port of the HTTP JWKS endpoint; -1 = off (default), 0 = any free port. */
  @JsonProperty public int jwks_http_port = -1;
  /** Address of the HTTP JWKS endpoint. Default {@code 127.0.0.1}. */
  @JsonProperty public String jwks_http_host = "127.0.0.1";

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
    if (jwks_http_port < -1 || jwks_http_port > 65_535) {
      throw new ConfigException("issuer.jwks_http_port must be -1 (off) or a port, got " + jwks_http_port);
    }
  }
}
