package dev.ocrgate.server.tls;

import dev.ocrgate.server.config.ConfigException;
import dev.ocrgate.server.config.OcrgateConfig;
import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.netty.handler.ssl.ClientAuth;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContext;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContextBuilder;
import java.io.File;
import javax.net.ssl.SSLException;

/** Builds the server's TLS context from PEM files (TLS 1.2+, ALPN h2, optional mTLS). */
public final class ServerTls {
  private ServerTls() {}

  /** The TLS context for {@code tls}; errors name the file that is missing or unreadable. */
  public static SslContext serverContext(OcrgateConfig.TlsSection tls) {
    File chain = requireFile(tls.cert_chain, "tls.cert_chain");
    File key = requireFile(tls.private_key, "tls.private_key");
    ClientAuth clientAuth = clientAuth(tls.clientAuthMode());
    try {
      SslContextBuilder builder =
          GrpcSslContexts.configure(SslContextBuilder.forServer(chain, key))
              .protocols("TLSv1.3", "TLSv1.2");
      if (clientAuth != ClientAuth.NONE) {
        builder.trustManager(requireFile(tls.client_ca, "tls.client_ca")).clientAuth(clientAuth);
      }
      return builder.build();
    } catch (SSLException | IllegalArgumentException e) {
      throw new ConfigException(
          "cannot build TLS context from " + chain + " and " + key + ": " + e.getMessage(), e);
    }
  }

  private static ClientAuth clientAuth(String mode) {
    return switch (mode) {
      case "optional" -> ClientAuth.OPTIONAL;
      case "require" -> ClientAuth.REQUIRE;
      default -> ClientAuth.NONE; // ConfigLoader.validate admits only none, optional, require
    };
  }

  private static File requireFile(String path, String key) {
    if (path == null || path.isBlank()) {
      throw new ConfigException(
          key + " is required for TLS (or run with --dev to generate dev material)");
    }
    return new File(path); // readable: ConfigLoader.validated checked every file it names
  }
}
