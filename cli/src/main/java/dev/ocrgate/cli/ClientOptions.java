package dev.ocrgate.cli;

import dev.ocrgate.client.OcrClient;
import dev.ocrgate.client.TokenSources;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Option;

/**
 * How the client commands reach the server: target, TLS trust, token. Shared by
 * {@code recognize}, {@code subtitles} and {@code revoke} as a picocli mixin.
 */
final class ClientOptions {
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
  }

  /** The client these options describe. */
  OcrClient build() {
    OcrClient.Builder b = OcrClient.builder().target(target);
    if (plaintext) {
      b.usePlaintext();
      if (allowInsecureToken) {
        b.allowInsecureTokenTransport();
      }
    } else {
      Path trust = ca != null ? ca : devCa();
      if (trust != null) {
        b.trustedCertificates(trust);
      }
    }
    if (token != null && token.file != null) {
      b.tokenSource(TokenSources.file(token.file));
    } else {
      String t = token != null ? token.value : System.getenv("OCRGATE_TOKEN");
      if (t != null && !t.isBlank()) {
        b.tokenSource(TokenSources.staticToken(t.strip()));
      }
    }
    return b.build();
  }

  /** A server's status as the commands print it: {@code CODE: description}. */
  static String describe(StatusRuntimeException e) {
    Status s = e.getStatus();
    return s.getCode() + (s.getDescription() == null ? "" : ": " + s.getDescription());
  }

  private static Path devCa() {
    Path dev = Launcher.repoRoot().resolve("certs/dev/ca.crt");
    return Files.isReadable(dev) ? dev : null;
  }
}
