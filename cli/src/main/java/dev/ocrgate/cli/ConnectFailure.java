package dev.ocrgate.cli;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.SSLException;

/**
 * Explains why a call never reached the server, from the transport exception grpc-java wraps in
 * {@code UNAVAILABLE: io exception}: what was tried and what to do about it, in one line.
 *
 * <p>Only the cause chain's exception types are inspected (never their messages, which hold
 * Netty pipeline dumps); the explanation names the target and the trust file the user gave,
 * nothing the server sent.
 */
final class ConnectFailure {
  /** What the client was set up to do. */
  record Setup(String target, boolean plaintext, String trust) {}

  private static final int MAX_CAUSES = 16;

  private ConnectFailure() {}

  /** The explanation of {@code e}, or empty when the call did reach the server. */
  static Optional<String> explain(StatusRuntimeException e, Setup setup) {
    if (e.getStatus().getCode() != Status.Code.UNAVAILABLE) {
      return Optional.empty();
    }
    String where = "cannot connect to " + setup.target() + ": ";
    List<Throwable> causes = causes(e);
    if (has(causes, ConnectException.class) || has(causes, NoRouteToHostException.class)) {
      return Optional.of(where + "connection refused — is 'ocrgate serve' running there? "
          + "(--target HOST:PORT, default localhost:8443)");
    }
    if (has(causes, UnknownHostException.class)) {
      return Optional.of(where + "unknown host — check --target HOST:PORT");
    }
    // Most specific first: a PKIX failure is also a CertificateException inside an SSLException.
    if (has(causes, CertPathBuilderException.class) || has(causes, CertPathValidatorException.class)) {
      return Optional.of(where + "the server's certificate is not trusted by " + setup.trust()
          + " — pass the CA that signed it with --ca PEM");
    }
    if (causes.stream().anyMatch(t -> t.getClass().getSimpleName().equals("NotSslRecordException"))) {
      // Netty is shaded inside grpc-netty-shaded: match the simple name, not the relocated package.
      return Optional.of(where + "the server does not speak TLS — if it runs with --plaintext, "
          + "connect with --plaintext too");
    }
    if (has(causes, CertificateException.class)) {
      return Optional.of(where + "the server's certificate does not name this host — connect by a "
          + "name the certificate holds (--target)");
    }
    if (has(causes, SSLException.class)) {
      return Optional.of(where + "the TLS handshake failed — check --ca and that the server uses TLS");
    }
    // A TLS server answers a plaintext preface by closing the connection. The client sees that as
    // "Network closed" (no cause) or, when the close races the client's read, as a connection reset
    // (an IOException: Netty's native transport throws its own subclass): the same event either way.
    if (setup.plaintext() && causes.stream().allMatch(IOException.class::isInstance)) {
      return Optional.of(where + "the server closed the connection during setup — if it uses TLS "
          + "(the default), drop --plaintext");
    }
    return Optional.empty();
  }

  private static List<Throwable> causes(Throwable e) {
    List<Throwable> out = new ArrayList<>();
    for (Throwable t = e.getCause(); t != null && out.size() < MAX_CAUSES; t = t.getCause()) {
      out.add(t);
    }
    return out;
  }

  private static boolean has(List<Throwable> causes, Class<? extends Throwable> type) {
    return causes.stream().anyMatch(type::isInstance);
  }
}
