package dev.ocrgate.server.stream;

import dev.ocrgate.api.v1.Frame;
import dev.ocrgate.api.v1.Point;
import dev.ocrgate.api.v1.TextLine;
import dev.ocrgate.server.ocr.LineSelector;
import dev.ocrgate.server.ocr.OcrResult;
import dev.ocrgate.server.vision.DecodeBudgetException;
import dev.ocrgate.server.vision.InvalidImageException;
import dev.ocrgate.server.vision.PixelRect;
import dev.ocrgate.server.vision.Quad;
import dev.ocrgate.server.vision.RgbImage;
import io.grpc.Status;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * A frame made ready to be routed (read or reused): decoded, its area resolved to pixels and
 * fingerprinted. This is the per-pixel work of a frame; {@link StreamFramesCall} runs it on its
 * preparation executor, never on the stream's context, and routes the results in seq order.
 * Immutable.
 *
 * <p>A frame sent as some of its rows ({@code Frame.rows}) is the whole frame for every decision:
 * its area is chosen in the whole frame's size, then intersected with the rows sent ({@link
 * ReadArea#within}); {@code image} holds those rows only, from frame row {@code top}.
 *
 * @param top the frame row of {@code image}'s first row (0 unless sent as rows)
 * @param area the part read, in whole-frame pixels, and the whole frame's size
 * @param error set instead of the rest when the frame cannot be read (client-safe message)
 * @param decodeNanos from the frame's arrival to its image being decoded (queueing included)
 */
record PreparedFrame(RgbImage image, int top, ReadArea area, ChangeRule.Fingerprint print,
    Status error, long decodeNanos) {

  /** Where to read a frame once its size is known; chosen when the frame arrives. Thread-safe. */
  @FunctionalInterface
  interface AreaChoice {
    /** The region of a {@code width}×{@code height} frame, or null if it lies outside. */
    PixelRect resolve(int width, int height);
  }

  /** The area in {@code image}'s own pixels. */
  PixelRect roi() {
    return inImage(area, top);
  }

  private static PixelRect inImage(ReadArea area, int top) {
    PixelRect r = area.rect();
    return new PixelRect(r.x(), r.y() - top, r.width(), r.height());
  }

  /**
   * Decodes {@code frame}'s image with {@code decoder}, resolves {@code choice} in the whole
   * frame and fingerprints the area with {@code rule} (null: no fingerprint). Thread-safe if its
   * arguments are; may block while the decoder waits for its memory budget.
   */
  static PreparedFrame of(Frame frame, FrameDecoder decoder, AreaChoice choice, ChangeRule rule,
      long arrivalNanos) {
    RgbImage decoded;
    try {
      decoded = decoder.decode(frame.getImage());
    } catch (InvalidImageException e) {
      // Budget full: not the frame's fault, the client may resend it later.
      Status code = e instanceof DecodeBudgetException ? Status.RESOURCE_EXHAUSTED : Status.INVALID_ARGUMENT;
      return failed(code.withDescription(e.getMessage()), System.nanoTime() - arrivalNanos);
    }
    long decodeNanos = System.nanoTime() - arrivalNanos;
    int width = decoded.width();
    int top = 0;
    int frameHeight = decoded.height();
    if (frame.hasRows()) {
      long t = Integer.toUnsignedLong(frame.getRows().getTop());
      long fh = Integer.toUnsignedLong(frame.getRows().getFrameHeight());
      if (t + decoded.height() > fh) {
        return failed(Status.INVALID_ARGUMENT.withDescription("rows: top + image height must be at most frame_height"),
            decodeNanos);
      }
      if (width > decoder.maxPixels() / fh) {
        return failed(Status.INVALID_ARGUMENT.withDescription(
            "rows: the frame has more than the limit of " + decoder.maxPixels() + " pixels"), decodeNanos);
      }
      top = (int) t; // < fh <= maxPixels / width < 2^31
      frameHeight = (int) fh;
    }
    PixelRect chosen = choice.resolve(width, frameHeight);
    if (chosen == null) {
      return failed(Status.INVALID_ARGUMENT.withDescription("region lies outside the frame"), decodeNanos);
    }
    ReadArea area = ReadArea.within(chosen, width, frameHeight, top, decoded.height());
    if (area == null) {
      return failed(Status.INVALID_ARGUMENT.withDescription("the part to read lies outside the rows sent"),
          decodeNanos);
    }
    ChangeRule.Fingerprint print = rule == null ? null : rule.fingerprint(decoded, inImage(area, top), area);
    return new PreparedFrame(decoded, top, area, print, null, decodeNanos);
  }

  /**
   * {@code selector} seeing the whole frame: boxes in whole-frame pixels, the frame's size (the
   * pipeline gives it boxes in {@code image}'s pixels and {@code image}'s size).
   */
  LineSelector inFrame(LineSelector selector) {
    if (selector == null || (top == 0 && area.frameHeight() == image.height())) {
      return selector;
    }
    int dy = top;
    int frameHeight = area.frameHeight();
    return (boxes, width, height) -> {
      List<Quad> moved = new ArrayList<>(boxes.size());
      boxes.forEach(b -> moved.add(b.translate(0, dy)));
      List<Quad> chosen = selector.select(moved, width, frameHeight);
      List<Quad> back = new ArrayList<>(chosen.size());
      for (int i = 0; i < chosen.size(); i++) {
        Quad q = chosen.get(i);
        back.add(q == null ? null : q == moved.get(i) ? boxes.get(i) : q.translate(0, -dy));
      }
      return back;
    };
  }

  /**
   * {@code read}'s result (lines in {@code image}'s pixels) in whole-frame pixels. Cancelling the
   * returned future cancels {@code read} (which withdraws its queued work).
   */
  CompletableFuture<OcrResult> inFrame(CompletableFuture<OcrResult> read) {
    if (top == 0) {
      return read;
    }
    int dy = top;
    CompletableFuture<OcrResult> moved = read.thenApply(r -> {
      List<TextLine> lines = new ArrayList<>(r.lines().size());
      for (TextLine line : r.lines()) {
        TextLine.Builder b = line.toBuilder();
        for (Point.Builder pt : b.getBoxBuilder().getPointsBuilderList()) {
          pt.setY(pt.getY() + dy);
        }
        lines.add(b.build());
      }
      return new OcrResult(lines, r.timing());
    });
    moved.whenComplete((r, e) -> {
      if (moved.isCancelled()) {
        read.cancel(false);
      }
    });
    return moved;
  }

  static PreparedFrame failed(Status error, long decodeNanos) {
    return new PreparedFrame(null, 0, null, null, error, decodeNanos);
  }
}
