package dev.ocrgate.client;

import dev.ocrgate.api.StreamHeaders;
import dev.ocrgate.api.v1.Frame;
import dev.ocrgate.api.v1.FrameResult;
import dev.ocrgate.api.v1.OcrServiceGrpc;
import dev.ocrgate.api.v1.Region;
import dev.ocrgate.api.v1.StreamConfig;
import dev.ocrgate.api.v1.StreamFramesRequest;
import dev.ocrgate.api.v1.StreamFramesResponse;
import dev.ocrgate.api.v1.StreamMode;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.ArrayDeque;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@code StreamFrames} call that survives the end of its underlying gRPC call.
 *
 * <p>Algorithm: every frame sent is kept in {@code unanswered} until its result arrives. When an
 * attempt (one gRPC call) ends with UNAUTHENTICATED (the token expired: the token it used is
 * invalidated), UNAVAILABLE or a CANCELLED the client did not ask for (the server went away or
 * reset the stream), or OK with frames still unanswered, a new
 * attempt is opened after a backoff; it gets a fresh token from the credentials, and is sent the
 * config followed by every unanswered frame. Results whose seq is not above the last delivered
 * one are duplicates of an earlier attempt and are dropped, so the listener sees each result once
 * and in order. {@code StreamPolicy.maxResumes} failed attempts in a row without a result between
 * them end the stream with the last status; so does a second UNAUTHENTICATED without a result
 * since the first (a fresh token did not help: like a unary call, one retry per credential).
 *
 * <p>In SUBTITLE mode without a region (the server finds the band), raw frames are sent as only
 * the rows around the band once the server has answered where it reads ({@link BandCrop}), unless
 * {@link OcrClient.Builder#cropSubtitleFrames} turned that off.
 *
 * <p>Invariants, all guarded by {@code lock}: {@code unanswered.size() <= policy.window}; at most
 * one attempt is current and callbacks of any other attempt are ignored; every ClientCall method
 * is called with the lock held (ClientCall is not thread-safe); the listener is called without the
 * lock, from gRPC callback threads, one call at a time (attempts never overlap: a new one is only
 * opened after the previous one closed).
 */
final class ResumableFrameStream implements FrameStream {
  private static final Logger log = LoggerFactory.getLogger(ResumableFrameStream.class);

  private final Channel channel;
  private final CallOptions callOptions;
  private final CachingTokenSource tokens;
  private final StreamConfig config;
  private final FrameListener listener;
  private final ScheduledExecutorService scheduler;
  private final StreamPolicy policy;
  /** Which rows of each frame to send; null: every frame as given. Guarded by lock. */
  private final BandCrop crop;

  private final ReentrantLock lock = new ReentrantLock();
  private final Condition room = lock.newCondition();
  // All below guarded by lock.
  private final ArrayDeque<Unanswered> unanswered = new ArrayDeque<>();
  private Attempt current;
  private long lastSentSeq = -1;
  private long lastDeliveredSeq = -1;
  private int failuresWithoutProgress;
  private boolean authFailedWithoutProgress;
  private int attempts;
  private boolean halfClosed;
  private boolean cancelled;
  private boolean ended;
  private Status endStatus; // why it ended, when it failed

  ResumableFrameStream(
      Channel channel,
      CallOptions callOptions,
      CachingTokenSource tokens,
      StreamConfig config,
      FrameListener listener,
      ScheduledExecutorService scheduler,
      StreamPolicy policy,
      boolean cropToBand) {
    this.channel = channel;
    this.callOptions = callOptions;
    this.tokens = tokens;
    this.config = config;
    this.listener = listener;
    this.scheduler = scheduler;
    this.policy = policy;
    this.crop = cropToBand && findsBand(config) ? new BandCrop(BandCrop.WHOLE_EVERY_MS) : null;
  }

  /** The server finds the subtitle band itself: SUBTITLE mode, no region. */
  static boolean findsBand(StreamConfig config) {
    return config.getMode() == StreamMode.STREAM_MODE_SUBTITLE
        && (!config.hasRegion() || config.getRegion().getRectCase() == Region.RectCase.RECT_NOT_SET);
  }

  void start() {
    lock.lock();
    try {
      openAttempt();
    } finally {
      lock.unlock();
    }
  }

  /** Number of gRPC calls opened so far (1 + reconnections), for tests and diagnostics. */
  int attempts() {
    lock.lock();
    try {
      return attempts;
    } finally {
      lock.unlock();
    }
  }

  @Override
  public void send(Frame frame) throws InterruptedException {
    lock.lockInterruptibly();
    try {
      if (halfClosed || ended) {
        throw new IllegalStateException(ended ? endedMessage() : "complete() was called");
      }
      if (frame.getSeq() <= lastSentSeq || frame.getSeq() < 0) {
        throw new IllegalArgumentException(
            "frame seq " + frame.getSeq() + " must be greater than the previous " + lastSentSeq);
      }
      while (!ended && !hasRoom()) {
        room.await();
      }
      if (ended) {
        throw new IllegalStateException(endedMessage());
      }
      Frame sent = crop == null ? frame : crop.prepare(frame);
      unanswered.addLast(new Unanswered(frame, sent));
      lastSentSeq = sent.getSeq();
      if (current != null) {
        current.call.sendMessage(StreamFramesRequest.newBuilder().setFrame(sent).build());
      }
    } finally {
      lock.unlock();
    }
  }

  @Override
  public void complete() {
    lock.lock();
    try {
      if (halfClosed || ended) {
        return;
      }
      halfClosed = true;
      if (current != null) {
        current.call.halfClose();
      }
    } finally {
      lock.unlock();
    }
  }

  @Override
  public void cancel() {
    boolean notify = false;
    lock.lock();
    try {
      if (ended || cancelled) {
        return;
      }
      cancelled = true;
      if (current != null) {
        current.call.cancel("cancelled by the client", null);
      } else {
        ended = true;
        notify = true;
        room.signalAll();
      }
    } finally {
      lock.unlock();
    }
    if (notify) {
      listener.onError(cancelledError());
    }
  }

  // Lock held.
  private String endedMessage() {
    return endStatus == null
        ? "the stream has ended"
        : "the stream has ended: " + endStatus.getCode() + " " + endStatus.getDescription();
  }

  // Lock held. Room for one more frame: window not full and the transport takes more bytes
  // (while reconnecting, frames only queue in `unanswered`, which the window bounds).
  private boolean hasRoom() {
    return unanswered.size() < policy.window() && (current == null || current.call.isReady());
  }

  // Lock held.
  private void openAttempt() {
    AtomicReference<AccessToken> used = new AtomicReference<>();
    ClientCall<StreamFramesRequest, StreamFramesResponse> call =
        channel.newCall(
            OcrServiceGrpc.getStreamFramesMethod(),
            callOptions.withOption(BearerCallCredentials.USED_TOKEN, used));
    Attempt attempt = new Attempt(call, used);
    current = attempt;
    attempts++;
    if (crop != null && attempts > 1) {
      crop.restart();
    }
    call.start(attempt, new Metadata());
    call.request(1);
    call.sendMessage(StreamFramesRequest.newBuilder().setConfig(config).build());
    for (Unanswered u : unanswered) {
      u.sent = u.frame; // whole again: the new call's server has not said it reads rows
      call.sendMessage(StreamFramesRequest.newBuilder().setFrame(u.frame).build());
    }
    if (halfClosed) {
      call.halfClose();
    }
  }

  private void reopen() {
    lock.lock();
    try {
      if (!ended && current == null) {
        openAttempt();
      }
    } finally {
      lock.unlock();
    }
  }

  private void onResponse(Attempt attempt, StreamFramesResponse response) {
    boolean deliver = false;
    lock.lock();
    try {
      if (attempt != current) {
        return;
      }
      if (response.hasResult()) {
        long seq = response.getResult().getSeq();
        if (seq > lastDeliveredSeq) {
          while (!unanswered.isEmpty() && unanswered.peekFirst().frame.getSeq() <= seq) {
            Frame sent = unanswered.removeFirst().sent;
            if (crop != null && sent.getSeq() == seq) {
              crop.answered(sent, response.getResult());
            }
          }
          lastDeliveredSeq = seq;
          failuresWithoutProgress = 0;
          authFailedWithoutProgress = false;
          deliver = true;
          room.signalAll();
        }
      }
      attempt.call.request(1);
    } finally {
      lock.unlock();
    }
    if (deliver) {
      listener.onResult(response.getResult());
    } else if (response.hasCue()) {
      listener.onCue(response.getCue());
    }
  }

  private void onClose(Attempt attempt, Status status) {
    Status failure = null;
    boolean completed = false;
    lock.lock();
    try {
      if (attempt != current) {
        return;
      }
      current = null;
      room.signalAll();
      if (status.isOk() && halfClosed && unanswered.isEmpty()) {
        ended = completed = true;
      } else {
        Status reason =
            status.isOk()
                ? Status.UNAVAILABLE.withDescription("the server ended the stream before every result")
                : status;
        failure = scheduleResumeOrFail(attempt, reason);
      }
    } finally {
      lock.unlock();
    }
    if (completed) {
      listener.onCompleted();
    } else if (failure != null) {
      listener.onError(failure.asRuntimeException());
    }
  }

  // Lock held. Returns the status to fail with, or null when a new attempt is scheduled.
  private Status scheduleResumeOrFail(Attempt attempt, Status reason) {
    boolean auth = reason.getCode() == Status.Code.UNAUTHENTICATED;
    if (cancelled
        || !resumable(reason)
        || failuresWithoutProgress >= policy.maxResumes()
        || (auth && authFailedWithoutProgress)) {
      ended = true;
      endStatus = reason;
      return reason;
    }
    if (auth) {
      authFailedWithoutProgress = true;
    }
    if (auth && tokens != null) {
      AccessToken rejected = attempt.usedToken.get();
      if (rejected != null) {
        tokens.invalidate(rejected);
      }
    }
    failuresWithoutProgress++;
    long delay = policy.backoffNanos(failuresWithoutProgress);
    log.debug("frame stream attempt ended with {}; resuming {} unanswered frames in {} ms",
        reason.getCode(), unanswered.size(), TimeUnit.NANOSECONDS.toMillis(delay));
    try {
      scheduler.schedule(this::reopen, delay, TimeUnit.NANOSECONDS);
      return null;
    } catch (RejectedExecutionException e) {
      ended = true;
      return reason;
    }
  }

  // CANCELLED here was not our doing (`cancelled` is checked first): the server or a proxy reset
  // the stream, which is how a stopping grpc-java server ends the streams it still has.
  private static boolean resumable(Status status) {
    return status.getCode() == Status.Code.UNAVAILABLE
        || status.getCode() == Status.Code.CANCELLED
        || AuthRetry.retryable(status);
  }

  /** One gRPC call of the stream and the token it was sent with. */
  /**
   * A frame kept until answered: as given, and as last sent (its rows, or the frame itself). A
   * cut shares the frame's bytes, so keeping both costs nothing.
   */
  private static final class Unanswered {
    final Frame frame;
    Frame sent;

    Unanswered(Frame frame, Frame sent) {
      this.frame = frame;
      this.sent = sent;
    }
  }

  private final class Attempt extends ClientCall.Listener<StreamFramesResponse> {
    final ClientCall<StreamFramesRequest, StreamFramesResponse> call;
    final AtomicReference<AccessToken> usedToken;

    Attempt(ClientCall<StreamFramesRequest, StreamFramesResponse> call, AtomicReference<AccessToken> usedToken) {
      this.call = call;
      this.usedToken = usedToken;
    }

    @Override
    public void onHeaders(Metadata headers) {
      if (crop == null) {
        return;
      }
      lock.lock();
      try {
        if (this == current) {
          crop.serverReadsRows(StreamHeaders.READS_ROWS.equals(headers.get(StreamHeaders.FRAME_ROWS)));
        }
      } finally {
        lock.unlock();
      }
    }

    @Override
    public void onMessage(StreamFramesResponse message) {
      try {
        onResponse(this, message);
      } catch (RuntimeException e) {
        log.warn("frame listener threw; cancelling the stream", e);
        lock.lock();
        try {
          cancelled = true;
          call.cancel("the frame listener threw", e);
        } finally {
          lock.unlock();
        }
      }
    }

    @Override
    public void onReady() {
      lock.lock();
      try {
        room.signalAll();
      } finally {
        lock.unlock();
      }
    }

    @Override
    public void onClose(Status status, Metadata trailers) {
      ResumableFrameStream.this.onClose(this, status);
    }
  }

  static StatusRuntimeException cancelledError() {
    return Status.CANCELLED.withDescription("cancelled by the client").asRuntimeException();
  }
}
