package dev.ocrgate.server.http;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A small non-blocking HTTP/1.1 server for a few GET endpoints (probes, metrics, public keys)
 * that no peer can stall. One selector thread accepts, reads, answers, writes and closes; it
 * never blocks on a peer, so a connection that sends one byte and waits costs a slot and nothing
 * else, and the next probe is answered at once.
 *
 * <p>Limits ({@link HttpLimits}): at most {@code maxConnections} connections are open; a new one
 * beyond that closes the oldest (an attacker's held connections are older than the probe that
 * arrives after them). Each connection must send its request head within
 * {@code maxRequestHeadBytes} and be answered and written within {@code requestTimeout} of its
 * accept, or it is closed. One request per connection ({@code Connection: close}); after the
 * answer the server half-closes and discards what the peer still sends until it closes too, so
 * that unread bytes never turn the close into a reset that loses the answer.
 *
 * <p>GET and HEAD reach the {@link Handler}; other methods get 405. The handler runs on the
 * selector thread, so it must be quick (a Prometheus scrape is a few milliseconds).
 *
 * <p>Threads: the selector thread owns every connection; {@link #close} may be called from any
 * thread.
 */
public final class PlainHttpServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(PlainHttpServer.class);

  /** An answer: status, content type, body and extra headers. */
  public record Response(int status, String contentType, byte[] body, Map<String, String> headers) {
    /** A UTF-8 text answer without extra headers. */
    public static Response text(int status, String contentType, String body) {
      return new Response(status, contentType, body.getBytes(StandardCharsets.UTF_8), Map.of());
    }
  }

  /** Answers GET (and HEAD, whose body is then dropped) for a path. Must not block. */
  @FunctionalInterface
  public interface Handler {
    Response handle(String path);
  }

  private final ServerSocketChannel listener;
  private final Selector selector;
  private final HttpLimits limits;
  private final Handler handler;
  private final Thread thread;
  /** Open connections in accept order, so the oldest has the earliest deadline. Selector thread only. */
  private final ArrayDeque<Connection> connections = new ArrayDeque<>();
  /** Where draining connections' bytes go. Selector thread only. */
  private final ByteBuffer discard = ByteBuffer.allocate(512);
  private volatile boolean open = true;

  private PlainHttpServer(ServerSocketChannel listener, Selector selector, HttpLimits limits, Handler handler,
      String threadName) {
    this.listener = listener;
    this.selector = selector;
    this.limits = limits;
    this.handler = handler;
    this.thread = new Thread(this::run, threadName);
    this.thread.setDaemon(true);
  }

  /** Binds {@code host:port} (0 = any free port) and starts serving on a daemon thread. */
  public static PlainHttpServer start(String host, int port, HttpLimits limits, Handler handler, String threadName)
      throws IOException {
    ServerSocketChannel listener = ServerSocketChannel.open();
    Selector selector = Selector.open();
    try {
      listener.setOption(StandardSocketOptions.SO_REUSEADDR, true);
      listener.bind(new InetSocketAddress(host, port), limits.maxConnections());
      listener.configureBlocking(false);
      listener.register(selector, SelectionKey.OP_ACCEPT);
    } catch (IOException | RuntimeException e) {
      selector.close();
      listener.close();
      throw e;
    }
    PlainHttpServer server = new PlainHttpServer(listener, selector, limits, handler, threadName);
    server.thread.start();
    return server;
  }

  /** The bound port. */
  public int port() {
    return listener.socket().getLocalPort();
  }

  /** Stops serving and closes every connection; returns once the selector thread has ended. */
  @Override
  public void close() {
    open = false;
    selector.wakeup();
    try {
      thread.join(TimeUnit.SECONDS.toMillis(5));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void run() {
    try {
      while (open) {
        selector.select(this::ready, millisToNextDeadline());
        closeExpired(System.nanoTime());
      }
    } catch (IOException | ClosedSelectorException e) {
      if (open) {
        log.warn("HTTP server on port {} stopped: {}", port(), e.toString());
      }
    } finally {
      connections.forEach(Connection::close);
      connections.clear();
      closeQuietly(selector);
      closeQuietly(listener);
    }
  }

  private void ready(SelectionKey key) {
    if (!key.isValid()) {
      return; // dropped earlier in this round
    }
    try {
      if (key.isAcceptable()) {
        acceptAll();
      } else if (key.attachment() instanceof Connection c) {
        c.onReady(key);
      }
    } catch (IOException | RuntimeException e) {
      if (key.attachment() instanceof Connection c) {
        drop(c);
      } else {
        log.warn("HTTP accept failed on port {}: {}", port(), e.toString());
      }
    }
  }

  private void acceptAll() throws IOException {
    SocketChannel ch;
    while ((ch = listener.accept()) != null) {
      if (connections.size() >= limits.maxConnections()) {
        drop(connections.peekFirst());
      }
      ch.configureBlocking(false);
      Connection c = new Connection(ch, System.nanoTime() + limits.requestTimeout().toNanos());
      c.key = ch.register(selector, SelectionKey.OP_READ, c);
      connections.addLast(c);
    }
  }

  private long millisToNextDeadline() {
    Connection oldest = connections.peekFirst();
    if (oldest == null) {
      return 0; // no timeout: wait for the next event
    }
    long nanos = oldest.deadline - System.nanoTime();
    return Math.max(1, TimeUnit.NANOSECONDS.toMillis(nanos) + 1);
  }

  private void closeExpired(long now) {
    while (!connections.isEmpty() && connections.peekFirst().deadline - now <= 0) {
      drop(connections.peekFirst());
    }
  }

  private void drop(Connection c) {
    connections.remove(c);
    c.close();
  }

  private Response answer(RequestHead head) {
    if (head == null) {
      return Response.text(400, "text/plain; charset=utf-8", "bad request\n");
    }
    if (!head.method().equals("GET") && !head.method().equals("HEAD")) {
      return new Response(405, "text/plain; charset=utf-8", "method not allowed\n".getBytes(StandardCharsets.UTF_8),
          Map.of("Allow", "GET, HEAD"));
    }
    try {
      return handler.handle(head.path());
    } catch (RuntimeException e) {
      log.warn("HTTP handler for {} failed: {}", head.path(), e.toString());
      return Response.text(500, "text/plain; charset=utf-8", "internal error\n");
    }
  }

  private static ByteBuffer encode(Response r, boolean head) {
    StringBuilder sb = new StringBuilder(160).append("HTTP/1.1 ").append(r.status()).append(' ')
        .append(reason(r.status())).append("\r\nContent-Type: ").append(r.contentType())
        .append("\r\nContent-Length: ").append(r.body().length).append("\r\nConnection: close\r\n");
    r.headers().forEach((k, v) -> sb.append(k).append(": ").append(v).append("\r\n"));
    byte[] top = sb.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1);
    ByteBuffer out = ByteBuffer.allocate(top.length + (head ? 0 : r.body().length)).put(top);
    if (!head) {
      out.put(r.body());
    }
    return out.flip();
  }

  private static String reason(int status) {
    return switch (status) {
      case 200 -> "OK";
      case 400 -> "Bad Request";
      case 404 -> "Not Found";
      case 405 -> "Method Not Allowed";
      case 431 -> "Request Header Fields Too Large";
      case 503 -> "Service Unavailable";
      default -> status >= 500 ? "Server Error" : "Status";
    };
  }

  private static void closeQuietly(AutoCloseable c) {
    try {
      c.close();
    } catch (Exception e) {
      // closing: nothing left to do
    }
  }

  /** One connection's state machine: read the head, write the answer, drain until the peer closes. */
  private final class Connection {
    final SocketChannel ch;
    final long deadline;
    SelectionKey key;
    byte[] in = new byte[limits.maxRequestHeadBytes()];
    int inLen;
    ByteBuffer out;
    boolean draining;

    Connection(SocketChannel ch, long deadline) {
      this.ch = ch;
      this.deadline = deadline;
    }

    void onReady(SelectionKey k) throws IOException {
      if (k.isWritable()) {
        write();
      } else if (k.isReadable()) {
        read();
      }
    }

    private void read() throws IOException {
      if (draining) {
        drain();
        return;
      }
      int n = ch.read(ByteBuffer.wrap(in, inLen, in.length - inLen));
      if (n < 0) {
        drop(this);
        return;
      }
      inLen += n;
      int headLength = RequestHead.headLength(in, inLen);
      if (headLength > 0) {
        RequestHead head = RequestHead.parse(in, headLength);
        respond(answer(head), head != null && head.method().equals("HEAD"));
      } else if (inLen == in.length) {
        respond(Response.text(431, "text/plain; charset=utf-8", "request header too large\n"), false);
      }
    }

    private void respond(Response r, boolean head) throws IOException {
      in = null;
      out = encode(r, head);
      key.interestOps(SelectionKey.OP_WRITE);
      write();
    }

    private void write() throws IOException {
      ch.write(out);
      if (!out.hasRemaining()) {
        ch.shutdownOutput();
        draining = true;
        key.interestOps(SelectionKey.OP_READ);
      }
    }

    private void drain() throws IOException {
      discard.clear();
      if (ch.read(discard) < 0) {
        drop(this);
      }
    }

    void close() {
      if (key != null) {
        key.cancel();
      }
      closeQuietly(ch);
    }
  }
}
