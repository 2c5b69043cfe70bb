package dev.ocrgate.server.tls;

import dev.ocrgate.server.config.ConfigException;
import dev.ocrgate.server.config.OcrgateConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Dev TLS material made by {@code certs/gen-dev.sh} (openssl). Used by {@code serve --dev} and by
 * tests; a production deployment brings its own certificates.
 */
public final class DevCertificates {
  private final Path dir;

  private DevCertificates(Path dir) {
    this.dir = dir;
  }

  /**
   * Ensures {@code dir} holds a dev CA, server and client certificates, generating them with the
   * script when absent.
   *
   * @param script path of {@code certs/gen-dev.sh}
   */
  public static DevCertificates ensure(Path script, Path dir) {
    DevCertificates certs = new DevCertificates(dir);
    if (certs.complete()) {
      return certs;
    }
    if (!Files.isRegularFile(script)) {
      throw new ConfigException("cannot generate dev TLS material: " + script + " not found");
    }
    try {
      Process p =
          new ProcessBuilder("bash", script.toString(), dir.toString())
              .redirectErrorStream(true)
              .start();
      String out = new String(p.getInputStream().readAllBytes());
      if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0 || !certs.complete()) {
        throw new ConfigException("gen-dev.sh failed: " + out.strip());
      }
    } catch (IOException e) {
      throw new ConfigException("cannot run " + script + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ConfigException("interrupted while generating dev TLS material", e);
    }
    return certs;
  }

  private boolean complete() {
    for (String f : new String[] {"ca.crt", "server.crt", "server.key", "client.crt", "client.key"}) {
      if (!Files.isRegularFile(dir.resolve(f))) {
        return false;
      }
    }
    return true;
  }

  /**
   * The overrides (key path → value, see ConfigLoader) that point a configuration whose TLS
   * section is {@code tls} at the generated server certificate and key, and at the CA for mTLS
   * unless it names one.
   */
  public Map<String, String> tlsOverrides(OcrgateConfig.TlsSection tls) {
    Map<String, String> o = new LinkedHashMap<>();
    o.put("tls.cert_chain", serverCert().toString());
    o.put("tls.private_key", dir.resolve("server.key").toString());
    if (tls.client_ca == null) {
      o.put("tls.client_ca", caCert().toString());
    }
    return o;
  }

  /** Points a TLS section being built in code (not yet validated) at the generated material. */
  public void applyTo(OcrgateConfig.TlsSection draft) {
    draft.useFiles(serverCert().toString(), dir.resolve("server.key").toString(), caCert().toString());
  }

  public Path dir() {
    return dir;
  }

  public Path caCert() {
    return dir.resolve("ca.crt");
  }

  public Path serverCert() {
    return dir.resolve("server.crt");
  }

  public Path clientCert() {
    return dir.resolve("client.crt");
  }

  public Path clientKey() {
    return dir.resolve("client.key");
  }
}
