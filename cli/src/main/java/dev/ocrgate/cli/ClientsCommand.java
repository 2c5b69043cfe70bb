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
import dev.ocrgate.client.AccessToken;
import dev.ocrgate.client.OcrClient;
import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code ocrgate clients}: helpers for the issuer's clients file. */
@Command(
    name = "clients",
    mixinStandardHelpOptions = true,
    description = "Client registry helpers for the built-in token issuer.",
    subcommands = {ClientsCommand.HashSecret.class, ClientsCommand.Token.class})
final class ClientsCommand implements Runnable {
  @Spec CommandSpec spec;

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

  /**
   * {@code ocrgate clients token --client-id ID}: asks the server's issuer for an access token with
   * the client-credentials grant and prints it (for tools such as grpcurl or curl). Exit 0 printed,
   * 1 refused or unreachable.
   */
  @Command(
      name = "token",
      mixinStandardHelpOptions = true,
      description = {
        "Gets an access token from the server's built-in issuer (client credentials) and prints it.",
        "The secret comes from $OCRGATE_CLIENT_SECRET or --client-secret-file, never the command line."
      })
  static final class Token implements Callable<Integer> {
    @Mixin ClientOptions client;

    @Override
    public Integer call() {
      if (client.token == null || client.token.clientId == null) {
        System.err.println("ocrgate clients token: --client-id is required");
        return 2;
      }
      try (OcrClient c = client.build()) {
        Optional<AccessToken> token = c.currentToken();
        if (token.isEmpty()) {
          System.err.println("ocrgate clients token: no token (a --plaintext connection sends none without --allow-insecure-token)");
          return 1;
        }
        System.out.println(token.get().value());
        return 0;
      } catch (IOException e) {
        System.err.println("ocrgate clients token: " + (e.getCause() instanceof StatusRuntimeException s
            ? client.describe(s) : e.getMessage()));
        return 1;
      }
    }
  }
}
