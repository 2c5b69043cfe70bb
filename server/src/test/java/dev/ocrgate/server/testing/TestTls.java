package dev.ocrgate.server.testing;

import dev.ocrgate.server.tls.DevCertificates;
import io.grpc.ChannelCredentials;
import io.grpc.TlsChannelCredentials;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/**
 * Real TLS material for tests, generated once per JVM by certs/gen-dev.sh (openssl) into
 * target/test-certs of the running module.
 */
public final class TestTls {
  private static volatile DevCertificates certs;

  private TestTls() {}

  public static synchronized DevCertificates certs() {
    if (certs == null) {
      ExternalTools.require("openssl", "openssl");
      certs = DevCertificates.ensure(RepoPaths.devCertScript(), Path.of("target/test-certs").toAbsolutePath());
    }
    return certs;
  }

  /** Channel credentials that trust the dev CA (server-authenticated TLS). */
  public static ChannelCredentials clientCredentials() {
    try {
      return TlsChannelCredentials.newBuilder().trustManager(certs().caCert().toFile()).build();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Channel credentials with the dev client certificate too (mTLS). */
  public static ChannelCredentials mtlsClientCredentials() {
    try {
      return TlsChannelCredentials.newBuilder()
          .trustManager(certs().caCert().toFile())
          .keyManager(certs().clientCert().toFile(), certs().clientKey().toFile())
          .build();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
