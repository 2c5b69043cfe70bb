package dev.ocrgate.cli;

import dev.ocrgate.server.auth.SigningKey;
import dev.ocrgate.server.auth.SigningKeys;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ocrgate keys}: signing key management. */
@Command(
    name = "keys",
    mixinStandardHelpOptions = true,
    description = "Signing keys for tokens.",
    subcommands = {KeysCommand.Generate.class, KeysRotateCommand.class})
final class KeysCommand implements Runnable {
  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }

  /** {@code ocrgate keys generate}: writes signing-key.pem + jwks.json. */
  @Command(
      name = "generate",
      mixinStandardHelpOptions = true,
      description = {
        "Generates a signing key pair: DIR/signing-key.pem (private, PKCS#8, mode 600) and",
        "DIR/jwks.json (public JWK Set; point auth.jwks_file at it). Refuses to overwrite.",
        "Rotate it later with: ocrgate keys rotate --keys-dir DIR (the key stays verifiable)."
      })
  static final class Generate implements Callable<Integer> {
    @Option(names = "--dir", paramLabel = "DIR", description = "Output folder (default: certs/dev/jwt).")
    Path dir;

    @Option(names = "--alg", paramLabel = "ALG", description = "RS256 (default), ES256 or EdDSA.")
    String alg = "RS256";

    @Option(names = "--force", description = "Overwrite an existing key (tokens it signed stop verifying).")
    boolean force;

    @Override
    public Integer call() throws Exception {
      Path out = dir != null ? dir : Launcher.repoRoot().resolve("certs/dev/jwt");
      if (SigningKeys.isRing(out)) {
        System.err.println("ocrgate keys generate: " + out + " is a rotated key folder; use ocrgate keys rotate --keys-dir " + out);
        return 2;
      }
      if (SigningKeys.exists(out) && !force) {
        System.err.println("ocrgate keys generate: a key already exists in " + out + " (use --force to replace it)");
        return 2;
      }
      SigningKey key;
      try {
        key = SigningKeys.generate(alg);
      } catch (IllegalArgumentException e) {
        System.err.println("ocrgate keys generate: " + e.getMessage());
        return 2;
      }
      SigningKeys.write(key, out);
      System.out.println("kid " + key.kid() + " (" + key.algorithm() + ")");
      System.out.println("private key: " + out.resolve(SigningKeys.PRIVATE_KEY_FILE));
      System.out.println("public JWKS: " + out.resolve(SigningKeys.JWKS_FILE) + "  (auth.jwks_file)");
      return 0;
    }
  }
}
