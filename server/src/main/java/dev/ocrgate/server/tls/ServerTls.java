package dev.ocrgate.server.tls;

import dev.ocrgate.server.config.ConfigException;
import dev.ocrgate.server.config.OcrgateConfig;
import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.netty.handler.ssl.ClientAuth;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContext;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContextBuilder;
import java.io.File;
import javax.net.ssl.SSLException;

/**
 * Builds the server's TLS contexts from PEM files (TLS 1.2+, optional mTLS): one for the gRPC port
 * (grpc's shaded Netty, ALPN h2) and one for the HTTP/JSON port (plain Netty, HTTP/1.1), from the
 * same files and the same client-certificate rule.
 */
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

  /**
   * The TLS context of the HTTP/JSON port: the same certificate, key, protocols and client
   * certificate rule as {@link #serverContext}, for plain (unshaded) Netty and HTTP/1.1. The
   * Netty names are written out: the shaded ones of gRPC's transport are imported above.
   */
  public static io.netty.handler.ssl.SslContext httpContext(OcrgateConfig.TlsSection tls) {
    File chain = requireFile(tls.cert_chain, "tls.cert_chain");
    File key = requireFile(tls.private_key, "tls.private_key");
    String mode = tls.clientAuthMode();
    try {
      io.netty.handler.ssl.SslContextBuilder builder = io.netty.handler.ssl.SslContextBuilder.forServer(chain, key)
          .protocols("TLSv1.3", "TLSv1.2");
      if (!mode.equals("none")) {
        builder.trustManager(requireFile(tls.client_ca, "tls.client_ca")).clientAuth(mode.equals("require")
            ? io.netty.handler.ssl.ClientAuth.REQUIRE : io.netty.handler.ssl.ClientAuth.OPTIONAL);
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
