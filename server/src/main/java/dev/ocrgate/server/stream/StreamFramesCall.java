package dev.ocrgate.server.stream;

import dev.ocrgate.api.v1.Cue;
import dev.ocrgate.api.v1.Frame;
import dev.ocrgate.api.v1.FrameResult;
import dev.ocrgate.api.v1.StreamFramesRequest;
import dev.ocrgate.api.v1.StreamFramesResponse;
import dev.ocrgate.api.v1.TextLine;
import dev.ocrgate.cues.SubtitleLines;
import dev.ocrgate.server.config.StreamingSection;
import dev.ocrgate.server.ocr.LineSelector;
import dev.ocrgate.server.ocr.OcrPipeline;
import dev.ocrgate.server.ocr.OcrRequest;
import dev.ocrgate.server.ocr.OcrResult;
import dev.ocrgate.server.ratelimit.Decision;
import dev.ocrgate.server.ratelimit.FrameGate;
import dev.ocrgate.server.ratelimit.RateLimitStatus;
import dev.ocrgate.server.vision.PixelRect;
import dev.ocrgate.server.vision.Quad;
import io.grpc.Context;
import io.grpc.Deadline;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.SynchronizationContext;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One StreamFrames call.
 *
 * <p>Flow control: automatic inbound flow control is off. The call requests the config, then one
 * frame at a time: it requests the next frame only while (a) frames accepted but not yet answered,
 * plus the one requested, stay within {@code window}, and (b) it holds a permit of the
 * server-wide {@link FrameBudget} for it. A client sending faster than either allows is held back
 * by HTTP/2 flow control, never refused. Answers are written only while the transport
 * {@code isReady()}; the on-ready handler resumes them. A client that stops reading therefore
 * stops the stream's reads too.
 *
 * <p>Frame permits: a permit is taken (asked for, at most one ask open) before {@code request(1)}
 * and belongs to the requested frame once it arrives. Invariant: the call holds exactly
 * {@code (awaitingFrame ? 1 : 0)} + the number of {@code pending} frames with {@code holdsPermit}
 * permits, and holds none once {@code closed}. A frame gives its permit back when its own read
 * completes (answered or failed), when it is routed to reuse another frame's read (a reused frame
 * queues no OCR; if that read fails, its fallback read runs without a permit, see below, as does the
 * second read of an empty answer, see {@link #reuse}), when it
 * fails before reading (bad seq, bad image, refused by the rate limiter, preparation rejected) and
 * at the latest when it is answered; the requested frame's permit comes back at half-close (no
 * frame can follow) or, like every other permit, when the call ends (answered, failed, drained,
 * cancelled, past its deadline, closed by an interceptor: {@link #withdrawWork}). An ask still
 * open at the end is withdrawn; a grant that arrives after the end is given back at once.
 *
 * <p>Order: frames are answered strictly in arrival order (= seq order; a non-increasing seq is a
 * bad frame), exactly once each. Each frame goes through three steps: <em>prepare</em> (decode,
 * area in pixels, {@link ChangeRule} fingerprint: {@link PreparedFrame}) on the preparation
 * executor, several frames at once; <em>route</em>, in seq order on the context as the oldest
 * unrouted frame's preparation completes: read it, or reuse the last read frame's OCR future when
 * the rule finds it unchanged (a frame whose area differs from the last read frame's is always
 * read: the rule compares areas first), or, in SUBTITLE mode when the rule finds it changed, check
 * it by reading the last read frame's lines again at their boxes once that frame's answer is
 * known ({@link #reread}: answered with that reading when the text is the same, read in full
 * otherwise; when that frame answered no lines, {@link #stillNoText} checks that neither frame
 * shows thick strokes instead; both within {@code reread_lines_ms} of pts after the last frame sent to detection); <em>answer</em>, in seq order as results complete.
 * A frame sent as some of its rows ({@code Frame.rows}) is the whole frame for every decision:
 * {@link PreparedFrame} resolves its area in the whole frame and intersects it with the rows sent,
 * and its lines come back in whole-frame pixels ({@link PreparedFrame#inFrame}).
 * In SUBTITLE mode without a region a {@link SubtitleBand} chooses each frame's span as it arrives
 * and filters its lines as it is answered (deterministically, see there); lines it can drop by
 * their geometry alone are dropped before recognition ({@link SubtitleBand#lineSelector}). In
 * SUBTITLE mode {@link GapFrames} learns from the answers whether frames between subtitles may be
 * reused (deterministically too).
 *
 * <p>Reuse never depends on timing: a frame reuses a read that may still fail, and if it fails,
 * each frame that reused it is read itself instead (and answered as read, without
 * {@code reused_from_seq}), so a failed read costs more reads, never wrong or missing text. The
 * failure is taken into account only from the frame {@code window} arrivals after the failed read
 * on: that frame cannot arrive before the failed read was answered (flow control), so whether it
 * reuses depends on the frames and the OCR outcomes, not on when they completed; it is read and
 * becomes the frame later ones reuse. In SUBTITLE mode an empty answer that showed light text is
 * read twice, the second time enlarged ({@link #reuse}).
 *
 * <p>Rate limits: every frame is charged to the caller's {@link FrameGate} (installed by the
 * rate-limit interceptor in the call's Context) before it is read. A refused frame is not read;
 * the call stops requesting frames, answers every frame it had accepted, then ends with
 * RESOURCE_EXHAUSTED carrying a {@code google.rpc.RetryInfo}. Frames already in flight after the
 * refused one are not read either: the client sees exactly which seqs were answered.
 *
 * <p>End: the call ends here (half-close answered, drain, rate limit, bad config) or elsewhere:
 * the client cancels or its deadline passes ({@code onCancel}), or an interceptor closes it, e.g.
 * at token expiry or revocation (the call's {@link Context} is cancelled at that moment; the
 * transport reports the close later, through {@code onCloseHandler}). Whichever comes first, the
 * call withdraws its queued OCR work, stops reading and leaves the service's live set; the
 * others find it closed. Invariant: once {@code closed}, nothing is read, written or queued.
 *
 * <p>Concurrency: every state change (inbound message, preparation or OCR completion, on-ready,
 * cancel, close, drain) runs in the call's {@link SynchronizationContext}, so the fields below need
 * no locks and responses are never written concurrently. The context only does short state changes
 * (grpc-java's rule): pixel work (decoding, which may also wait for the decode budget, and
 * fingerprints) runs on the {@code prepare} executor, OCR on the pipeline; their completions only
 * enqueue a route or a flush. A preparation task reads nothing of the call but its immutable
 * arguments and {@code withdrawn}.
 */
final class StreamFramesCall implements StreamObserver<StreamFramesRequest> {
  private static final Logger log = LoggerFactory.getLogger(StreamFramesCall.class);
  private static final CompletableFuture<PendingFrame.Lines> NO_LINES = CompletableFuture.completedFuture(null);

  private final ServerCallStreamObserver<StreamFramesResponse> out;
  private final OcrPipeline pipeline;
  private final FrameDecoder decoder;
  private final Executor prepare;
  private final StreamingSection settings;
  private final StreamListener listener;
  private final Deadline deadline;
  private final Consumer<StreamFramesCall> onClosed;
  private final SynchronizationContext sync;
  private final Context context;
  private final Context.CancellationListener contextEnded;
  private final FrameBudget budget;
  /** The call's one open ask of {@link #budget}; its grant is handled on the context. */
  private final Runnable onGrant;

  // Confined to sync.
  private final ArrayDeque<PendingFrame> pending = new ArrayDeque<>();
  /** The frames of {@code pending} being prepared, in seq order: routed oldest first. */
  private final ArrayDeque<PendingFrame> unrouted = new ArrayDeque<>();
  private StreamPlan plan;
  private CueBuilder cues;
  private SubtitleBand band; // null unless plan.autoRegion()
  private GapFrames gaps; // null unless SUBTITLE mode with a change rule
  private long lastSeq;
  /** Frames accepted so far; a frame's {@code arrival} is its number in this count. */
  private long arrivals;
  private boolean anyFrame;
  private PendingFrame lastRead;
  private ChangeRule.Fingerprint lastReadPrint;
  /** The pts of the last frame routed straight to detection (a reread's fallback read is not counted). */
  private long lastDetectedPts;
  private boolean halfClosed;
  /** An ask of {@link #budget} is open (not yet granted, or granted and not yet handled). */
  private boolean asking;
  /** A frame was requested from the transport with a permit and has not arrived yet. */
  private boolean awaitingFrame;
  private boolean draining;
  private boolean closed;
  /** Set when a frame was refused by the rate limiter: answer what was accepted, then end with it. */
  private StatusRuntimeException stopWith;
  private final FrameGate gate;
  /** Set (on the context) when the call withdraws its work; read by preparation and fallback reads. */
  private volatile boolean withdrawn;

  StreamFramesCall(
      ServerCallStreamObserver<StreamFramesResponse> out,
      OcrPipeline pipeline,
      FrameDecoder decoder,
      Executor prepare,
      StreamingSection settings,
      FrameBudget budget,
      StreamListener listener,
      Deadline deadline,
      Consumer<StreamFramesCall> onClosed) {
    this.out = out;
    this.pipeline = pipeline;
    this.decoder = decoder;
    this.prepare = prepare;
    this.settings = settings;
    this.budget = budget;
    this.listener = listener;
    this.deadline = deadline;
    this.onClosed = onClosed;
    this.gate = FrameGate.current(); // constructed inside the service method, in the call's Context
    this.sync = new SynchronizationContext((thread, e) -> {
      log.error("StreamFrames: unexpected failure", e);
      failNow(Status.INTERNAL.withDescription("internal error"));
    });
    this.context = Context.current();
    this.contextEnded = ctx -> sync.execute(this::endedElsewhere);
    this.onGrant = () -> sync.execute(this::granted);
  }

  /** Must run inside the service method (before it returns), in the call's Context. */
  void start(boolean alreadyDraining) {
    out.disableAutoRequest();
    out.setOnReadyHandler(() -> sync.execute(this::flush));
    out.setOnCancelHandler(() -> sync.execute(this::endedElsewhere));
    out.setOnCloseHandler(() -> sync.execute(this::endedElsewhere));
    context.addListener(contextEnded, Runnable::run);
    draining = alreadyDraining;
    out.request(1);
    if (alreadyDraining) {
      sync.execute(this::flush);
    }
  }

  @Override
  public void onNext(StreamFramesRequest request) {
    sync.execute(() -> accept(request));
  }

  @Override
  public void onError(Throwable t) {
    sync.execute(this::endedElsewhere);
  }

  @Override
  public void onCompleted() {
    sync.execute(() -> {
      halfClosed = true;
      if (awaitingFrame) { // no frame can follow the half-close
        awaitingFrame = false;
        budget.release(1);
      }
      withdrawAsk();
      flush();
    });
  }

  /** Stop reading; answer what was accepted; then end with UNAVAILABLE. */
  void drain() {
    sync.execute(() -> {
      draining = true;
      withdrawAsk();
      flush();
    });
  }

  private void accept(StreamFramesRequest request) {
    if (closed) {
      return;
    }
    if (plan == null) {
      configure(request);
    } else if (request.hasFrame()) {
      frame(request.getFrame());
    } else {
      failNow(Status.INVALID_ARGUMENT.withDescription("every message after the first must be a frame"));
    }
  }

  private void configure(StreamFramesRequest request) {
    if (!request.hasConfig()) {
      failNow(Status.INVALID_ARGUMENT.withDescription("the first message must be a config"));
      return;
    }
    try {
      plan = StreamPlan.of(request.getConfig(), settings);
    } catch (IllegalArgumentException e) {
      failNow(Status.INVALID_ARGUMENT.withDescription(e.getMessage()));
      return;
    }
    band = plan.autoRegion() ? SubtitleBand.start(settings.subtitle_region, settings.window) : null;
    cues = plan.emitCues() ? CueBuilder.of(plan, settings) : null;
    gaps = plan.changeRule() instanceof TextChangeRule
        ? GapFrames.of(GapFrames.Policy.named(settings.gap_frames), settings.gap_reread_ms, settings.window) : null;
    askForFrame();
    flush();
  }

  private void frame(Frame frame) {
    boolean permit = awaitingFrame;
    awaitingFrame = false;
    if (stopWith != null) {
      budget.release(permit ? 1 : 0);
      return; // refused by the rate limiter: nothing after the refused frame is read
    }
    Decision admitted = gate.admitFrame();
    if (!admitted.allowed()) {
      budget.release(permit ? 1 : 0);
      stopWith = RateLimitStatus.exhausted(admitted);
      withdrawAsk();
      flush();
      return;
    }
    PendingFrame p = new PendingFrame(frame.getSeq(), frame.getPtsMs(), System.nanoTime());
    p.holdsPermit = permit;
    p.arrival = ++arrivals;
    pending.addLast(p);
    listener.onPending(pending.size());
    if (anyFrame && Long.compareUnsigned(frame.getSeq(), lastSeq) <= 0) {
      p.fail(Status.INVALID_ARGUMENT.withDescription("seq must increase"));
      releasePermit(p);
    } else {
      anyFrame = true;
      lastSeq = frame.getSeq();
      startPreparing(frame, p);
    }
    askForFrame();
    flush();
  }

  private static LineSelector counted(LineSelector selector, StreamListener listener) {
    return (boxes, width, height) -> {
      List<Quad> read = selector.select(boxes, width, height);
      listener.onLinesSelected(boxes.size(), (int) read.stream().filter(Objects::nonNull).count());
      return read;
    };
  }

  /** The stream may take one more frame (window, end, refusal): true when it should ask for it. */
  private boolean wantsFrame() {
    return plan != null && !closed && !halfClosed && !draining && stopWith == null
        && !awaitingFrame && pending.size() < settings.window;
  }

  /** Opens an ask of the frame budget if the stream wants a frame and has none open. */
  private void askForFrame() {
    if (asking || !wantsFrame()) {
      return;
    }
    asking = true;
    if (budget.acquire(onGrant)) {
      granted();
    }
  }

  /** A permit for the ask: request the frame with it, or give it back if no longer wanted. */
  private void granted() {
    asking = false;
    if (!wantsFrame()) {
      budget.release(1);
      return;
    }
    awaitingFrame = true;
    out.request(1);
  }

  /** Withdraws the open ask; one already granted is handled (given back) by {@link #granted}. */
  private void withdrawAsk() {
    if (asking && budget.withdraw(onGrant)) {
      asking = false;
    }
  }

  private void releasePermit(PendingFrame p) {
    if (p.holdsPermit) {
      p.holdsPermit = false;
      budget.release(1);
    }
  }

  /** Chooses the frame's area now (arrival order) and hands the pixel work to the executor. */
  private void startPreparing(Frame frame, PendingFrame p) {
    PreparedFrame.AreaChoice choice;
    if (band != null) {
      p.span = band.nextSpan();
      choice = p.span::in;
      p.bandRead = true;
    } else {
      choice = plan.region()::resolve;
    }
    ChangeRule rule = plan.changeRule();
    long arrival = p.arrivalNanos;
    try {
      p.prepared = CompletableFuture.supplyAsync(() -> withdrawn ? null
          : PreparedFrame.of(frame, decoder, choice, rule, arrival), prepare);
    } catch (RejectedExecutionException e) {
      p.fail(Status.UNAVAILABLE.withDescription("server shutting down"));
      releasePermit(p);
      return;
    }
    unrouted.addLast(p);
    p.prepared.whenComplete((f, e) -> sync.execute(this::route));
  }

  /** Routes the prepared frames at the head of {@code unrouted}, in seq order. */
  private void route() {
    while (!closed && !unrouted.isEmpty() && unrouted.peekFirst().prepared.isDone()) {
      PendingFrame p = unrouted.pollFirst();
      PreparedFrame f;
      try {
        f = p.prepared.join();
      } catch (CompletionException | CancellationException e) {
        log.error("StreamFrames: preparing a frame failed", e.getCause() != null ? e.getCause() : e);
        f = PreparedFrame.failed(Status.INTERNAL.withDescription("internal error"), 0);
      }
      read(p, f);
    }
    flush();
  }

  private void read(PendingFrame p, PreparedFrame f) {
    p.decodeNanos = f.decodeNanos();
    if (f.error() != null) {
      p.fail(f.error());
      releasePermit(p);
      return;
    }
    p.area = f.area();
    double detectionScale = p.span == null ? 1 : band.detectionScale(p.span, f.area().frameHeight());
    OcrRequest request = new OcrRequest(f.image(), f.roi(), plan.mode(), plan.minConfidence(), false, deadline,
        detectionScale, p.bandRead ? f.inFrame(counted(band.lineSelector(p.span), listener)) : null);
    if (canReuse(f.print(), p)) {
      p.reusedFromSeq = lastRead.seq;
      p.ocr = reuse(lastRead, p, f, request);
      releasePermit(p); // it queues no OCR of its own
    } else {
      CompletableFuture<PendingFrame.Lines> before = lastRead == null ? NO_LINES : lastRead.lines;
      if (canReread(f, p)) {
        p.ocr = reread(lastRead, lastReadPrint, before, p, f, request);
      } else {
        p.ocr = f.inFrame(recognize(request));
        lastDetectedPts = p.ptsMs;
      }
      p.lines = latestLines(p, f, before);
      p.lightText = f.print() != null && f.print().showsText();
      lastRead = p;
      lastReadPrint = f.print();
    }
    p.ocr.whenComplete((r, e) -> sync.execute(() -> {
      releasePermit(p);
      flush();
    }));
  }

  /**
   * The rule on the two frames' pixels, unless the last read failed and {@code p} arrived a window
   * or more after it (then its failure is known whatever the timing; see the class comment).
   */
  private boolean canReuse(ChangeRule.Fingerprint print, PendingFrame p) {
    return print != null && lastRead != null
        && !(lastRead.readFailed && p.arrival - lastRead.arrival >= settings.window)
        && plan.changeRule().unchanged(lastReadPrint, print,
            gaps != null && gaps.textlessAlike(p.arrival, p.ptsMs, lastRead.ptsMs));
  }

  /** {@code p}, found changed by the pixel rule, may be checked by {@link #reread} first. */
  private boolean canReread(PreparedFrame f, PendingFrame p) {
    return gaps != null && pipeline.rereads() && lastRead != null && lastReadPrint != null && f.print() != null
        && f.area().equals(lastRead.area) && p.ptsMs >= lastDetectedPts
        && p.ptsMs - lastDetectedPts < settings.reread_lines_ms;
  }

  /**
   * {@code p}'s result when the last read frame's lines may still be what it shows: once {@code
   * last}'s result is known, if it had lines and no new text can hide outside their boxes ({@link
   * TextChangeRule#nothingNewOutside}), those lines are read again at their boxes in {@code p}'s
   * image; when every line reads the same text, that reread is {@code p}'s answer (its own reading
   * with its own confidences, not marked reused: it counts as a reading wherever readings are
   * counted, e.g. the cue votes; {@link PendingFrame#verified}). Otherwise, or if anything fails,
   * {@code p} is read itself (detection and recognition). Deterministic: it depends on the frames
   * and the OCR outcomes, not on timing. The pixel check runs on the preparation executor; the
   * reread and the own read are published in {@link PendingFrame#ownRead} so a withdrawal
   * cancels them. When {@code last} answered no lines, {@link #stillNoText} decides instead, with
   * {@code style} ({@code last}'s {@link PendingFrame#lines}).
   */
  private CompletableFuture<OcrResult> reread(PendingFrame last, ChangeRule.Fingerprint lastPrint,
      CompletableFuture<PendingFrame.Lines> style, PendingFrame p, PreparedFrame f, OcrRequest own) {
    return last.ocr.handleAsync((prev, e) -> e == null ? prev : null, prepare).exceptionallyCompose(e ->
        CompletableFuture.failedFuture(Status.UNAVAILABLE.withDescription("server shutting down").asException())
    ).thenCompose(prev -> {
      if (withdrawn) {
        return CompletableFuture.failedFuture(Status.CANCELLED.withDescription("cancelled").asException());
      }
      if (prev == null) {
        return readItself(p, f, own);
      }
      if (prev.lines().isEmpty()) {
        return stillNoText(last, lastPrint, style, p, f, own, prev);
      }
      List<Quad> boxes = new ArrayList<>(prev.lines().size());
      for (TextLine line : prev.lines()) {
        boxes.add(OcrResult.boxOf(line).translate(0, -f.top())); // from whole-frame pixels
      }
      if (!TextChangeRule.nothingNewOutside(lastPrint, f.print(), inArea(prev, f.area()), lettersAndDigits(prev))) {
        return readItself(p, f, own);
      }
      CompletableFuture<OcrResult> again = f.inFrame(rereadLines(own, boxes));
      p.ownRead = again;
      if (withdrawn) {
        again.cancel(false);
      }
      return again.handle((r, e) -> e == null && sameTexts(prev, r) ? r : null).thenCompose(same -> {
        if (same == null) {
          return readItself(p, f, own);
        }
        p.verified = true; // before the future completes: answer() sees it
        return CompletableFuture.completedFuture(same);
      });
    });
  }

  /**
   * {@code p}'s result when the last read frame {@code last} answered no lines ({@code empty}): if
   * the stream's latest answered lines ({@code lines}: {@code last}'s {@link PendingFrame#lines},
   * taken on the context) show its subtitles in thick strokes and neither {@code
   * last} nor {@code p} shows any ({@link TextChangeRule#stillNoText}), {@code p} still shows no text and
   * repeats {@code last}'s answer ({@code reused_from_seq}: the frame {@code last} repeats if it
   * was such a frame itself, so it always names a read frame); otherwise {@code p} is read itself.
   * No OCR runs for such a frame. Deterministic like {@link #reread}: it depends on the answers of
   * the frames read before {@code p}, not on when they completed.
   */
  private CompletableFuture<OcrResult> stillNoText(PendingFrame last, ChangeRule.Fingerprint lastPrint,
      CompletableFuture<PendingFrame.Lines> lines, PendingFrame p, PreparedFrame f, OcrRequest own, OcrResult empty) {
    return lines.handleAsync((style, e) -> style, prepare).exceptionallyCompose(e ->
        CompletableFuture.failedFuture(Status.UNAVAILABLE.withDescription("server shutting down").asException())
    ).thenCompose(style -> {
      if (!withdrawn && style != null
          && TextChangeRule.stillNoText(lastPrint, f.print(), style.print(), inArea(style.result(), style.area()),
              lettersAndDigits(style.result()))) {
        p.reusedFromSeq = last.readSeq(); // before the future completes: answer() sees it
        return CompletableFuture.completedFuture(empty);
      }
      return readItself(p, f, own);
    });
  }

  /**
   * {@code p}'s {@link PendingFrame#lines}: its own answer if it has lines, else what the read
   * frame before it had ({@code before}). A failed or cancelled read counts as no lines.
   */
  private static CompletableFuture<PendingFrame.Lines> latestLines(PendingFrame p, PreparedFrame f,
      CompletableFuture<PendingFrame.Lines> before) {
    return p.ocr.handle((r, e) -> e == null && !r.lines().isEmpty() ? new PendingFrame.Lines(r, f.print(), f.area())
        : null).thenCompose(mine -> mine != null ? CompletableFuture.completedFuture(mine) : before);
  }

  /** {@code result} has no line that may be subtitle text by its length ({@link SubtitleLines#tooShort}). */
  private static boolean noSubtitleText(OcrResult result) {
    return result.lines().stream().allMatch(line -> SubtitleLines.tooShort(line.getText()));
  }

  private static int lettersAndDigits(OcrResult result) {
    int n = 0;
    for (TextLine line : result.lines()) {
      n += (int) line.getText().codePoints().filter(Character::isLetterOrDigit).count();
    }
    return n;
  }

  /** The boxes of {@code result}'s lines (whole-frame pixels) in {@code area}'s pixels. */
  private static List<PixelRect> inArea(OcrResult result, ReadArea area) {
    List<PixelRect> out = new ArrayList<>(result.lines().size());
    PixelRect rect = area.rect();
    for (TextLine line : result.lines()) {
      Quad q = OcrResult.boxOf(line);
      int x = (int) Math.floor(q.minX()) - rect.x();
      int y = (int) Math.floor(q.minY()) - rect.y();
      out.add(new PixelRect(x, y, Math.max(1, (int) Math.ceil(q.maxX()) - rect.x() - x),
          Math.max(1, (int) Math.ceil(q.maxY()) - rect.y() - y)));
    }
    return out;
  }

  /**
   * {@code p} read itself, as the fallback of a reuse or a reread; published in {@code p}'s
   * volatile {@link PendingFrame#ownRead} before {@code withdrawn} is checked (as {@link
   * #withdrawWork} checks the slot after setting it, so one of the two cancels it).
   */
  private CompletableFuture<OcrResult> readItself(PendingFrame p, PreparedFrame f, OcrRequest own) {
    if (withdrawn) {
      return CompletableFuture.failedFuture(Status.CANCELLED.withDescription("cancelled").asException());
    }
    CompletableFuture<OcrResult> mine = f.inFrame(recognize(own));
    p.ownRead = mine;
    if (withdrawn) {
      mine.cancel(false);
    }
    return mine;
  }

  private static boolean sameTexts(OcrResult a, OcrResult b) {
    if (a.lines().size() != b.lines().size()) {
      return false;
    }
    for (int i = 0; i < a.lines().size(); i++) {
      if (!a.lines().get(i).getText().equals(b.lines().get(i).getText())) {
        return false;
      }
    }
    return true;
  }

  private CompletableFuture<OcrResult> rereadLines(OcrRequest request, List<Quad> boxes) {
    try {
      return pipeline.reread(request, boxes);
    } catch (RuntimeException e) {
      log.error("OcrPipeline.reread threw instead of failing its future", e);
      return CompletableFuture.failedFuture(Status.INTERNAL.withDescription("ocr failed").asException());
    }
  }

  /**
   * {@code from}'s result for {@code p}; if {@code from}'s read fails, {@code p} is read itself
   * ({@link #readItself}, started on the thread that failed {@code from}'s read).
   *
   * <p>An empty answer that showed light text is read twice. When {@code from} was read (not
   * repeated, see {@link #stillNoText}), showed light text and answered no line a cue could use
   * ({@link #noSubtitleText}), the first frame routed to reuse it ({@link PendingFrame#retriedBy},
   * chosen here on the context, in arrival order) is read itself, and the later frames that reuse
   * {@code from} take that frame's answer ({@code reused_from_seq}: that frame), or {@code from}'s
   * if that read failed. The detector misses a small subtitle in one crop and finds it in the next
   * frame's pixels (held-out short-test sub-07: `是一个原` not found in the first frame of a locked
   * band, found in the four after it), and without this the miss was repeated for every frame the
   * rule found unchanged, 1.1 s of that cue. The retrying frame's detector sees its area enlarged
   * ({@code streaming.empty_retry_scale}): PP-OCRv4 gives no box, or one round a single letter, for
   * a one- or two-letter word beside busy texture at its own size and finds it at 1.5-2x
   * (docs/architecture.md). Costs at most one read per read frame, only where a frame that shows
   * light text answers nothing a cue could use. Deterministic like the rest: which frame retries
   * depends on arrival order, whether it does on {@code from}'s answer. A retrying frame holds no
   * permit (as a failed read's fallback, see the class comment).
   */
  private CompletableFuture<OcrResult> reuse(PendingFrame from, PendingFrame p, PreparedFrame f, OcrRequest own) {
    if (gaps != null && from.lightText && from.retriedBy == null) {
      from.retriedBy = p;
    }
    PendingFrame retry = from.retriedBy;
    CompletableFuture<OcrResult> retried = retry == null || retry == p ? null : retry.ocr;
    return from.ocr.handle((r, e) -> e == null ? r : null).thenCompose(r -> {
      if (r == null) { // from's read failed: its failure, or p's own read
        return withdrawn ? from.ocr : readItself(p, f, own);
      }
      if (retry != null && noSubtitleText(r) && !from.reused()) {
        if (retry == p) {
          return readItself(p, f, own.withDetectionScale(settings.empty_retry_scale));
        }
        return retried.handle((mine, e) -> {
          p.reusedFromSeq = e == null ? retry.seq : from.readSeq();
          return e == null ? mine : r;
        });
      }
      p.reusedFromSeq = from.readSeq(); // from may itself repeat a read (see stillNoText)
      return CompletableFuture.completedFuture(r);
    });
  }

  private CompletableFuture<OcrResult> recognize(OcrRequest request) {
    try {
      return pipeline.recognize(request);
    } catch (RuntimeException e) {
      log.error("OcrPipeline.recognize threw instead of failing its future", e);
      return CompletableFuture.failedFuture(Status.INTERNAL.withDescription("ocr failed").asException());
    }
  }

  /** Writes every answer that is ready, in order, while the transport takes them. */
  private void flush() {
    while (!closed && !pending.isEmpty() && pending.peekFirst().isDone() && out.isReady()) {
      answer(pending.pollFirst());
    }
    if (!closed && pending.isEmpty() && (halfClosed || draining || stopWith != null)) {
      finish();
    }
  }

  private void answer(PendingFrame p) {
    releasePermit(p); // normally given back already; at the latest here
    FrameResult result = p.toResult(System.nanoTime());
    if (p.bandRead) {
      result = band.answer(result, p.area, p.span); // p.area is null only in failed answers, which it skips
    }
    out.onNext(StreamFramesResponse.newBuilder().setResult(result).build());
    listener.onPending(pending.size());
    Status.Code code = result.hasError()
        ? Status.fromCodeValue(result.getError().getCode()).getCode() : Status.Code.OK;
    listener.onFrameAnswered(p.reused() ? StreamListener.Answer.REUSED
        : p.verified ? StreamListener.Answer.VERIFIED : StreamListener.Answer.RECOGNIZED, code);
    if (p == lastRead && code != Status.Code.OK) {
      p.readFailed = true;
    }
    if (gaps != null && p.reusedFromSeq == null && !p.verified && code == Status.Code.OK) {
      gaps.learn(p.arrival, result.getLinesCount() > 0, p.lightText);
    }
    if (cues != null) {
      emit(cues.accept(result));
    }
    askForFrame();
  }

  private void finish() {
    if (cues != null) {
      emit(cues.finish());
    }
    close(); // first: the call has left the live set before its client can see the end
    if (stopWith != null) {
      out.onError(stopWith);
    } else if (halfClosed) {
      out.onCompleted();
    } else {
      out.onError(Status.UNAVAILABLE.withDescription("server shutting down").asRuntimeException());
    }
  }

  private void emit(Optional<Cue> cue) {
    cue.ifPresent(c -> {
      out.onNext(StreamFramesResponse.newBuilder().setCue(c).build());
      listener.onCue();
    });
  }

  /** Config error or internal failure: end the call at once, withdraw queued work. */
  private void failNow(Status status) {
    if (closed) {
      return;
    }
    withdrawWork();
    close(); // first, as in finish()
    out.onError(status.asRuntimeException());
  }

  /**
   * The call ended without this class ending it (client cancel, deadline, closed by an
   * interceptor): withdraw queued work, stop. Nothing can be written any more.
   */
  private void endedElsewhere() {
    if (!closed) {
      withdrawWork();
      close();
    }
  }

  private void withdrawWork() {
    withdrawn = true;
    returnPermits();
    for (PendingFrame p : pending) {
      p.withdraw();
    }
    pending.clear();
    unrouted.clear();
    lastRead = null;
    listener.onPending(0);
  }

  /** Withdraws the open ask and gives back every permit the call holds (see the class comment). */
  private void returnPermits() {
    withdrawAsk();
    int permits = awaitingFrame ? 1 : 0;
    awaitingFrame = false;
    for (PendingFrame p : pending) {
      permits += p.holdsPermit ? 1 : 0;
      p.holdsPermit = false;
    }
    budget.release(permits);
  }

  private void close() {
    returnPermits();
    closed = true;
    context.removeListener(contextEnded);
    onClosed.accept(this);
  }
}
