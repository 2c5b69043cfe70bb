package dev.ocrgate.cli;

import dev.ocrgate.server.auth.issuer.KeyRing;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ocrgate keys rotate}: adds a new signing key to the issuer's key folder. The previous key
 * stays in the published JWKS for {@code --keep-for-seconds} (default: the 15-minute access-token
 * lifetime plus 60 s of clock skew) so tokens it signed keep verifying; running servers pick the
 * change up within a second.
 */
@Command(
    name = "rotate",
    mixinStandardHelpOptions = true,
    description = {
      "Adds a new signing key (new kid) to the issuer's keys folder; the old public key stays in",
      "KEYS_DIR/jwks.json until its tokens have expired. Running servers reload within a second."
    })
final class KeysRotateCommand implements Callable<Integer> {
  @Option(names = "--keys-dir", required = true, paramLabel = "DIR", description = "The issuer's keys_dir.")
  Path keysDir;

  @Option(names = "--alg", paramLabel = "ALG", description = "RS256 (default), ES256 or EdDSA.")
  String alg = "RS256";

  @Option(names = "--keep-for-seconds", paramLabel = "S",
      description = "How long the previous key stays verifiable (default ${DEFAULT-VALUE}: access TTL + skew).")
  long keepForSeconds = 960;

  @Override
  public Integer call() throws Exception {
    if (keepForSeconds < 0) {
      System.err.println("ocrgate keys rotate: --keep-for-seconds must be >= 0");
      return 2;
    }
    KeyRing ring;
    try {
      ring = KeyRing.rotate(keysDir, alg, Duration.ofSeconds(keepForSeconds), Clock.systemUTC());
    } catch (IllegalArgumentException e) {
      System.err.println("ocrgate keys rotate: " + e.getMessage());
      return 2;
    }
    System.out.println("current kid " + ring.current().kid() + " (" + ring.current().algorithm() + ")");
    System.out.println("published kids " + ring.kids() + " in " + keysDir.resolve("jwks.json"));
    return 0;
  }
}
