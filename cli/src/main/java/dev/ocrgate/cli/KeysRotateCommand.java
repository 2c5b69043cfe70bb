package dev.ocrgate.cli;

import dev.ocrgate.server.auth.issuer.KeyRing;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ocrgate keys rotate}: adds a new signing key to a key folder (the issuer's keys_dir, or a
 * folder made by {@code keys generate}, whose key becomes the first retired one). The previous key
 * stays in the published JWKS for {@code --keep-for-seconds} so tokens it signed keep verifying:
 * the default, 24 h + 60 s, covers the longest token the tools here mint (dev token 12 h,
 * {@code token} 1 h, issuer 15 min) plus clock skew. Running servers pick the change up within a
 * second; {@code --keep-for-seconds 0} drops a leaked key at once.
 */
@Command(
    name = "rotate",
    mixinStandardHelpOptions = true,
    description = {
      "Adds a new signing key (new kid) to a keys folder (the issuer's keys_dir or one made by",
      "'keys generate'); the old public key stays in KEYS_DIR/jwks.json until its tokens have",
      "expired. Running servers reload within a second; 'token --keys-dir' signs with the new key."
    })
final class KeysRotateCommand implements Callable<Integer> {
  @Option(names = "--keys-dir", required = true, paramLabel = "DIR", description = "The issuer's keys_dir.")
  Path keysDir;

  @Option(names = "--alg", paramLabel = "ALG", description = "RS256 (default), ES256 or EdDSA.")
  String alg = "RS256";

  @Option(names = "--keep-for-seconds", paramLabel = "S",
      description = {"How long the previous key stays verifiable: at least the longest lifetime of a token",
        "it signed (auth.max_token_lifetime) + clock skew. Default ${DEFAULT-VALUE} (24 h + 60 s);",
        "0 removes it at once (a leaked key: its tokens, cached ones too, stop verifying)."})
  long keepForSeconds = 86_460;

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
    } catch (IOException e) {
      System.err.println("ocrgate keys rotate: cannot rotate the keys in " + keysDir + " (" + e.getMessage() + ")");
      return 1;
    }
    System.out.println("current kid " + ring.current().kid() + " (" + ring.current().algorithm() + ")");
    System.out.println("published kids " + ring.kids() + " in " + keysDir.resolve("jwks.json"));
    return 0;
  }
}
