package dev.ocrgate.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ocrgate.server.auth.issuer.JwksHttpEndpoint;
import dev.ocrgate.server.http.PlainHttpServer.Response;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The non-blocking HTTP server over real sockets: answers, refusals and the limits. */
class PlainHttpServerTest {
  private static final HttpLimits LIMITS = new HttpLimits(4, Duration.ofSeconds(30), 256);

  private static PlainHttpServer start(HttpLimits limits) throws IOException {
    return PlainHttpServer.start("127.0.0.1", 0, limits,
        path -> path.equals("/hello") ? Response.text(200, "text/plain", "hi\n") : Response.text(404, "text/plain", "no\n"),
        "test-http");
  }

  /** Sends {@code request} raw and returns everything the server wrote before it closed. */
  private static String exchange(int port, String request) throws IOException {
    try (Socket s = connect(port)) {
      s.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
      return readAll(s.getInputStream());
    }
  }

  private static Socket connect(int port) throws IOException {
    Socket s = new Socket();
    s.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
    s.setSoTimeout(30_000);
    return s;
  }

  private static String readAll(InputStream in) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    in.transferTo(out);
    return out.toString(StandardCharsets.ISO_8859_1);
  }

  @Test
  void get_isAnswered_andTheConnectionClosed() throws Exception {
    try (PlainHttpServer server = start(LIMITS)) {
      String answer = exchange(server.port(), "GET /hello?x=1 HTTP/1.1\r\nHost: a\r\n\r\n");

      assertThat(answer).startsWith("HTTP/1.1 200 OK\r\n").contains("Content-Length: 3\r\n")
          .contains("Connection: close\r\n").endsWith("\r\n\r\nhi\n");
    }
  }

  @Test
  void head_hasNoBody_andBareLineFeedsAreAccepted() throws Exception {
    try (PlainHttpServer server = start(LIMITS)) {
      String answer = exchange(server.port(), "HEAD /hello HTTP/1.0\n\n");

      assertThat(answer).startsWith("HTTP/1.1 200 OK\r\n").contains("Content-Length: 3\r\n").endsWith("\r\n\r\n");
    }
  }

  @Test
  void post_is405WithAllow_andTheUnreadBodyDoesNotLoseTheAnswer() throws Exception {
    try (PlainHttpServer server = start(LIMITS)) {
      String answer = exchange(server.port(), "POST /hello HTTP/1.1\r\nContent-Length: 5000\r\n\r\n" + "x".repeat(5000));

      assertThat(answer).startsWith("HTTP/1.1 405 Method Not Allowed\r\n").contains("Allow: GET, HEAD\r\n");
    }
  }

  @Test
  void garbage_is400_andAnOversizedHead_is431() throws Exception {
    try (PlainHttpServer server = start(LIMITS)) {
      assertThat(exchange(server.port(), "HELLO\r\n\r\n")).startsWith("HTTP/1.1 400 ");
      assertThat(exchange(server.port(), "GET /hello HTTP/1.1\r\nX: " + "y".repeat(300) + "\r\n\r\n"))
          .startsWith("HTTP/1.1 431 ");
    }
  }

  @Test
  void beyondMaxConnections_theOldestIsClosed_andTheNewOneAnswered() throws Exception {
    try (PlainHttpServer server = start(LIMITS)) {
      List<Socket> held = new ArrayList<>();
      try {
        for (int i = 0; i < 4; i++) {
          Socket s = connect(server.port());
          s.getOutputStream().write('G');
          held.add(s);
        }

        assertThat(exchange(server.port(), "GET /hello HTTP/1.1\r\n\r\n")).startsWith("HTTP/1.1 200 ");
        assertThat(held.get(0).getInputStream().read()).isEqualTo(-1);
      } finally {
        for (Socket s : held) {
          s.close();
        }
      }
    }
  }

  @Test
  void stalledConnection_isClosedAtItsDeadline() throws Exception {
    try (PlainHttpServer server = start(new HttpLimits(4, Duration.ofMillis(300), 256));
        Socket s = connect(server.port())) {
      s.getOutputStream().write('G');

      assertThat(s.getInputStream().read()).isEqualTo(-1);
    }
  }

  @Test
  void jwksEndpoint_answersWhileClientsStall() throws Exception {
    try (JwksHttpEndpoint jwks = JwksHttpEndpoint.start("127.0.0.1", 0, () -> "{\"keys\":[]}")) {
      List<Socket> held = new ArrayList<>();
      try {
        for (int i = 0; i < 8; i++) {
          Socket s = connect(jwks.port());
          s.getOutputStream().write('G');
          held.add(s);
        }

        assertThat(exchange(jwks.port(), "GET " + JwksHttpEndpoint.PATH + " HTTP/1.1\r\n\r\n"))
            .startsWith("HTTP/1.1 200 OK\r\n").contains("Cache-Control: public, max-age=300\r\n")
            .endsWith("{\"keys\":[]}");
      } finally {
        for (Socket s : held) {
          s.close();
        }
      }
    }
  }
}
