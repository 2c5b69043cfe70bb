package dev.ocrgate.server.stream;

import dev.ocrgate.api.v1.FrameResult;
import dev.ocrgate.api.v1.Timing;
import com.google.protobuf.Any;
import dev.ocrgate.server.ocr.OcrResult;
import io.grpc.Status;
import io.grpc.protobuf.StatusProto;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * A frame accepted from the client and not yet answered: failed (bad frame), being prepared, or
 * waiting for an OCR result, its own or the one it reuses. Confined to its stream's context, except
 * the volatile {@link #ownRead}, {@link #verified} and {@link #reusedFromSeq}, which the steps
 * chained on OCR results set from the pipeline's or the preparation threads, always before the
 * frame's {@code ocr} completes.
 */
final class PendingFrame {
  final long seq;
  final long ptsMs;
  final long arrivalNanos;
  /** Its number among the stream's accepted frames (1, 2, …). */
  long arrival;
  /** This frame was read and its fingerprint showed text ({@link ChangeRule.Fingerprint#showsText}). */
  boolean lightText;
  /**
   * For a read frame of a SUBTITLE stream that showed light text: the first frame routed to reuse
   * it, which reads itself instead should this frame answer no lines; the later frames that reuse
   * this one then take that frame's answer ({@code StreamFramesCall#reuse}). Set on routing.
   */
  PendingFrame retriedBy;
  /**
   * The frame holds one of its stream's {@link FrameBudget} permits: from its arrival until its
   * read completes, it is routed to reuse another read, it fails, or its stream ends.
   */
  boolean holdsPermit;
  /** This frame was read, not reused, and answered with an error. */
  boolean readFailed;
  long decodeNanos;
  /** The part of the frame read (or, reused, read by the frame it reuses); null if not decoded. */
  ReadArea area;
  /**
   * The frame whose read this one's answer repeats: set on routing to reuse, or, for a frame
   * routed to be read, before its {@code ocr} completes when a check found it still showing no
   * text. Always a frame that was read (detection or reread), never one that reused another.
   */
  volatile Long reusedFromSeq;
  Status error;
  /** Decode, area and fingerprint, done off the context; null for a frame failed on arrival. */
  CompletableFuture<PreparedFrame> prepared;
  /** The frame took a span from its stream's {@link SubtitleBand}, which must learn its answer. */
  boolean bandRead;
  /** That span (null when no band chose the area): its line height sets the detection scale. */
  SubtitleBand.Span span;
  CompletableFuture<OcrResult> ocr;
  /**
   * A reusing frame's own read, started when the read it reused failed; a rereading frame's
   * reread of the last read lines, then its own read if it needs one; null otherwise.
   */
  volatile CompletableFuture<OcrResult> ownRead;
  /**
   * Set (before its {@code ocr} completes) when the frame was answered by reading the last read
   * frame's lines again at their boxes, and they read the same.
   */
  volatile boolean verified;
  /**
   * For a frame routed to be read: completes, once its answer and those of the read frames before
   * it are known, with the latest of them that answered lines (this frame included), or null when
   * none did. Holds one fingerprint: the stream's subtitle style for {@code StreamFramesCall}'s
   * check of frames between subtitles.
   */
  CompletableFuture<Lines> lines;

  /** A read frame's answer with lines, its fingerprint and the area it was read in. */
  record Lines(OcrResult result, ChangeRule.Fingerprint print, ReadArea area) {}

  PendingFrame(long seq, long ptsMs, long arrivalNanos) {
    this.seq = seq;
    this.ptsMs = ptsMs;
    this.arrivalNanos = arrivalNanos;
  }

  void fail(Status status) {
    error = status;
  }

  /**
   * The stream ended before this frame was answered: cancel its OCR (which withdraws the work
   * still queued in the batchers). A frame reusing another's result cancels the shared future;
   * that is fine, every frame of the stream is being withdrawn.
   */
  void withdraw() {
    if (prepared != null) {
      prepared.cancel(false);
    }
    if (ocr != null) {
      ocr.cancel(false);
    }
    CompletableFuture<OcrResult> own = ownRead;
    if (own != null) {
      own.cancel(false);
    }
  }

  /**
   * The frame whose read this frame's answer is: its own seq, or, when it repeats another frame's
   * answer, that frame's. Only once its {@code ocr} completed.
   */
  long readSeq() {
    return reused() ? reusedFromSeq : seq;
  }

  /** Answered with another frame's result (a reusing frame that had to read itself is not). */
  boolean reused() {
    return reusedFromSeq != null && ownRead == null;
  }

  boolean isDone() {
    return error != null || (ocr != null && ocr.isDone());
  }

  /** The answer, once {@link #isDone()}; {@code now} closes total_us. */
  FrameResult toResult(long now) {
    FrameResult.Builder r = FrameResult.newBuilder().setSeq(seq).setPtsMs(ptsMs);
    Status status = error != null ? error : outcomeOf(ocr);
    Timing.Builder timing = Timing.newBuilder();
    if (status == null) {
      OcrResult result = ocr.join();
      r.addAllLines(result.lines());
      if (area != null) {
        r.setRegion(area.toProto());
      }
      if (reused()) {
        r.setReusedFromSeq(reusedFromSeq);
      } else {
        timing.mergeFrom(result.timing());
      }
    } else {
      r.setError(com.google.rpc.Status.newBuilder()
          .setCode(status.getCode().value())
          .setMessage(status.getDescription() == null ? status.getCode().name() : status.getDescription())
          .addAllDetails(error == null ? detailsOf(ocr) : List.of()));
    }
    timing.setDecodeUs(decodeNanos / 1000).setTotalUs(Math.max(0, now - arrivalNanos) / 1000);
    return r.setTiming(timing).build();
  }

  /** The status of a failed OCR future, or null if it succeeded. */
  static Status outcomeOf(CompletableFuture<OcrResult> f) {
    if (!f.isCompletedExceptionally()) {
      return null;
    }
    try {
      f.join();
      return null;
    } catch (CompletionException e) {
      return statusOf(e.getCause());
    } catch (CancellationException e) {
      return Status.CANCELLED.withDescription("cancelled");
    }
  }

  /** The details (e.g. {@code google.rpc.RetryInfo}) the pipeline attached to its failure, if any. */
  static List<Any> detailsOf(CompletableFuture<OcrResult> f) {
    try {
      f.join();
      return List.of();
    } catch (CompletionException e) {
      com.google.rpc.Status s = StatusProto.fromThrowable(e.getCause());
      return s == null ? List.of() : s.getDetailsList();
    } catch (CancellationException e) {
      return List.of();
    }
  }

  static Status statusOf(Throwable t) {
    Status s = Status.fromThrowable(t);
    // Status.fromThrowable finds no status in a plain exception and says UNKNOWN with the
    // exception's message: never show that to a client.
    return s.getCode() == Status.Code.UNKNOWN ? Status.INTERNAL.withDescription("ocr failed") : s;
  }
}
