package dev.ocrgate.server.auth;

import dev.ocrgate.server.auth.RevocationStore.StoreUnavailableException;
import dev.ocrgate.server.auth.TokenRejectedException.Reason;
import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.ForwardingServerCallListener.SimpleForwardingServerCallListener;
import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor.MethodType;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import java.time.Clock;
import java.time.Duration;
import java.util.Iterator;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Authenticates every non-public call with a Bearer JWT and authorizes it by scope.
 *
 * <p>Per call: public method → continue (audited, no Principal). Otherwise exactly one
 * {@code authorization} value with scheme {@code Bearer} (case-insensitive) and a token of at most
 * {@code maxTokenBytes}; the verified {@link Principal} comes from the cache (SHA-256 of the token)
 * or the {@link JwtVerifier}; then, also on cache hits, the {@link RevocationStore} and the method's
 * scopes. Failures close the call before the handler runs: UNAUTHENTICATED with a fixed reason,
 * PERMISSION_DENIED naming the missing scope or "method not allowed" for a method without policy
 * (deny by default; decided after authentication so unauthenticated callers learn nothing about
 * the method table), UNAVAILABLE when the revocation store cannot answer (fail closed).
 *
 * <p>Streaming calls: with {@code closeStreamsOnExpiry}, a timer closes the call with
 * UNAUTHENTICATED "token expired" at {@code exp + skew} (the instant the verifier starts to refuse
 * the token) and cancels the handler's Context, which is how the handler learns of the close;
 * with a {@code streamRecheck} interval, the revocation store is asked again at that interval and
 * a revoked token closes the stream with "token revoked". Timers are cancelled when the call ends.
 * Unary calls get no timers: they are short, and the token was valid when they started.
 *
 * <p>Timers never wait: the {@code timers} thread only closes calls and hands re-checks to the
 * {@code checks} executor, where the store may block (a slow Redis) without delaying any expiry.
 * A stream has at most one re-check in flight (a tick that finds the last one unanswered is
 * skipped); a re-check the executor refuses (queue full) fails the stream closed with UNAVAILABLE.
 *
 * <p>Thread-safe and stateless per call; all collaborators are injected.
 */
