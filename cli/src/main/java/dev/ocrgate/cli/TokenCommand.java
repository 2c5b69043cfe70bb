package dev.ocrgate.cli;

import dev.ocrgate.server.auth.SigningKey;
import dev.ocrgate.server.auth.SigningKeys;
import dev.ocrgate.server.auth.TokenMinter;
import dev.ocrgate.server.config.AuthConfig;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ocrgate token}: mints an access token with a local signing key (dev and ops tool). */
@Command(
    name = "token",
    mixinStandardHelpOptions = true,
    description = {
      "Mints an access token (typ at+jwt) signed with the current key in --keys-dir (also after",
      "'keys rotate') and prints it.",
      "Use it as: authorization: Bearer <token>."
    })
final class TokenCommand implements Callable<Integer> {
  /** The server's default longest token lifetime. */
  static final Duration MAX_TTL = Duration.ofSeconds(AuthConfig.DEFAULT_MAX_TOKEN_LIFETIME_SECONDS);

  @Option(names = "--sub", required = true, description = "Subject (sub claim).")
  String subject;

  @Option(names = "--scope", split = "[ ,]", paramLabel = "SCOPE",
      description = "Scopes, space- or comma-separated (default: ocr:recognize ocr:stream).")
  List<String> scopes = List.of("ocr:recognize", "ocr:stream");

  @Option(names = "--ttl", paramLabel = "DURATION",
      description = "Lifetime: seconds or ISO-8601 (e.g. 3600, PT15M), at most 24 h. Default 3600.")
  String ttl = "3600";

  @Option(names = "--aud", description = "Audience (default ocrgate).")
  String audience = "ocrgate";

  @Option(names = "--iss", description = "Issuer (default ocrgate).")
  String issuer = "ocrgate";

  @Option(names = "--tenant", description = "Tenant (tenant_id claim); none by default.")
  String tenant;

  @Option(names = "--tenant-claim", description = "Claim name for the tenant (default tenant_id).")
  String tenantClaim = "tenant_id";

  @Option(names = "--keys-dir", paramLabel = "DIR", description = "Key folder (default: certs/dev/jwt).")
  Path keysDir;

  @Override
  public Integer call() throws Exception {
    Path dir = keysDir != null ? keysDir : Launcher.repoRoot().resolve("certs/dev/jwt");
    if (!SigningKeys.hasKey(dir)) {
      System.err.println("ocrgate token: no signing key in " + dir + " (run: ocrgate keys generate --dir " + dir + ")");
      return 2;
    }
    Duration lifetime;
    try {
      lifetime = parseTtl(ttl);
    } catch (DateTimeParseException | NumberFormatException e) {
      System.err.println("ocrgate token: --ttl must be seconds or ISO-8601, not '" + ttl + "'");
      return 2;
    }
    if (lifetime.isNegative() || lifetime.isZero() || lifetime.compareTo(MAX_TTL) > 0) {
      System.err.println("ocrgate token: --ttl must be more than 0 and at most " + MAX_TTL.toSeconds()
          + " s (24 h): the server refuses longer-lived tokens (auth.max_token_lifetime_seconds, default "
          + MAX_TTL.toSeconds() + "), so that a revocation outlives every token it concerns");
      return 2;
    }
    SigningKey key;
    try {
      key = SigningKeys.loadCurrent(dir); // the ring's current key once the folder was rotated
    } catch (IOException | RuntimeException e) {
      System.err.println("ocrgate token: cannot read the signing key in " + dir + " (" + e.getClass().getSimpleName() + ")");
      return 2;
    }
    TokenMinter minter = TokenMinter.of(key, issuer, tenantClaim, Clock.systemUTC());
    System.out.println(minter.mint(subject, scopes, lifetime, audience, tenant));
    return 0;
  }

  static Duration parseTtl(String s) {
    return s.matches("\\d+") ? Duration.ofSeconds(Long.parseLong(s)) : Duration.parse(s);
  }
}
