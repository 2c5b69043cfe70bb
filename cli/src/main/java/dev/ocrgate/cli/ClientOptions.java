package dev.ocrgate.cli;

import dev.ocrgate.client.OcrClient;
import dev.ocrgate.client.TokenSources;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Option;

/**
 * How the client commands reach the server: target, TLS trust, token. Shared by
 * {@code recognize}, {@code subtitles} and {@code revoke} as a picocli mixin.
 */
final class ClientOptions {
  /** Held so the level set on it sticks (java.util.logging keeps loggers weakly). */
  private static final Logger GRPC_LOG = Logger.getLogger("io.grpc");

  @Option(
      names = "--target",
      paramLabel = "HOST:PORT",
      description = "Server address, or dns:///name:port for round-robin over replicas (default ${DEFAULT-VALUE}).",
      defaultValue = "${env:OCRGATE_TARGET:-localhost:8443}")
  String target;

  @Option(
      names = "--ca",
      paramLabel = "PEM",
      description = "CA certificate(s) to trust (default: certs/dev/ca.crt of the repository when present, else the system CAs).")
  Path ca;

  @Option(
      names = "--plaintext",
      description = "Connect without TLS (a TLS-terminating proxy on this host). No token is sent unless --allow-insecure-token.")
  boolean plaintext;

  @Option(
      names = "--allow-insecure-token",
      description = "With --plaintext: send the token anyway (anyone on the path can read and replay it).")
  boolean allowInsecureToken;

  @ArgGroup(exclusive = true)
  TokenChoice token;

  static final class TokenChoice {
    @Option(names = "--token", paramLabel = "JWT", description = "Access token (default: $OCRGATE_TOKEN).")
    String value;

    @Option(names = "--token-file", paramLabel = "FILE", description = "File holding the access token; re-read when it changes.")
    Path file;

    @Option(names = "--client-id", paramLabel = "ID",
        description = "Get tokens from the server's issuer (client credentials) as this client; the secret comes from $OCRGATE_CLIENT_SECRET or --client-secret-file, never the command line.")
    String clientId;
  }

  @Option(names = "--client-secret-file", paramLabel = "FILE", description = "With --client-id: file holding the client secret.")
  Path clientSecretFile;

  @Option(names = "--client-scope", split = "[ ,]", paramLabel = "SCOPE",
      description = "With --client-id: scopes to ask for (default: all the client may have).")
  List<String> clientScopes = List.of();

  /** The client these options describe. */
  OcrClient build() {
    return build(b -> {});
  }

  /** The client these options describe, with a command's own settings ({@code tune}). */
  OcrClient build(java.util.function.Consumer<OcrClient.Builder> tune) {
    GRPC_LOG.setLevel(Level.SEVERE); // connection warnings are explained by describe(), once
    OcrClient.Builder b = OcrClient.builder().target(target);
    tune.accept(b);
    if (plaintext) {
      b.usePlaintext();
      if (allowInsecureToken) {
        b.allowInsecureTokenTransport();
      }
    } else {
      Path trust = trustFile();
      if (trust != null) {
        b.trustedCertificates(trust);
      }
    }
    if (plaintext && !allowInsecureToken) {
      return build(b); // as the flag says: no token over plaintext unless asked for
    }
    if (token != null && token.file != null) {
      b.tokenSource(TokenSources.file(token.file));
    } else if (token != null && token.clientId != null) {
      b.tokenSource(TokenSources.clientCredentials(token.clientId, clientSecret(), clientScopes.toArray(String[]::new)));
    } else {
      String t = token != null ? token.value : System.getenv("OCRGATE_TOKEN");
      if (t != null && !t.isBlank()) {
        b.tokenSource(TokenSources.staticToken(t.strip()));
      }
    }
    return build(b);
  }

  private OcrClient build(OcrClient.Builder b) {
    try {
      return b.build();
    } catch (IllegalArgumentException e) {
      Path trust = plaintext ? null : trustFile();
      // The TLS stack's own words ("Unable to create SslContext: ...") do not name the file.
      throw trust == null ? e
          : new IllegalArgumentException("--ca " + trust + " holds no usable PEM certificate (" + e.getMessage() + ")");
    }
  }

  /**
   * A failed call as the commands print it: why the server could not be reached and what to do,
   * else the server's {@code CODE: description}.
   */
  String describe(StatusRuntimeException e) {
    Path trust = plaintext ? null : trustFile();
    Optional<String> unreachable = ConnectFailure.explain(e,
        new ConnectFailure.Setup(target, plaintext, trust != null ? trust.toString() : "the system CAs"));
    if (unreachable.isPresent()) {
      return unreachable.get();
    }
    Status s = e.getStatus();
    String text = s.getCode() + (s.getDescription() == null ? "" : ": " + s.getDescription());
    if (s.getCode() == Status.Code.UNAUTHENTICATED && plaintext && !allowInsecureToken) {
      text += " (no token was sent over --plaintext; add --allow-insecure-token to send it)";
    }
    return text;
  }

  private String clientSecret() {
    try {
      String secret = clientSecretFile != null
          ? Files.readString(clientSecretFile).strip() : System.getenv("OCRGATE_CLIENT_SECRET");
      if (secret == null || secret.isBlank()) {
        throw new IllegalArgumentException("--client-id needs the client's secret in $OCRGATE_CLIENT_SECRET or --client-secret-file");
      }
      return secret;
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read --client-secret-file " + clientSecretFile + ": " + e.getMessage());
    }
  }

  private Path trustFile() {
    return ca != null ? ca : devCa();
  }

  private static Path devCa() {
    Path dev = Launcher.repoRoot().resolve("certs/dev/ca.crt");
    return Files.isReadable(dev) ? dev : null;
  }
}
