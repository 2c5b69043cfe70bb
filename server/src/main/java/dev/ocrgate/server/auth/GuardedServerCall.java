package dev.ocrgate.server.auth;

import io.grpc.ForwardingServerCall.SimpleForwardingServerCall;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.Status;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The authenticated call as the handler sees it: writes the audit line when the call ends, and
 * can be closed by the token-expiry and revocation re-check timers (cancelled when it ends).
 *
 * <p>Concurrency: {@code ServerCall} is not thread-safe, and the expiry timer runs on a scheduler
 * thread while the handler may be sending. Every outbound operation therefore runs under
 * {@code this}; once the call is closed (by the handler or the timer) later sends and closes are
 * dropped. The audit line is written exactly once ({@link #audited}).
 *
 * <p>A close made here (expiry, revocation) is not a client cancel, and the handler's listener
 * callbacks are not ours to call from a timer thread: the handler learns of it from its Context,
 * which the interceptor cancels right after {@link #closeWith}, and later from the transport's
 * {@code onComplete}. Until then {@link #isReady()} is false and {@link #isCancelled()} true.
 */
final class GuardedServerCall<ReqT, RespT> extends SimpleForwardingServerCall<ReqT, RespT> {
  private final Principal principal;
  private final AuditLog audit;
  private final long startNanos;
  private final AtomicBoolean audited = new AtomicBoolean();
  // @GuardedBy("this")
  private boolean closed;
  // @GuardedBy("timers")
  private final List<Future<?>> timers = new ArrayList<>(2);
  // @GuardedBy("timers")
  private boolean ended;

  GuardedServerCall(ServerCall<ReqT, RespT> delegate, Principal principal, AuditLog audit, long startNanos) {
    super(delegate);
    this.principal = principal;
    this.audit = audit;
    this.startNanos = startNanos;
  }

  /** A timer to cancel when the call ends; cancelled at once if it has already ended. */
  void addTimer(Future<?> timer) {
    synchronized (timers) {
      if (!ended) {
        timers.add(timer);
        return;
      }
    }
    timer.cancel(false);
  }

  @Override
  public synchronized void sendHeaders(Metadata headers) {
    if (!closed) {
      super.sendHeaders(headers);
    }
  }

  @Override
  public synchronized void sendMessage(RespT message) {
    if (!closed) {
      super.sendMessage(message);
    }
  }

  @Override
  public synchronized boolean isReady() {
    return !closed && super.isReady();
  }

  @Override
  public synchronized boolean isCancelled() {
    return closed || super.isCancelled();
  }

  @Override
  public void close(Status status, Metadata trailers) {
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
      super.close(status, trailers);
    }
    finished(status);
  }

  /** The credential stopped being valid while the call was open (expired, revoked): close now. */
  void closeWith(Status status) {
    close(status, new Metadata());
  }

  /** The call ended (closed here, completed or cancelled by the client). */
  void finished(Status status) {
    List<Future<?>> toCancel;
    synchronized (timers) {
      ended = true;
      toCancel = List.copyOf(timers);
      timers.clear();
    }
    for (Future<?> t : toCancel) {
      t.cancel(false);
    }
    if (audited.compareAndSet(false, true)) {
      audit.record(this, principal, status, startNanos);
    }
  }
}
