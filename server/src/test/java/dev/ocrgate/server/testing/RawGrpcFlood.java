package dev.ocrgate.server.testing;

import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.netty.bootstrap.Bootstrap;
import io.grpc.netty.shaded.io.netty.buffer.ByteBuf;
import io.grpc.netty.shaded.io.netty.buffer.Unpooled;
import io.grpc.netty.shaded.io.netty.channel.Channel;
import io.grpc.netty.shaded.io.netty.channel.ChannelHandlerContext;
import io.grpc.netty.shaded.io.netty.channel.ChannelInboundHandlerAdapter;
import io.grpc.netty.shaded.io.netty.channel.ChannelInitializer;
import io.grpc.netty.shaded.io.netty.channel.EventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.nio.NioEventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.socket.nio.NioSocketChannel;
import io.grpc.netty.shaded.io.netty.handler.codec.http2.DefaultHttp2DataFrame;
import io.grpc.netty.shaded.io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.grpc.netty.shaded.io.netty.handler.codec.http2.DefaultHttp2HeadersFrame;
import io.grpc.netty.shaded.io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.grpc.netty.shaded.io.netty.handler.codec.http2.Http2Headers;
import io.grpc.netty.shaded.io.netty.handler.codec.http2.Http2HeadersFrame;
import io.grpc.netty.shaded.io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.grpc.netty.shaded.io.netty.handler.codec.http2.Http2ResetFrame;
import io.grpc.netty.shaded.io.netty.handler.codec.http2.Http2StreamChannel;
import io.grpc.netty.shaded.io.netty.handler.codec.http2.Http2StreamChannelBootstrap;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContext;
import io.grpc.netty.shaded.io.netty.util.ReferenceCountUtil;
import io.grpc.netty.shaded.io.netty.util.concurrent.Future;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * An attacker's gRPC client, written without grpc-java's call layer: raw HTTP/2 frames over TLS
 * (the Netty inside grpc-netty-shaded) that send one gRPC message of a declared size per call and
 * write its bytes only while HTTP/2 flow control lets them go. A grpc-java client would first copy
 * each whole message into its own buffers, so 100 × 30 MiB would exhaust the test JVM on the
 * client side; this one holds one shared 16 KiB chunk, as a real attacker would.
 *
 * <p>One instance is one connection; {@link #close} ends it.
 */
public final class RawGrpcFlood implements AutoCloseable {
  private static final int CHUNK = 16 * 1024;
  private static final ByteBuf FILLER = Unpooled.unreleasableBuffer(
      Unpooled.wrappedBuffer("a".repeat(CHUNK).getBytes(StandardCharsets.US_ASCII)));

  private final EventLoopGroup group;
  private final Channel connection;

  private RawGrpcFlood(EventLoopGroup group, Channel connection) {
    this.group = group;
    this.connection = connection;
  }

  /** A new TLS + HTTP/2 connection to {@code localhost:port}, trusting the test CA. */
  public static RawGrpcFlood connect(int port) throws InterruptedException {
    SslContext ssl;
    try {
      ssl = GrpcSslContexts.forClient().trustManager(TestTls.certs().caCert().toFile()).build();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    EventLoopGroup group = new NioEventLoopGroup(1);
    Channel ch = new Bootstrap().group(group).channel(NioSocketChannel.class)
        .handler(new ChannelInitializer<Channel>() {
          @Override
          protected void initChannel(Channel c) {
            c.pipeline().addLast(ssl.newHandler(c.alloc(), "localhost", port),
                Http2FrameCodecBuilder.forClient().build(),
                new Http2MultiplexHandler(new ChannelInboundHandlerAdapter()));
          }
        })
        .connect("localhost", port).sync().channel();
    return new RawGrpcFlood(group, ch);
  }

  /**
   * Starts {@code calls} concurrent calls of {@code fullMethod}, each announcing one message of
   * {@code messageBytes} (a protobuf whose field 1 is a string filling it). Each future completes
   * with the call's outcome: {@code grpc-status N} from the response, {@code reset} when the
   * server reset the stream, or {@code closed} when the connection ended first.
   */
  public List<CompletableFuture<String>> flood(String fullMethod, int calls, int messageBytes)
      throws InterruptedException {
    List<CompletableFuture<String>> outcomes = new ArrayList<>();
    for (int i = 0; i < calls; i++) {
      CompletableFuture<String> outcome = new CompletableFuture<>();
      Call call = new Call(messageBytes, outcome);
      outcomes.add(outcome);
      Future<Http2StreamChannel> opened = new Http2StreamChannelBootstrap(connection).handler(call).open().await();
      if (!opened.isSuccess()) {
        outcome.complete("closed"); // the server has closed the connection
        continue;
      }
      Http2StreamChannel stream = opened.getNow();
      Http2Headers headers = new DefaultHttp2Headers().method("POST").scheme("https").authority("localhost")
          .path("/" + fullMethod).set("content-type", "application/grpc").set("te", "trailers");
      stream.writeAndFlush(new DefaultHttp2HeadersFrame(headers, false));
      stream.eventLoop().execute(() -> call.pump(stream));
    }
    return outcomes;
  }

  @Override
  public void close() {
    connection.close().syncUninterruptibly();
    group.shutdownGracefully(0, 5, TimeUnit.SECONDS);
  }

  /** One call: writes its message while the stream is writable; records how it ended. */
  private static final class Call extends ChannelInboundHandlerAdapter {
    private final CompletableFuture<String> outcome;
    private final long total;
    private long sent;
    private boolean headSent;
    private final int messageBytes;

    Call(int messageBytes, CompletableFuture<String> outcome) {
      this.messageBytes = messageBytes;
      this.total = 5L + messageBytes;
      this.outcome = outcome;
    }

    /** Writes DATA frames until the flow-control window is used up (event loop only). */
    void pump(Channel stream) {
      if (!headSent) {
        byte[] head = head();
        stream.write(new DefaultHttp2DataFrame(Unpooled.wrappedBuffer(head), false));
        sent = head.length;
        headSent = true;
      }
      while (sent < total && stream.isWritable() && !outcome.isDone()) {
        int n = (int) Math.min(CHUNK, total - sent);
        sent += n;
        stream.write(new DefaultHttp2DataFrame(FILLER.retainedSlice(0, n), sent == total));
      }
      stream.flush();
    }

    private byte[] head() {
      int field = messageBytes - 5;
      return new byte[] {0, (byte) (messageBytes >>> 24), (byte) (messageBytes >>> 16),
          (byte) (messageBytes >>> 8), (byte) messageBytes, 0x0A,
          (byte) (0x80 | (field & 0x7F)), (byte) (0x80 | ((field >>> 7) & 0x7F)),
          (byte) (0x80 | ((field >>> 14) & 0x7F)), (byte) ((field >>> 21) & 0x7F)};
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
      if (ctx.channel().isWritable()) {
        pump(ctx.channel());
      }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      try {
        if (msg instanceof Http2HeadersFrame h && (h.isEndStream() || h.headers().contains("grpc-status"))) {
          outcome.complete("grpc-status " + h.headers().get("grpc-status"));
          ctx.close(); // resets the stream if the request is still being sent
        } else if (msg instanceof Http2ResetFrame r) {
          outcome.complete("reset " + r.errorCode());
        }
      } finally {
        ReferenceCountUtil.release(msg);
      }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      outcome.complete("closed");
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      outcome.complete("error " + cause);
      ctx.close();
    }
  }
}
