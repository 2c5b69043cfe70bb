package dev.ocrgate.cli;

import dev.ocrgate.server.auth.issuer.SecretHash;
import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ocrgate clients}: helpers for the issuer's clients file. */
@Command(
    name = "clients",
    mixinStandardHelpOptions = true,
    description = "Client registry helpers for the built-in token issuer.",
    subcommands = {ClientsCommand.HashSecret.class})
final class ClientsCommand implements Runnable {
  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }

  /** {@code ocrgate clients hash-secret}: the secret_hash value for a clients file entry. */
  @Command(
      name = "hash-secret",
      mixinStandardHelpOptions = true,
      description = {
        "Prints a pbkdf2-sha256 secret_hash for the issuer's clients file.",
        "The secret is read from the terminal without echo, or as one line from stdin.",
        "It is never taken from the command line, where other users could read it.",
        "--generate makes a random secret and prints it once, with its hash."
      })
  static final class HashSecret implements Callable<Integer> {
    @Option(names = "--iterations", description = "PBKDF2 iterations (default and minimum ${DEFAULT-VALUE}).")
    int iterations = SecretHash.MIN_ITERATIONS;

    @Option(names = "--generate", description = "Generate a random 32-byte secret (base64url) and print it too.")
    boolean generate;

    @Override
    public Integer call() throws Exception {
      if (iterations < SecretHash.MIN_ITERATIONS) {
        System.err.println("ocrgate clients hash-secret: at least " + SecretHash.MIN_ITERATIONS + " iterations");
        return 2;
      }
      char[] secret = generate ? randomSecret() : readSecret();
      if (secret == null || secret.length == 0) {
        System.err.println("ocrgate clients hash-secret: empty secret");
        return 2;
      }
      try {
        String hash = SecretHash.hash(secret, iterations).encode();
        if (generate) {
          System.out.println("client_secret: " + new String(secret));
        }
        System.out.println("secret_hash: '" + hash + "'");
        return 0;
      } finally {
        Arrays.fill(secret, '\0');
      }
    }

    private static char[] randomSecret() {
      byte[] b = new byte[32];
      new SecureRandom().nextBytes(b);
      return Base64.getUrlEncoder().withoutPadding().encodeToString(b).toCharArray();
    }

    private static char[] readSecret() throws IOException {
      Console console = System.console();
      if (console != null) {
        return console.readPassword("client secret: ");
      }
      String line = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
      return line == null ? null : line.toCharArray();
    }
  }
}