public final class JwtAuthInterceptor implements ServerInterceptor {
  private static final Logger log = LoggerFactory.getLogger(JwtAuthInterceptor.class);
  /** The {@code authorization} metadata key. */
  public static final Metadata.Key<String> AUTHORIZATION =
      Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);
  private static final String BEARER = "bearer ";

  private final JwtVerifier verifier;
  private final VerifiedTokenCache cache;
  private final RevocationStore revocations;
  private final MethodPolicy policy;
  private final ScheduledExecutorService timers;
  private final Executor checks;
  private final Clock clock;
  private final boolean closeStreamsOnExpiry;
  private final int maxTokenBytes;
  private final Duration streamRecheck;
  private final AuditLog audit;

  private JwtAuthInterceptor(Builder b) {
    this.verifier = b.verifier;
    this.cache = b.cacheMaxEntries > 0
        ? VerifiedTokenCache.create(b.cacheMaxEntries, b.clock, b.verifier.settings().skew()) : null;
    this.revocations = b.revocations;
    this.policy = b.policy;
    this.timers = b.timers;
    this.checks = b.checks;
    this.clock = b.clock;
    this.closeStreamsOnExpiry = b.closeStreamsOnExpiry;
    this.maxTokenBytes = b.maxTokenBytes;
    this.streamRecheck = b.streamRecheck;
    this.audit = new AuditLog(b.audit, b.clock);
  }

  /**
   * A builder for an interceptor that verifies with {@code verifier}, asks {@code revocations}
   * about every token and authorizes by {@code policy}; {@code timers} runs stream-expiry timers
   * and re-check ticks (owned by the caller). See the class comment for the rules.
   */
  public static Builder builder(JwtVerifier verifier, RevocationStore revocations, MethodPolicy policy,
      ScheduledExecutorService timers) {
    return new Builder(verifier, revocations, policy, timers);
  }

  @Override
  public <ReqT, RespT> ServerCall.Listener<ReqT> interceptCall(
      ServerCall<ReqT, RespT> call, Metadata headers, ServerCallHandler<ReqT, RespT> next) {
    long start = System.nanoTime();
    String method = call.getMethodDescriptor().getFullMethodName();
    if (policy.isPublic(method)) {
      GuardedServerCall<ReqT, RespT> guarded = new GuardedServerCall<>(call, null, audit, start);
      return new EndWatcher<>(next.startCall(guarded, headers), guarded);
    }
    Principal principal;
    try {
      principal = authenticate(headers);
    } catch (TokenRejectedException e) {
      log.debug("rejected {} from {}: {} ({})", method, peer(call), e.reason().message(), e.detail());
      return refuse(call, Status.UNAUTHENTICATED.withDescription(e.reason().message()), start, null);
    } catch (StoreUnavailableException e) {
      log.warn("revocation store unavailable, refusing {} (fail closed): {}", method, e.getMessage());
      return refuse(call, Status.UNAVAILABLE.withDescription("revocation store unavailable"), start, null);
    }
    Set<String> required = policy.requiredScopes(method);
    if (required == null) {
      return refuse(call, Status.PERMISSION_DENIED.withDescription("method not allowed"), start, principal);
    }
    String missing = MethodPolicy.firstMissing(required, principal.scopes());
    if (missing != null) {
      return refuse(call, Status.PERMISSION_DENIED.withDescription("missing scope: " + missing), start, principal);
    }
    return proceed(call, headers, next, principal, start);
  }

  /**
   * The verified, unrevoked principal for {@code headers} (the authentication half of
   * {@link #interceptCall}, without method policy). Public for benchmarks and in-process tools.
   */
  public Principal authenticate(Metadata headers) throws TokenRejectedException, StoreUnavailableException {
    String token = bearerToken(headers);
    Principal p = cache == null ? verifier.verify(token) : cache.verify(token, verifier);
    if (revocations.isRevoked(p)) {
      throw new TokenRejectedException(Reason.REVOKED, "jti or subject revoked");
    }
    return p;
  }

  private String bearerToken(Metadata headers) throws TokenRejectedException {
    Iterable<String> values = headers.getAll(AUTHORIZATION);
    if (values == null) {
      throw new TokenRejectedException(Reason.MISSING, "no authorization header");
    }
    Iterator<String> it = values.iterator();
    String value = it.next();
    if (it.hasNext()) {
      throw new TokenRejectedException(Reason.MALFORMED, "more than one authorization value");
    }
    if (value.length() > maxTokenBytes + BEARER.length()) {
      throw new TokenRejectedException(Reason.TOO_LARGE, "authorization value of " + value.length() + " chars");
    }
    if (value.length() < BEARER.length()
        || !value.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
      throw new TokenRejectedException(
          Reason.MISSING, "scheme is not Bearer: " + scheme(value));
    }
    String token = value.substring(BEARER.length()).trim();
    if (token.isEmpty()) {
      throw new TokenRejectedException(Reason.MISSING, "empty bearer token");
    }
    return token;
  }

  private <ReqT, RespT> ServerCall.Listener<ReqT> proceed(ServerCall<ReqT, RespT> call,
      Metadata headers, ServerCallHandler<ReqT, RespT> next, Principal principal, long start) {
    GuardedServerCall<ReqT, RespT> guarded = new GuardedServerCall<>(call, principal, audit, start);
    boolean streaming = call.getMethodDescriptor().getType() != MethodType.UNARY;
    boolean recheck = streaming && !streamRecheck.isZero();
    if (!streaming || (!closeStreamsOnExpiry && !recheck)) {
      Context ctx = Context.current().withValue(Principal.KEY, principal);
      return new EndWatcher<>(Contexts.interceptCall(ctx, guarded, headers, next), guarded);
    }
    Context.CancellableContext cancellable = Context.current().withCancellation();
    Context ctx = cancellable.withValue(Principal.KEY, principal);
    ServerCall.Listener<ReqT> inner = Contexts.interceptCall(ctx, guarded, headers, next);
    if (closeStreamsOnExpiry) {
      Duration left = Duration.between(clock.instant(), principal.expiresAt().plus(verifier.settings().skew()));
      guarded.addTimer(timers.schedule(() -> end(guarded, cancellable, Reason.EXPIRED.message()),
          Math.max(0, left.toNanos()), TimeUnit.NANOSECONDS));
    }
    if (recheck) {
      long every = streamRecheck.toNanos();
      Recheck r = new Recheck(guarded, cancellable, principal);
      guarded.addTimer(timers.scheduleWithFixedDelay(r, every, every, TimeUnit.NANOSECONDS));
    }
    return new EndWatcher<>(inner, guarded) {
      @Override
      void ended() {
        cancellable.cancel(null);
      }
    };
  }

  /**
   * One stream's revocation re-checks. {@link #run} is the timer tick (never blocks: hands the
   * check to the checks executor, or skips while the previous one is unanswered); {@link #check}
   * runs there.
   */
  private final class Recheck implements Runnable {
    private final GuardedServerCall<?, ?> call;
    private final Context.CancellableContext ctx;
    private final Principal principal;
    private final AtomicBoolean inFlight = new AtomicBoolean();

    Recheck(GuardedServerCall<?, ?> call, Context.CancellableContext ctx, Principal principal) {
      this.call = call;
      this.ctx = ctx;
      this.principal = principal;
    }

    @Override
    public void run() {
      if (!inFlight.compareAndSet(false, true)) {
        return;
      }
      try {
        checks.execute(this::check);
      } catch (RejectedExecutionException e) {
        inFlight.set(false);
        unavailable(call, ctx, "re-check queue full");
      }
    }

    private void check() {
      try {
        recheck(call, ctx, principal);
      } finally {
        inFlight.set(false);
      }
    }
  }

  private void recheck(GuardedServerCall<?, ?> call, Context.CancellableContext ctx, Principal p) {
    try {
      if (revocations.isRevoked(p)) {
        end(call, ctx, Reason.REVOKED.message());
      }
    } catch (StoreUnavailableException e) {
      unavailable(call, ctx, e.getMessage());
    }
  }

  private static void unavailable(GuardedServerCall<?, ?> call, Context.CancellableContext ctx, String why) {
    log.warn("revocation store unavailable during a stream re-check, closing it (fail closed): {}", why);
    Status status = Status.UNAVAILABLE.withDescription("revocation store unavailable");
    call.closeWith(status);
    ctx.cancel(status.asRuntimeException());
  }

  private static void end(GuardedServerCall<?, ?> call, Context.CancellableContext ctx, String reason) {
    Status status = Status.UNAUTHENTICATED.withDescription(reason);
    call.closeWith(status);
    ctx.cancel(status.asRuntimeException());
  }

  private <ReqT, RespT> ServerCall.Listener<ReqT> refuse(ServerCall<ReqT, RespT> call, Status status, long start,
      Principal principal) {
    call.close(status, new Metadata());
    audit.record(call, principal, status, start);
    return new ServerCall.Listener<>() {};
  }

  private static Object peer(ServerCall<?, ?> call) {
    Object peer = call.getAttributes().get(Grpc.TRANSPORT_ATTR_REMOTE_ADDR);
    return peer == null ? "-" : peer;
  }

  private static String scheme(String value) {
    int sp = value.indexOf(' ');
    return LogSafe.of((sp < 0 ? "(none)" : value.substring(0, Math.min(sp, 16))).toLowerCase(Locale.ROOT));
  }

  /** Ends the audit record and timers when the call completes or the client cancels it. */
  private static class EndWatcher<ReqT> extends SimpleForwardingServerCallListener<ReqT> {
    private final GuardedServerCall<?, ?> call;

    EndWatcher(ServerCall.Listener<ReqT> delegate, GuardedServerCall<?, ?> call) {
      super(delegate);
      this.call = call;
    }

    void ended() {}

    @Override
    public void onComplete() {
      try {
        super.onComplete();
      } finally {
        call.finished(Status.OK);
        ended();
      }
    }

    @Override
    public void onCancel() {
      try {
        super.onCancel();
      } finally {
        call.finished(Status.CANCELLED);
        ended();
      }
    }
  }

  /** Collects the interceptor's settings; validates each as it is set. */
  public static final class Builder {
    private final JwtVerifier verifier;
    private final RevocationStore revocations;
    private final MethodPolicy policy;
    private final ScheduledExecutorService timers;
    private Executor checks;
    private Clock clock = Clock.systemUTC();
    private int cacheMaxEntries;
    private boolean closeStreamsOnExpiry = true;
    private int maxTokenBytes = 8 * 1024;
    private Duration streamRecheck = Duration.ZERO;
    private boolean audit;

    private Builder(JwtVerifier verifier, RevocationStore revocations, MethodPolicy policy,
        ScheduledExecutorService timers) {
      this.verifier = Objects.requireNonNull(verifier, "verifier");
      this.revocations = Objects.requireNonNull(revocations, "revocations");
      this.policy = Objects.requireNonNull(policy, "policy");
      this.timers = Objects.requireNonNull(timers, "timers");
    }

    /** The clock for expiry timers, the cache and audit lines. Default {@link Clock#systemUTC()}. */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** Verified tokens to remember (keyed by SHA-256 of the token); 0 = no cache. Default 0. */
    public Builder cacheMaxEntries(int entries) {
      if (entries < 0) {
        throw new IllegalArgumentException("cacheMaxEntries must be >= 0, was " + entries);
      }
      this.cacheMaxEntries = entries;
      return this;
    }

    /** Close a stream with UNAUTHENTICATED when its token expires. Default true. */
    public Builder closeStreamsOnExpiry(boolean close) {
      this.closeStreamsOnExpiry = close;
      return this;
    }

    /** Longest token accepted, in bytes (after "Bearer "). Default 8192. */
    public Builder maxTokenBytes(int bytes) {
      if (bytes <= 0) {
        throw new IllegalArgumentException("maxTokenBytes must be > 0, was " + bytes);
      }
      this.maxTokenBytes = bytes;
      return this;
    }

    /**
     * How often an open stream re-asks the revocation store about its token, so a revoked
     * credential cannot keep a long stream alive; the re-checks run on {@code checks} (owned by
     * the caller; bounded; never the timers' thread). Default: never ({@link Duration#ZERO}).
     */
    public Builder streamRecheck(Duration every, Executor checks) {
      Objects.requireNonNull(every, "streamRecheck");
      if (every.isNegative()) {
        throw new IllegalArgumentException("streamRecheck must be >= 0, was " + every);
      }
      this.streamRecheck = every;
      this.checks = Objects.requireNonNull(checks, "checks");
      return this;
    }

    /** One line per call on logger {@code ocrgate.audit}. Default false. */
    public Builder audit(boolean audit) {
      this.audit = audit;
      return this;
    }

    public JwtAuthInterceptor build() {
      if (checks == null) {
        // no re-checks (streamRecheck never set): nothing ever runs on the checks executor
        checks = Runnable::run;
      }
      return new JwtAuthInterceptor(this);
    }
  }
}
