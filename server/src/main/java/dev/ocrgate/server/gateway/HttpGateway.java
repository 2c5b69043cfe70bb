package dev.ocrgate.server.gateway;

import dev.ocrgate.server.config.ConfigException;
import dev.ocrgate.server.config.HttpSection;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.ServerBuilder;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The HTTP/JSON port: HTTP/1.1 (over TLS unless the gRPC port is plaintext too) on Netty, in
 * front of an in-process gRPC server that has the same services and interceptors as the gRPC port
 * ({@code configure} is the one function that adds them to both). Each request is forwarded as
 * one gRPC call, so authentication, rate limits, size limits, metrics and audit are those of
 * gRPC, applied once, by the same code. What this class adds is only the HTTP edge's own limits
 * ({@link HttpSection}: connections, header size, body size, requests in progress, read time).
 *
 * <p>Why Netty: it reads without a thread per connection (a slow sender holds no thread), its
 * HTTP codec bounds the request line and headers while parsing, and the body limit can be checked
 * per chunk as bytes arrive; the JDK's HttpServer has no header-size or per-request read limits
 * of its own. The Netty is the plain one already on the classpath (lettuce's), not grpc's shaded
 * copy, whose classes are internal to grpc.
 *
 * <p>Lifecycle: {@link #start} binds; {@link #shutdown} stops accepting and lets forwarded calls
 * finish; {@link #awaitTermination} waits for them; {@link #close} cuts what is left and frees the
 * threads. Thread-safe.
 */
public final class HttpGateway implements AutoCloseable {
  private final EventLoopGroup boss;
  private final EventLoopGroup workers;
  private final Channel listener;
  private final Server inProcess;
  private final ManagedChannel channel;
  /** One permit per request being handled, from its head until its answer is written. */
  private final Semaphore requests;
  private final int maxRequests;

  private HttpGateway(EventLoopGroup boss, EventLoopGroup workers, Channel listener, Server inProcess,
      ManagedChannel channel, Semaphore requests, int maxRequests) {
    this.boss = boss;
    this.workers = workers;
    this.listener = listener;
    this.inProcess = inProcess;
    this.channel = channel;
    this.requests = requests;
    this.maxRequests = maxRequests;
  }

  /**
   * Starts the in-process server ({@code configure} adds services, tracers and interceptors to
   * it, exactly as to the gRPC port) and binds {@code host:http.port}.
   *
   * @param tls the HTTP port's TLS context, or null for plaintext (only when the gRPC port is)
   * @param handshakeTimeoutSeconds as the gRPC port's {@code server.handshake_timeout_seconds}
   * @throws ConfigException when the port cannot be bound
   */
  public static HttpGateway start(HttpSection http, String host, SslContext tls, int handshakeTimeoutSeconds,
      Consumer<ServerBuilder<?>> configure, StaticResources files) {
    String name = InProcessServerBuilder.generateName();
    InProcessServerBuilder sb = InProcessServerBuilder.forName(name);
    configure.accept(sb);
    sb.intercept(ForwardedPeer.interceptor()); // added last: runs first, before metrics and auth
    Server inProcess;
    try {
      inProcess = sb.build().start();
    } catch (IOException e) {
      throw new IllegalStateException("in-process server did not start", e);
    }
    ManagedChannel channel = InProcessChannelBuilder.forName(name).directExecutor().build();
    Router router = new Router(new RecognizeEndpoint(channel, TimeUnit.SECONDS.toNanos(http.request_timeout_seconds)), files);
    EventLoopGroup boss = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("ocrgate-http-accept", true),
        NioIoHandler.newFactory());
    EventLoopGroup workers = new MultiThreadIoEventLoopGroup(2, new DefaultThreadFactory("ocrgate-http", true),
        NioIoHandler.newFactory());
    Semaphore requests = new Semaphore(http.max_concurrent_requests);
    try {
      Channel listener = new ServerBootstrap().group(boss, workers).channel(NioServerSocketChannel.class)
          .option(ChannelOption.SO_BACKLOG, 128)
          .childOption(ChannelOption.AUTO_READ, true)
          .childHandler(initializer(http, tls, handshakeTimeoutSeconds, router, requests))
          .bind(new InetSocketAddress(host, http.port)).syncUninterruptibly().channel();
      return new HttpGateway(boss, workers, listener, inProcess, channel, requests, http.max_concurrent_requests);
    } catch (RuntimeException e) {
      boss.shutdownGracefully(0, 0, TimeUnit.SECONDS);
      workers.shutdownGracefully(0, 0, TimeUnit.SECONDS);
      channel.shutdownNow();
      inProcess.shutdownNow();
      throw new ConfigException("cannot listen on " + host + ":" + http.port + " (http): " + e.getMessage(), e);
    }
  }

  private static ChannelInitializer<SocketChannel> initializer(HttpSection http, SslContext tls,
      int handshakeTimeoutSeconds, Router router, Semaphore requests) {
    ConnectionLimit connections = new ConnectionLimit(http.max_connections);
    HttpDecoderConfig decoder = new HttpDecoderConfig()
        .setMaxInitialLineLength(Math.min(8192, http.max_header_bytes))
        .setMaxHeaderSize(http.max_header_bytes)
        .setMaxChunkSize(64 * 1024);
    long readTimeoutNanos = TimeUnit.SECONDS.toNanos(http.read_timeout_seconds);
    return new ChannelInitializer<>() {
      @Override
      protected void initChannel(SocketChannel ch) {
        ChannelPipeline p = ch.pipeline();
        p.addLast(connections);
        if (tls != null) {
          SslHandler ssl = tls.newHandler(ch.alloc());
          ssl.setHandshakeTimeout(handshakeTimeoutSeconds, TimeUnit.SECONDS);
          p.addLast(ssl);
        }
        p.addLast(new HttpServerCodec(decoder));
        p.addLast(new RequestReader(http.max_body_bytes, readTimeoutNanos, requests, router));
      }
    };
  }

  /** The bound port. */
  public int port() {
    return ((InetSocketAddress) listener.localAddress()).getPort();
  }

  /** Stops accepting connections and new forwarded calls; calls in flight go on. */
  public void shutdown() {
    listener.close().syncUninterruptibly();
    inProcess.shutdown();
  }

  /**
   * Waits up to {@code timeout} for the forwarded calls in flight and for their answers to be
   * written (every request permit back); true when none is left. Takes the permits it waited
   * for: requests still arriving on open keep-alive connections get 503 from then on.
   */
  public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
    long deadline = System.nanoTime() + unit.toNanos(timeout);
    return inProcess.awaitTermination(timeout, unit)
        && requests.tryAcquire(maxRequests, Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
  }

  /** Cancels forwarded calls still in flight, closes every connection and frees the threads. */
  @Override
  public void close() {
    listener.close().syncUninterruptibly();
    inProcess.shutdownNow();
    channel.shutdownNow();
    workers.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    boss.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
  }
}
