package dev.ocrgate.cli;

import dev.ocrgate.server.OcrgateServer;
import dev.ocrgate.server.ServerAssembly;
import dev.ocrgate.server.TerminationSignals;
import dev.ocrgate.server.auth.DevKeys;
import dev.ocrgate.server.auth.SigningKey;
import dev.ocrgate.server.auth.SigningKeys;
import dev.ocrgate.server.auth.TokenMinter;
import dev.ocrgate.server.config.AuthConfig;
import dev.ocrgate.server.config.ConfigException;
import dev.ocrgate.server.config.ConfigLoader;
import dev.ocrgate.server.config.OcrgateConfig;
import dev.ocrgate.server.observability.LogSetup;
import dev.ocrgate.server.tls.DevCertificates;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ocrgate serve}: runs the server until SIGTERM/SIGINT, then drains and exits 0. */
@Command(
    name = "serve",
    mixinStandardHelpOptions = true,
    description = {
      "Runs the gRPC server (TLS) until SIGTERM or SIGINT, then drains in-flight calls and exits 0.",
      "Precedence: flags > OCRGATE_* environment > config file > defaults"
          + " (docs/configuration.md)."
    })
final class ServeCommand implements Callable<Integer> {
  private static final int DEFAULT_GRPC_PORT = new OcrgateConfig().server.port;
  private static final int DEFAULT_HTTP_PORT = new OcrgateConfig().http.port;

  @Option(names = "--config", paramLabel = "FILE", description = "YAML config file.")
  Path configFile;

  @Option(
      names = "--dev",
      description = "Development mode: generate dev TLS material and a dev signing key (certs/dev) when absent,"
          + " and serve the HTTP/JSON port too.")
  boolean dev;

  @Option(names = "--host", description = "Bind address (default 127.0.0.1).")
  String host;

  @Option(names = "--port", description = "Port (default 8443; 0 = any free port).")
  Integer port;

  @Option(
      names = "--http-port",
      paramLabel = "N",
      description = "Serve the HTTP/JSON port (POST /v1/recognize, the browser page) on N (0 = any free port)."
          + " --dev turns it on at the gRPC port + 1 (8444 by default).")
  Integer httpPort;

  @Option(
      names = "--plaintext",
      description = "Serve WITHOUT TLS. Bearer tokens become readable and replayable on the network.")
  boolean plaintext;

  @Option(names = "--tls-cert", paramLabel = "PEM", description = "Server certificate chain.")
  String tlsCert;

  @Option(names = "--tls-key", paramLabel = "PEM", description = "Server private key (PKCS#8).")
  String tlsKey;

  @Option(
      names = "--log-format",
      paramLabel = "FORMAT",
      description = "text (default) or json: one JSON object per log line.")
  String logFormat;

  @Option(names = "--models", split = ",", paramLabel = "DIR", description = "Model folders (each with model.yaml).")
  List<String> models;

  @Override
  public Integer call() throws Exception {
    OcrgateConfig config;
    try {
      Map<String, String> overrides = flags();
      config = ConfigLoader.load(configFile, System.getenv(), overrides);
      LogSetup.apply(config.log);
      if (config.dev.enabled) {
        // Dev material is derived from the loaded config and becomes one more override layer.
        Map<String, String> dev = new LinkedHashMap<>(overrides);
        if (!config.server.plaintext && config.tls.cert_chain == null) {
          DevCertificates certs =
              DevCertificates.ensure(Launcher.repoRoot().resolve("certs/gen-dev.sh"),
                  Launcher.repoRoot().resolve(config.dev.certs_dir));
          dev.putAll(certs.tlsOverrides(config.tls));
          System.err.println("dev TLS: clients trust " + certs.caCert());
        }
        dev.putAll(devHttp(config));
        Map<String, String> auth = devAuth(config);
        dev.putAll(auth);
        config = ConfigLoader.load(configFile, System.getenv(), dev);
        if (!auth.isEmpty()) {
          printExamples(config);
        }
      }
      ConfigLoader.checkFiles(config); // as `config check` does, before anything is built
      OcrgateServer server = ServerAssembly.assemble(config);
      return TerminationSignals.serveUntilSignalled(server);
    } catch (ConfigException e) {
      System.err.println("ocrgate serve: " + e.getMessage());
      return 2;
    }
  }

