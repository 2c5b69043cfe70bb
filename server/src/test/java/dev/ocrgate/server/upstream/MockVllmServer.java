package dev.ocrgate.server.upstream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * A stand-in for {@code vllm serve tencent/HunyuanOCR} (no GPU and no model here), speaking vLLM's
 * OpenAI-compatible HTTP/1.1 wire format on 127.0.0.1: {@code POST /v1/chat/completions} and
 * {@code GET /health}. Like vLLM it checks the {@code Authorization} header when started with an
 * API key (401 {@code {"error": "Unauthorized"}}), the served model name (404 NotFoundError) and
 * the body's JSON (400 BadRequestError), and answers chat completions with an id, {@code created},
 * {@code choices[0].message.content}, {@code finish_reason} and {@code usage}; errors use vLLM's
 * {@code {"object": "error", "message", "type", "param", "code"}} body. Keep-alive connections are
 * served request after request.
 *
 * <p>Public for the benchmark module ({@code UpstreamOverheadBench}). Tests script the answers with {@link #answer}: a {@link Reply} per accepted request, which can
 * also be slow (held until released or until the client closes the connection), a reset
 * connection, a 429 with Retry-After, malformed JSON. Every request is recorded.
 */
public final class MockVllmServer implements AutoCloseable {
  public static final ObjectMapper JSON = new ObjectMapper();

  /** One recorded request. */
  public record Request(String method, String path, Map<String, String> headers, byte[] body) {
    public JsonNode json() {
      try {
        return JSON.readTree(body);
      } catch (IOException e) {
        throw new AssertionError("request body is not JSON", e);
      }
    }

    public String header(String name) {
      return headers.get(name.toLowerCase(Locale.ROOT));
    }
  }

  /** What to do with one chat request. */
  public sealed interface Reply permits Answer, Reset, Hold {}

  /** An HTTP answer. */
  public record Answer(int status, Map<String, String> headers, byte[] body) implements Reply {}

  /** Close the connection with a TCP reset, answering nothing. */
  public record Reset() implements Reply {}

  /** Answer nothing until {@code release} opens or the client closes the connection; then {@code then}. */
  public record Hold(CountDownLatch release, Reply then) implements Reply {}

  private final ServerSocket socket;
  private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "mock-vllm");
    t.setDaemon(true);
    return t;
  });
  private final String servedModel;
  private final String apiKey;
  private volatile Function<Request, Reply> chat = r -> ok(chatCompletion("", "stop", 10, 0));
  private volatile boolean healthy = true;
  /** Every chat-completions request received (health probes are not recorded). */
  final BlockingQueue<Request> requests = new LinkedBlockingQueue<>();
  /** Chat requests whose client closed the connection while the answer was held. */
  final BlockingQueue<Request> abandoned = new LinkedBlockingQueue<>();
  final AtomicInteger concurrent = new AtomicInteger();
  final AtomicInteger maxConcurrent = new AtomicInteger();
  private final Map<Socket, Boolean> open = new ConcurrentHashMap<>();

  private MockVllmServer(ServerSocket socket, String servedModel, String apiKey) {
    this.socket = socket;
    this.servedModel = servedModel;
    this.apiKey = apiKey;
    threads.execute(this::acceptLoop);
  }

  /** A server on a free port checking {@code servedModel} and, when not null, the API key. */
  public static MockVllmServer start(String servedModel, String apiKey) throws IOException {
    return start(0, servedModel, apiKey);
  }

  /** As {@link #start(String, String)} on {@code port} (to bring a stopped upstream back). */
  public static MockVllmServer start(int port, String servedModel, String apiKey) throws IOException {
    ServerSocket s = new ServerSocket();
    s.setReuseAddress(true);
    s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
    return new MockVllmServer(s, servedModel, apiKey);
  }

  /** As {@link #start(String, String)}, over TLS with {@code tls}'s server certificate. */
  public static MockVllmServer startTls(javax.net.ssl.SSLContext tls, String servedModel, String apiKey) throws IOException {
    ServerSocket s = tls.getServerSocketFactory().createServerSocket();
    s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    return new MockVllmServer(s, servedModel, apiKey);
  }

  public int port() {
    return socket.getLocalPort();
  }

  public String baseUrl() {
    return "http://127.0.0.1:" + port();
  }

  /** How every later chat request that passes vLLM's own checks is answered. */
  public void answer(Function<Request, Reply> replies) {
    this.chat = replies;
  }

  /** What {@code GET /health} answers: 200 when healthy, 503 otherwise. */
  public void healthy(boolean h) {
    this.healthy = h;
  }

  // ---- vLLM-shaped answers ----

  public static ObjectNode chatCompletion(String content, String finishReason, int promptTokens, int completionTokens) {
    ObjectNode root = JSON.createObjectNode();
    root.put("id", "chatcmpl-" + Long.toHexString(System.nanoTime()));
    root.put("object", "chat.completion");
    root.put("created", System.currentTimeMillis() / 1000);
    root.put("model", "tencent/HunyuanOCR");
    ObjectNode choice = root.putArray("choices").addObject();
    choice.put("index", 0);
    ObjectNode message = choice.putObject("message");
    message.put("role", "assistant");
    message.putNull("reasoning_content");
    if (content == null) {
      message.putNull("content");
    } else {
      message.put("content", content);
    }
    message.putArray("tool_calls");
    choice.putNull("logprobs");
    choice.put("finish_reason", finishReason);
    choice.putNull("stop_reason");
    ObjectNode usage = root.putObject("usage");
    usage.put("prompt_tokens", promptTokens);
    usage.put("total_tokens", promptTokens + completionTokens);
    usage.put("completion_tokens", completionTokens);
    usage.putNull("prompt_tokens_details");
    root.putNull("prompt_logprobs");
    return root;
  }

  public static Answer ok(JsonNode body) {
    return new Answer(200, Map.of("content-type", "application/json"), body.toString().getBytes(StandardCharsets.UTF_8));
  }

  /** vLLM's error body ({@code ErrorResponse}) with {@code status}. */
  public static Answer error(int status, String type, String message, Map<String, String> headers) {
    ObjectNode body = JSON.createObjectNode();
    body.put("object", "error");
    body.put("message", message);
    body.put("type", type);
    body.putNull("param");
    body.put("code", status);
    Map<String, String> h = new LinkedHashMap<>(headers);
    h.put("content-type", "application/json");
    return new Answer(status, h, body.toString().getBytes(StandardCharsets.UTF_8));
  }

  public static Answer raw(int status, String contentType, String body) {
    return new Answer(status, Map.of("content-type", contentType), body.getBytes(StandardCharsets.UTF_8));
  }

  // ---- the server ----

  private void acceptLoop() {
    while (!socket.isClosed()) {
      try {
        Socket s = socket.accept();
        s.setTcpNoDelay(true); // as uvicorn does; with Nagle a split answer waits for a delayed ACK
        open.put(s, true);
        threads.execute(() -> serve(s));
      } catch (IOException e) {
        return;
      }
    }
  }

  private void serve(Socket s) {
    try (s) {
      InputStream in = s.getInputStream();
      OutputStream out = s.getOutputStream();
      while (true) {
        Request r = read(in);
        if (r == null) {
          return;
        }
        if (!handle(r, s, in, out)) {
          return;
        }
      }
    } catch (IOException e) {
      // client went away
    } finally {
      open.remove(s);
    }
  }

  /** Answers one request; false when the connection is done. */
  private boolean handle(Request r, Socket s, InputStream in, OutputStream out) throws IOException {
    if (r.method().equals("GET") && r.path().equals("/health")) {
      write(out, new Answer(healthy ? 200 : 503, Map.of(), new byte[0]));
      return true;
    }
    if (!r.method().equals("POST") || !r.path().equals("/v1/chat/completions")) {
      write(out, raw(404, "application/json", "{\"detail\":\"Not Found\"}"));
      return true;
    }
    requests.add(r);
    Reply check = vllmChecks(r);
    if (check != null) {
      write(out, (Answer) check);
      return true;
    }
    int now = concurrent.incrementAndGet();
    maxConcurrent.accumulateAndGet(now, Math::max);
    try {
      return reply(chat.apply(r), r, s, in, out);
    } finally {
      concurrent.decrementAndGet();
    }
  }

  private boolean reply(Reply reply, Request r, Socket s, InputStream in, OutputStream out) throws IOException {
    if (reply instanceof Answer a) {
      write(out, a);
      return true;
    }
    if (reply instanceof Reset) {
      s.setSoLinger(true, 0);
      return false;
    }
    Hold hold = (Hold) reply;
    // The client has sent its whole request: reading now returns -1 only when it closes the connection.
    s.setSoTimeout(20);
    while (hold.release().getCount() > 0) {
      try {
        if (in.read() < 0) {
          abandoned.add(r);
          return false;
        }
      } catch (java.net.SocketTimeoutException e) {
        // still connected
      } catch (SocketException e) {
        abandoned.add(r);
        return false;
      }
    }
    s.setSoTimeout(0);
    return reply(hold.then(), r, s, in, out);
  }

  /** What vLLM itself refuses before the model sees the request, or null. */
  private Reply vllmChecks(Request r) {
    if (apiKey != null && !("Bearer " + apiKey).equals(r.header("authorization"))) {
      return new Answer(401, Map.of("content-type", "application/json"),
          "{\"error\":\"Unauthorized\"}".getBytes(StandardCharsets.UTF_8));
    }
    JsonNode body;
    try {
      body = JSON.readTree(r.body());
    } catch (IOException e) {
      return error(400, "BadRequestError", "JSON decode error", Map.of());
    }
    if (body == null || !body.path("messages").isArray()) {
      return error(400, "BadRequestError", "Field required: messages", Map.of());
    }
    if (!servedModel.equals(body.path("model").asText())) {
      return error(404, "NotFoundError", "The model `" + body.path("model").asText() + "` does not exist.", Map.of());
    }
    return null;
  }

  private static Request read(InputStream in) throws IOException {
    String requestLine = line(in);
    if (requestLine == null || requestLine.isEmpty()) {
      return null;
    }
    String[] parts = requestLine.split(" ");
    Map<String, String> headers = new LinkedHashMap<>();
    for (String h = line(in); h != null && !h.isEmpty(); h = line(in)) {
      int colon = h.indexOf(':');
      headers.put(h.substring(0, colon).strip().toLowerCase(Locale.ROOT), h.substring(colon + 1).strip());
    }
    int length = Integer.parseInt(headers.getOrDefault("content-length", "0"));
    byte[] body = in.readNBytes(length);
    return new Request(parts[0], parts[1], headers, body);
  }

  private static String line(InputStream in) throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    int c;
    while ((c = in.read()) >= 0) {
      if (c == '\n') {
        String s = b.toString(StandardCharsets.ISO_8859_1);
        return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
      }
      b.write(c);
    }
    return b.size() == 0 ? null : b.toString(StandardCharsets.ISO_8859_1);
  }

  private static void write(OutputStream out, Answer a) throws IOException {
    StringBuilder head = new StringBuilder("HTTP/1.1 ").append(a.status()).append(' ').append(reason(a.status())).append("\r\n");
    head.append("date: ").append(java.time.format.DateTimeFormatter.RFC_1123_DATE_TIME.format(
        java.time.ZonedDateTime.now(java.time.ZoneOffset.UTC))).append("\r\n");
    head.append("server: uvicorn\r\n");
    a.headers().forEach((k, v) -> head.append(k).append(": ").append(v).append("\r\n"));
    head.append("content-length: ").append(a.body().length).append("\r\n\r\n");
    ByteArrayOutputStream whole = new ByteArrayOutputStream(head.length() + a.body().length);
    whole.writeBytes(head.toString().getBytes(StandardCharsets.ISO_8859_1));
    whole.writeBytes(a.body());
    out.write(whole.toByteArray());
    out.flush();
  }

  private static String reason(int status) {
    return switch (status) {
      case 200 -> "OK";
      case 400 -> "Bad Request";
      case 401 -> "Unauthorized";
      case 404 -> "Not Found";
      case 429 -> "Too Many Requests";
      case 503 -> "Service Unavailable";
      default -> "Status";
    };
  }

  public List<Request> drainRequests() {
    List<Request> out = new java.util.ArrayList<>();
    requests.drainTo(out);
    return out;
  }

  @Override
  public void close() throws IOException {
    socket.close();
    for (Socket s : open.keySet()) {
      s.close();
    }
    threads.shutdownNow();
    try {
      threads.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
