package dev.ocrgate.client;

import dev.ocrgate.api.v1.AuthServiceGrpc;
import dev.ocrgate.api.v1.Image;
import dev.ocrgate.api.v1.OcrServiceGrpc;
import dev.ocrgate.api.v1.RecognizeRequest;
import dev.ocrgate.api.v1.RecognizeResponse;
import dev.ocrgate.api.v1.RevokeTokenRequest;
import dev.ocrgate.api.v1.RevokeTokenResponse;
import dev.ocrgate.api.v1.StreamConfig;
import io.grpc.CallOptions;
import io.grpc.ChannelCredentials;
import io.grpc.Deadline;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.TlsChannelCredentials;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The ocrgate client: one channel (TLS by default), one token cache, immutable once built.
 *
 * <pre>{@code
 * try (OcrClient client = OcrClient.builder()
 *     .target("ocr.example.com:8443")
 *     .tokenSource(TokenSources.clientCredentials("backend", secret, "ocr:recognize"))
 *     .build()) {
 *   RecognizeResponse r = client.recognize(Path.of("scan.png"));
 * }
 * }</pre>
 *
 * <p>Every call carries {@code authorization: Bearer <token>} from the token source; tokens are
 * cached and refreshed ahead of expiry on a token thread. A unary call answered UNAUTHENTICATED is
 * retried once with a fresh token; PERMISSION_DENIED is never retried. Frame streams resume by
 * themselves (see {@link #streamFrames}). Errors are {@code io.grpc.StatusRuntimeException}s with
 * the server's status.
 *
 * <p>Thread-safe. {@link #newBuilder()} starts a builder with this client's settings; the client
 * it builds has its own channel. Close every client you build.
 */
public final class OcrClient implements AutoCloseable {
  private final Builder settings;
  private final ManagedChannel channel;
  private final CachingTokenSource tokens; // null: no token is sent
  private final CallOptions callOptions;
  private final ExecutorService ownedTokenExecutor;
  private final ScheduledExecutorService scheduler;

  private OcrClient(Builder b) {
    this.settings = b.copy();
    this.channel = channel(b);
    this.scheduler = Executors.newSingleThreadScheduledExecutor(daemon("ocrgate-stream-retry"));
    this.ownedTokenExecutor = b.tokenExecutor == null ? Executors.newCachedThreadPool(daemon("ocrgate-token")) : null;
    Executor tokenExecutor = b.tokenExecutor != null ? b.tokenExecutor : ownedTokenExecutor;
    TokenSource source = b.tokenSource;
    if (source instanceof ClientCredentialsTokenSource cc) {
      source = cc.boundTo(channel, b.clock);
    }
    this.tokens = source == null ? null : new CachingTokenSource(source, tokenExecutor, b.clock);
    CallOptions options = CallOptions.DEFAULT;
    if (tokens != null) {
      options = options.withCallCredentials(new BearerCallCredentials(tokens, b.allowInsecureTokenTransport));
    }
    this.callOptions = options;
  }

  /** A builder with the defaults documented on each setter. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding this client's settings, to build a variant (with its own channel). */
  public Builder newBuilder() {
    return settings.copy();
  }

  /** Reads an encoded image (PNG, JPEG, BMP) from bytes. */
  public RecognizeResponse recognize(byte[] encodedImage) {
    Objects.requireNonNull(encodedImage, "encodedImage");
    return recognize(RecognizeRequest.newBuilder().setImage(Images.encoded(encodedImage)).build());
  }

  /** Reads an encoded image file. */
  public RecognizeResponse recognize(Path imageFile) throws IOException {
    return recognize(Files.readAllBytes(imageFile));
  }

  /** Reads an in-memory image, sent as raw pixels (no re-encoding). */
  public RecognizeResponse recognize(BufferedImage image) {
    Objects.requireNonNull(image, "image");
    return recognize(RecognizeRequest.newBuilder().setImage(Images.raw(image)).build());
  }

  /**
   * Sends {@code request} with the default deadline (shared by the first try and the one retry
   * with a fresh token after UNAUTHENTICATED).
   */
  public RecognizeResponse recognize(RecognizeRequest request) {
    Deadline deadline = Deadline.after(settings.deadline.toNanos(), TimeUnit.NANOSECONDS);
    OcrServiceGrpc.OcrServiceBlockingStub stub =
        OcrServiceGrpc.newBlockingStub(channel)
            .withCallCredentials(callOptions.getCredentials())
            .withDeadline(deadline)
            .withMaxInboundMessageSize(settings.maxInboundBytes);
    return AuthRetry.unary(
        tokens,
        used -> stub.withOption(BearerCallCredentials.USED_TOKEN, used).recognize(request));
  }

  /**
   * Revokes a token by {@code jti} or every token of a subject (AuthService/RevokeToken; the token
   * source's token needs scope {@code ocr:admin}, and {@code ocr:admin:all-tenants} for another
   * tenant than its own). Default deadline and one retry with a fresh token, as {@link #recognize}.
   */
  public RevokeTokenResponse revokeToken(RevokeTokenRequest request) {
    Objects.requireNonNull(request, "request");
    Deadline deadline = Deadline.after(settings.deadline.toNanos(), TimeUnit.NANOSECONDS);
    AuthServiceGrpc.AuthServiceBlockingStub stub =
        AuthServiceGrpc.newBlockingStub(channel)
            .withCallCredentials(callOptions.getCredentials())
            .withDeadline(deadline);
    return AuthRetry.unary(
        tokens,
        used -> stub.withOption(BearerCallCredentials.USED_TOKEN, used).revokeToken(request));
  }

  /**
   * The token the next call would carry (fetched now if none is cached, e.g. from the issuer with
   * client credentials), or empty when this client sends no token. For handing a token to another
   * tool; the value is a credential: never log it.
   *
   * @throws IOException when the token source cannot produce one (its message names no secret)
   */
  public Optional<AccessToken> currentToken() throws IOException {
    if (tokens == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(tokens.get().get(settings.deadline.toNanos(), TimeUnit.NANOSECONDS));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while fetching a token", e);
    } catch (TimeoutException e) {
      throw new IOException("no token within " + settings.deadline.toSeconds() + " s", e);
    } catch (ExecutionException e) {
      throw e.getCause() instanceof IOException io ? io : new IOException("cannot fetch a token", e.getCause());
    }
  }

  /**
   * Opens a resumable frame stream. When the server ends it with UNAUTHENTICATED (e.g. the token
   * expired) or UNAVAILABLE (the server went away), it reconnects with a fresh token and resends
   * the config and every frame still without a result; the listener still sees every result
   * exactly once, in order. It gives up after {@link Builder#streamRetries} failed reconnections
   * in a row and reports the last status. No deadline applies to streams.
   */
  public FrameStream streamFrames(StreamConfig config, FrameListener listener) {
    Objects.requireNonNull(config, "config");
    Objects.requireNonNull(listener, "listener");
    ResumableFrameStream stream =
        new ResumableFrameStream(
            channel,
            callOptions.withMaxInboundMessageSize(settings.maxInboundBytes),
            tokens,
            config,
            listener,
            scheduler,
            settings.streamPolicy,
            settings.cropSubtitleFrames);
    stream.start();
    return stream;
  }

  /** The blocking form of {@link #streamFrames}: send from one thread, iterate from another. */
  public BlockingFrameStream openFrameStream(StreamConfig config) {
    BlockingFrameStream blocking = new BlockingFrameStream(settings.streamPolicy.window());
    blocking.attach(streamFrames(config, blocking.listener()));
    return blocking;
  }

  /** Closes the channel (waiting up to 5 s for calls in flight) and the client's threads. */
  @Override
  public void close() {
    channel.shutdown();
    try {
      if (!channel.awaitTermination(5, TimeUnit.SECONDS)) {
        channel.shutdownNow();
      }
    } catch (InterruptedException e) {
      channel.shutdownNow();
      Thread.currentThread().interrupt();
    } finally {
      scheduler.shutdownNow();
      if (ownedTokenExecutor != null) {
        ownedTokenExecutor.shutdownNow();
      }
    }
  }

  private static ManagedChannel channel(Builder b) {
    if (StaticTarget.isStatic(b.target)) {
      StaticNameResolverProvider.ensureRegistered();
    }
    NettyChannelBuilder nb =
        NettyChannelBuilder.forTarget(b.target, credentials(b))
            .maxInboundMessageSize(b.maxInboundBytes)
            .keepAliveTime(b.keepAliveTime.toNanos(), TimeUnit.NANOSECONDS)
            .keepAliveTimeout(b.keepAliveTimeout.toNanos(), TimeUnit.NANOSECONDS);
    if (b.target.startsWith("dns:") || StaticTarget.isStatic(b.target)) {
      nb.defaultLoadBalancingPolicy("round_robin");
    }
    return nb.build();
  }

  private static ChannelCredentials credentials(Builder b) {
    if (b.plaintext) {
      return InsecureChannelCredentials.create();
    }
    try {
      TlsChannelCredentials.Builder tls = TlsChannelCredentials.newBuilder();
      if (b.trustedCa != null) {
        tls.trustManager(b.trustedCa.toFile());
      }
      if (b.clientCert != null) {
        tls.keyManager(b.clientCert.toFile(), b.clientKey.toFile());
      }
      return tls.build();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read TLS material: " + e.getMessage(), e);
    }
  }

  private static ThreadFactory daemon(String prefix) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }

  /**
   * Settings of an {@link OcrClient}. Each setter validates at once and throws
   * {@link IllegalArgumentException} (bad value) or {@link IllegalStateException} (conflicts with
   * something already set). Not thread-safe.
   */
  public static final class Builder {
    private String target;
    private boolean plaintext;
    private Path trustedCa;
    private Path clientCert;
    private Path clientKey;
    private Duration deadline = Duration.ofSeconds(30);
    private int maxInboundBytes = 16 * 1024 * 1024;
    private Duration keepAliveTime = Duration.ofMinutes(1);
    private Duration keepAliveTimeout = Duration.ofSeconds(20);
    private TokenSource tokenSource;
    private boolean allowInsecureTokenTransport;
    private Executor tokenExecutor;
    private Clock clock = Clock.systemUTC();
    private StreamPolicy streamPolicy = StreamPolicy.DEFAULT;
    private boolean cropSubtitleFrames = true;

    private Builder() {}

    /**
     * Where the server is. Required. One of:
     *
     * <ul>
     *   <li>{@code host:port}: one server;
     *   <li>{@code dns:///name:port}: every address the name resolves to (e.g. a Kubernetes
     *       headless Service), calls spread round-robin, re-resolved when a connection fails;
     *   <li>{@code static:///host1:port1,host2:port2}: these replicas, calls spread round-robin;
     *       each replica's TLS certificate is verified against its own host. With
     *       {@code static://tls-name/...} every replica is verified against {@code tls-name}.
     * </ul>
     *
     * <p>A frame stream lives on one replica; when that replica goes away it resumes on another
     * (see {@link OcrClient#streamFrames}).
     */
    public Builder target(String target) {
      if (target == null || target.isBlank() || target.chars().anyMatch(Character::isWhitespace)) {
        throw new IllegalArgumentException(
            "target must be host:port, dns:///name:port or static:///host:port,host:port..., was '" + target + "'");
      }
      if (StaticTarget.isStatic(target)) {
        StaticTarget.parse(target);
      }
      this.target = target;
      return this;
    }

    /** Trust the CA certificates of this PEM file instead of the system's. Default: system CAs. */
    public Builder trustedCertificates(Path caPem) {
      requireTls("trustedCertificates");
      this.trustedCa = readable(caPem, "CA file");
      return this;
    }

    /** Present this client certificate chain and PKCS#8 key (mTLS). Default: none. */
    public Builder clientCertificate(Path certChainPem, Path privateKeyPem) {
      requireTls("clientCertificate");
      this.clientCert = readable(certChainPem, "client certificate");
      this.clientKey = readable(privateKeyPem, "client key");
      return this;
    }

    /**
     * No TLS (only for a TLS-terminating proxy on the same host). Tokens are then not sent unless
     * {@link #allowInsecureTokenTransport()} is also set. Default: TLS.
     */
    public Builder usePlaintext() {
      if (trustedCa != null || clientCert != null) {
        throw new IllegalStateException("usePlaintext() conflicts with TLS settings already set");
      }
      this.plaintext = true;
      return this;
    }

    /** Deadline of each unary call, including its one auth retry; > 0. Default 30 s. */
    public Builder defaultDeadline(Duration deadline) {
      this.deadline = positive(deadline, "defaultDeadline");
      return this;
    }

    /** Largest response message accepted, bytes, > 0. Default 16 MiB. */
    public Builder maxInboundMessageSize(int bytes) {
      if (bytes <= 0) {
        throw new IllegalArgumentException("maxInboundMessageSize must be > 0 bytes, was " + bytes);
      }
      this.maxInboundBytes = bytes;
      return this;
    }

    /**
     * HTTP/2 keepalive: ping after {@code time} without reads, close when no answer within
     * {@code timeout}. {@code time} must be at least 20 s (the server refuses faster pings).
     * Defaults 1 min and 20 s.
     */
    public Builder keepAlive(Duration time, Duration timeout) {
      positive(time, "keepAlive time");
      if (time.compareTo(Duration.ofSeconds(20)) < 0) {
        throw new IllegalArgumentException("keepAlive time must be >= 20 s (server limit), was " + time);
      }
      this.keepAliveTime = time;
      this.keepAliveTimeout = positive(timeout, "keepAlive timeout");
      return this;
    }

    /** Where tokens come from ({@link TokenSources}). Default: none (no token is sent). */
    public Builder tokenSource(TokenSource source) {
      this.tokenSource = Objects.requireNonNull(source, "tokenSource");
      return this;
    }

    /**
     * Send tokens over plaintext connections too. They can then be read and replayed by anyone on
     * the network path. Default: refused (the call fails UNAUTHENTICATED before sending).
     */
    public Builder allowInsecureTokenTransport() {
      this.allowInsecureTokenTransport = true;
      return this;
    }

    /** Where token fetches run. Default: the client's own daemon threads. The caller owns it. */
    public Builder tokenExecutor(Executor executor) {
      this.tokenExecutor = Objects.requireNonNull(executor, "tokenExecutor");
      return this;
    }

    /**
     * Frames a stream may have sent without a result yet, in [1, 1024]; {@code send} blocks while
     * the window is full. Default 16.
     */
    public Builder streamWindow(int frames) {
      if (frames < 1 || frames > 1024) {
        throw new IllegalArgumentException("streamWindow must be in [1, 1024] frames, was " + frames);
      }
      streamPolicy = new StreamPolicy(frames, streamPolicy.maxResumes(), streamPolicy.initialBackoff(), streamPolicy.maxBackoff());
      return this;
    }

    /**
     * Reconnections of a frame stream: at most {@code maxInRow} in a row without a result between
     * them (in [0, 100]), waiting {@code initialBackoff} doubled each time up to
     * {@code maxBackoff}. Defaults 8, 100 ms, 5 s.
     */
    public Builder streamRetries(int maxInRow, Duration initialBackoff, Duration maxBackoff) {
      if (maxInRow < 0 || maxInRow > 100) {
        throw new IllegalArgumentException("streamRetries must be in [0, 100], was " + maxInRow);
      }
      positive(initialBackoff, "initialBackoff");
      if (positive(maxBackoff, "maxBackoff").compareTo(initialBackoff) < 0) {
        throw new IllegalArgumentException("maxBackoff " + maxBackoff + " < initialBackoff " + initialBackoff);
      }
      streamPolicy = new StreamPolicy(streamPolicy.window(), maxInRow, initialBackoff, maxBackoff);
      return this;
    }

    /**
     * In a SUBTITLE stream without a region, send raw frames as the rows around the subtitle band
     * the server answered with ({@code Frame.rows}), and the whole frame every 2 s of video time and
     * whenever the server wanted to read beyond the rows sent. The server reads the same part of
     * each frame either way, except in the frames in flight when it starts searching for the band
     * again. Only on a call whose server said it reads {@code Frame.rows} (response header
     * {@code ocrgate-frame-rows: 1}); an older server gets every frame whole. Default true.
     */
    public Builder cropSubtitleFrames(boolean crop) {
      this.cropSubtitleFrames = crop;
      return this;
    }

    /** The clock of token lifetimes (tests). Default: system UTC. */
    Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** @throws IllegalStateException if no target was set */
    public OcrClient build() {
      if (target == null) {
        throw new IllegalStateException("target is required");
      }
      return new OcrClient(this);
    }

    private Builder copy() {
      Builder c = new Builder();
      c.target = target;
      c.plaintext = plaintext;
      c.trustedCa = trustedCa;
      c.clientCert = clientCert;
      c.clientKey = clientKey;
      c.deadline = deadline;
      c.maxInboundBytes = maxInboundBytes;
      c.keepAliveTime = keepAliveTime;
      c.keepAliveTimeout = keepAliveTimeout;
      c.tokenSource = tokenSource;
      c.allowInsecureTokenTransport = allowInsecureTokenTransport;
      c.tokenExecutor = tokenExecutor;
      c.clock = clock;
      c.streamPolicy = streamPolicy;
      c.cropSubtitleFrames = cropSubtitleFrames;
      return c;
    }

    private void requireTls(String setting) {
      if (plaintext) {
        throw new IllegalStateException(setting + " conflicts with usePlaintext() already set");
      }
    }

    private static Path readable(Path p, String what) {
      Objects.requireNonNull(p, what);
      if (!Files.isReadable(p)) {
        throw new IllegalArgumentException(what + " " + p + " is not readable");
      }
      return p;
    }

    private static Duration positive(Duration d, String name) {
      if (d == null || d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException(name + " must be > 0, was " + d);
      }
      return d;
    }
  }
}
