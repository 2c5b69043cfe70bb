package dev.ocrgate.server.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

/**
 * A deliberately small HTTP/1.1 client over real TLS (trusting the test CA, verifying the host
 * name), writing requests byte for byte so that tests control everything: duplicate or non-ASCII
 * headers, declared lengths that differ from what is sent, bodies sent in part. Not thread-safe
 * per socket; the static methods may be used from any thread.
 */
public final class RawHttps {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static volatile SSLContext context;

  private RawHttps() {}

  /** A parsed answer; header names in lower case. */
  public record Response(int status, Map<String, List<String>> headers, byte[] body) {
    public String header(String name) {
      List<String> v = headers.get(name.toLowerCase(Locale.ROOT));
      return v == null ? null : v.get(0);
    }

    public String text() {
      return new String(body, StandardCharsets.UTF_8);
    }

    public JsonNode json() {
      try {
        return JSON.readTree(body);
      } catch (IOException e) {
        throw new UncheckedIOException("not JSON: " + text(), e);
      }
    }
  }

  public static synchronized SSLContext tls() throws Exception {
    if (context == null) {
      KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
      trust.load(null, null);
      try (InputStream in = Files.newInputStream(TestTls.certs().caCert())) {
        trust.setCertificateEntry("ca", CertificateFactory.getInstance("X.509").generateCertificate(in));
      }
      TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(trust);
      SSLContext c = SSLContext.getInstance("TLS");
      c.init(null, tmf.getTrustManagers(), null);
      context = c;
    }
    return context;
  }

  /** Trusts the test CA and presents the dev client certificate (EC P-256, PKCS#8 PEM). */
  public static SSLContext mtls() throws Exception {
    Certificate cert;
    try (InputStream in = Files.newInputStream(TestTls.certs().clientCert())) {
      cert = CertificateFactory.getInstance("X.509").generateCertificate(in);
    }
    String pem = Files.readString(TestTls.certs().clientKey()).replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
    PrivateKey key = KeyFactory.getInstance("EC")
        .generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(pem)));
    KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
    ks.load(null, null);
    ks.setKeyEntry("client", key, new char[0], new Certificate[] {cert});
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(ks, new char[0]);
    KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
    trust.load(null, null);
    try (InputStream in = Files.newInputStream(TestTls.certs().caCert())) {
      trust.setCertificateEntry("ca", CertificateFactory.getInstance("X.509").generateCertificate(in));
    }
    TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trust);
    SSLContext c = SSLContext.getInstance("TLS");
    c.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
    return c;
  }

  /** A TLS connection to localhost:{@code port}, handshake done, 30 s read timeout. */
  public static SSLSocket connect(int port) throws Exception {
    return connect(tls(), port);
  }

  /** As {@link #connect(int)} with the given TLS context (e.g. {@link #mtls()}). */
  public static SSLSocket connect(SSLContext context, int port) throws Exception {
    SSLSocket s = (SSLSocket) context.getSocketFactory().createSocket("localhost", port);
    SSLParameters p = s.getSSLParameters();
    p.setEndpointIdentificationAlgorithm("HTTPS");
    s.setSSLParameters(p);
    s.setSoTimeout(30_000);
    s.startHandshake();
    return s;
  }

  /** Sends one request ({@code Connection: close}, {@code Content-Length} of body) and reads its answer. */
  public static Response send(int port, String method, String path, List<String[]> headers, byte[] body) throws Exception {
    try (SSLSocket s = connect(port)) {
      write(s.getOutputStream(), method, path, headers, body);
      return read(s.getInputStream());
    }
  }

  /** A POST of {@code body} with {@code contentType} and, when not null, {@code Authorization: authorization}. */
  public static Response post(int port, String path, String contentType, String authorization, byte[] body) throws Exception {
    List<String[]> h = new ArrayList<>();
    h.add(new String[] {"Content-Type", contentType});
    if (authorization != null) {
      h.add(new String[] {"Authorization", authorization});
    }
    return send(port, "POST", path, h, body);
  }

  public static void write(OutputStream out, String method, String path, List<String[]> headers, byte[] body) throws IOException {
    StringBuilder head = new StringBuilder(method + " " + path + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n");
    for (String[] h : headers) {
      head.append(h[0]).append(": ").append(h[1]).append("\r\n");
    }
    if (body != null) {
      head.append("Content-Length: ").append(body.length).append("\r\n");
    }
    head.append("\r\n");
    out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1)); // as a raw client would send it
    if (body != null) {
      out.write(body);
    }
    out.flush();
  }

  /** Reads one answer (Content-Length framed, as the server always frames them). */
  public static Response read(InputStream in) throws IOException {
    String statusLine = line(in);
    if (statusLine == null) {
      throw new IOException("connection closed before an answer");
    }
    int status = Integer.parseInt(statusLine.split(" ")[1]);
    Map<String, List<String>> headers = new LinkedHashMap<>();
    for (String l = line(in); l != null && !l.isEmpty(); l = line(in)) {
      int colon = l.indexOf(':');
      headers.computeIfAbsent(l.substring(0, colon).trim().toLowerCase(Locale.ROOT), k -> new ArrayList<>())
          .add(l.substring(colon + 1).trim());
    }
    if (status == 100) {
      return read(in);
    }
    List<String> length = headers.get("content-length");
    byte[] body = length == null ? new byte[0] : in.readNBytes(Integer.parseInt(length.get(0)));
    return new Response(status, headers, body);
  }

  private static String line(InputStream in) throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    int c;
    while ((c = in.read()) != -1) {
      if (c == '\n') {
        String s = b.toString(StandardCharsets.ISO_8859_1);
        return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
      }
      b.write(c);
    }
    return b.size() == 0 ? null : b.toString(StandardCharsets.ISO_8859_1);
  }

  /** A multipart/form-data body with one file part named {@code image}; returns {boundary header value, body}. */
  public static Object[] multipart(byte[] file, String fileType, Map<String, String> fields) {
    String boundary = "ocrgate-test-" + Long.toHexString(System.nanoTime());
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    for (Map.Entry<String, String> f : fields.entrySet()) {
      b.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + f.getKey() + "\"\r\n\r\n"
          + f.getValue() + "\r\n").getBytes(StandardCharsets.UTF_8));
    }
    b.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"image\"; filename=\"page.png\"\r\n"
        + "Content-Type: " + fileType + "\r\n\r\n").getBytes(StandardCharsets.UTF_8));
    b.writeBytes(file);
    b.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
    return new Object[] {"multipart/form-data; boundary=" + boundary, b.toByteArray()};
  }
}