  /**
   * Dev mode without a configured key source: make (or reuse) the dev RS256 key, print a
   * ready-to-use token (the example calls follow once the configuration is final), and return the
   * overrides that point the verifier at
   * the key's JWKS (none when a key source is configured).
   */
  private static Map<String, String> devAuth(OcrgateConfig config) {
    AuthConfig auth = config.auth;
    String secret = auth.hs256_secret_env == null ? null : System.getenv(auth.hs256_secret_env);
    boolean secretInUse = secret != null && !secret.isEmpty() && auth.algorithms.contains("HS256");
    if (!auth.enabled || auth.hasKeySourceOtherThanSecret() || secretInUse) {
      return Map.of();
    }
    Path dir = DevKeys.dir(Launcher.repoRoot().resolve(config.dev.certs_dir));
    SigningKey key = DevKeys.ensure(dir);
    String issuer = auth.issuers.isEmpty() ? "ocrgate" : auth.issuers.get(0);
    // the dev key signs only the dev tokens, which name this issuer
    Map<String, String> overrides = Map.of(
        "auth.jwks_file", dir.resolve(SigningKeys.JWKS_FILE).toString(), "auth.jwks_file_issuer", issuer);
    // 12 h, or less when the verifier would refuse that (auth.max_token_lifetime_seconds)
    Duration ttl = Duration.ofSeconds(Math.min(Duration.ofHours(12).toSeconds(), auth.max_token_lifetime_seconds));
    // No tenant claim, like `ocrgate token` without --tenant: `ocrgate revoke --token $OCRGATE_TOKEN`
    // then revokes in the tenant those tokens are in by default (revocations are tenant-scoped).
    String token = TokenMinter.of(key, issuer, auth.tenant_claim, Clock.systemUTC())
        .mint("dev", List.of("ocr:recognize", "ocr:stream", "ocr:admin", "ocr:admin:all-tenants"), ttl,
            auth.audience, null);
    System.err.println("dev auth: key " + key.kid() + " in " + dir + "; a "
        + (ttl.toMinutes() % 60 == 0 ? ttl.toHours() + " h" : ttl.toMinutes() + " min") + " dev token (all scopes):");
    System.err.println();
    System.err.println("  export OCRGATE_TOKEN=" + token);
    System.err.println();
    return overrides;
  }

  /** Dev mode with the dev key: example calls for the token just printed, on the final configuration. */
  private static void printExamples(OcrgateConfig config) {
    String port = config.server.port == 0 ? "<port>" : String.valueOf(config.server.port);
    String trust = config.server.plaintext ? "-plaintext"
        : "-cacert " + Launcher.repoRoot().resolve(config.dev.certs_dir).resolve("ca.crt");
    System.err.println("example: bin/ocrgate recognize" + (config.server.plaintext ? " --plaintext --allow-insecure-token" : "")
        + " --target localhost:" + port + " page.png");
    // The image goes through stdin (-d @): an inline base64 argument breaks past the kernel's
    // 128 KiB limit on one argument.
    System.err.println("    or: { printf '{\"image\":{\"encoded\":{\"data\":\"'; base64 -w0 page.png; printf '\"}}}'; } | grpcurl "
        + trust + " -H \"authorization: Bearer $OCRGATE_TOKEN\" -d @ localhost:" + port + " ocrgate.v1.OcrService/Recognize");
    if (config.http.enabled) {
      String httpPortText = config.http.port == 0 ? "<http-port>" : String.valueOf(config.http.port);
      String base = (config.server.plaintext ? "http" : "https") + "://localhost:" + httpPortText;
      String curlTrust = config.server.plaintext ? ""
          : "--cacert " + Launcher.repoRoot().resolve(config.dev.certs_dir).resolve("ca.crt") + " ";
      System.err.println("    or: curl " + curlTrust + "-H \"Authorization: Bearer $OCRGATE_TOKEN\""
          + " -H 'Content-Type: image/png' --data-binary @page.png " + base + "/v1/recognize");
      System.err.println("browser page: " + base + "/ (paste the token there)");
    }
    System.err.println("more tokens: bin/ocrgate token --sub alice --scope ocr:recognize --ttl 3600");
  }

  /**
   * Dev mode's HTTP port, as overrides: {@code --dev} turns the port on; unless a port was chosen
   * (flag, config or OCRGATE_HTTP_PORT), at the gRPC port + 1, so that several dev servers given
   * different {@code --port}s do not collide on 8444 (and at 0 with {@code --port 0}).
   */
  private Map<String, String> devHttp(OcrgateConfig config) {
    if (httpPort != null) {
      return Map.of(); // flags() already set it
    }
    Map<String, String> o = new LinkedHashMap<>();
    o.put("http.enabled", "true");
    int grpcPort = config.server.port;
    if (config.http.port == DEFAULT_HTTP_PORT && grpcPort != DEFAULT_GRPC_PORT) {
      o.put("http.port", String.valueOf(grpcPort == 0 || grpcPort == 65535 ? 0 : grpcPort + 1));
    }
    return o;
  }

  /** The flags given, as the configuration keys they set (the top layer of ConfigLoader.load). */
  Map<String, String> flags() {
    Map<String, String> o = new LinkedHashMap<>();
    if (dev) {
      o.put("dev.enabled", "true");
    }
    if (host != null) {
      o.put("server.host", host);
    }
    if (port != null) {
      o.put("server.port", port.toString());
    }
    if (plaintext) {
      o.put("server.plaintext", "true");
    }
    if (httpPort != null) { // --http-port turns the HTTP port on at that port
      o.put("http.enabled", "true");
      o.put("http.port", httpPort.toString());
    }
    if (tlsCert != null) {
      o.put("tls.cert_chain", tlsCert);
    }
    if (tlsKey != null) {
      o.put("tls.private_key", tlsKey);
    }
    if (logFormat != null) {
      o.put("log.format", logFormat);
    }
    if (models != null) {
      o.put("models", String.join(",", models));
    }
    return o;
  }
}
