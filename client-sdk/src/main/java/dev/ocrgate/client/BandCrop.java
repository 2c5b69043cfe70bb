package dev.ocrgate.client;

import com.google.protobuf.ByteString;
import dev.ocrgate.api.v1.Frame;
import dev.ocrgate.api.v1.FrameResult;
import dev.ocrgate.api.v1.FrameRows;
import dev.ocrgate.api.v1.Image;
import dev.ocrgate.api.v1.PixelRect;
import dev.ocrgate.api.v1.RawImage;

/**
 * Which rows of its frames a SUBTITLE stream without a region sends ({@code Frame.rows}): the
 * server finds the subtitle band itself and answers each frame with the part it read
 * ({@code FrameResult.region}); once it has, only the rows around that part need to travel.
 *
 * <p>Rule: a raw frame (RawImage) is sent as the rows [region top − region height, region bottom +
 * region height) of the last region answered (clamped to the frame), a full-width row range, which
 * is a contiguous part of its pixel buffer: the frame's {@link ByteString} is cut, not copied. The
 * whole frame is sent instead when no region is known yet, every {@code wholeEveryMs} of video
 * time (pts), when the frame size changes, after an answer without a region (a failed frame), and
 * when the last region answered touches an edge of the rows its frame was sent with where those
 * rows cut the frame: the server wanted to read more (its band grew beyond the rows, or it searches
 * again), and the whole frame's answer tells the client where it reads now. A band the server
 * grows stays within the rows sent (it grows by less than a band height), so these frames are read
 * as if whole; frames in flight when the server starts searching again are read only in the rows
 * sent.
 *
 * <p>Only to a server that reads rows: until the call's response headers said so ({@link
 * #serverReadsRows}, {@code ocrgate-frame-rows: 1}), every frame goes whole, since an older server
 * would read the rows as the whole frame.
 *
 * <p>Encoded images, and frames already carrying {@code rows}, are sent as they are.
 *
 * <p>Not thread-safe: its stream calls it under the stream's lock.
 */
final class BandCrop {
  /** How often (video time) a whole frame is sent anyway. */
  static final long WHOLE_EVERY_MS = 2000;

  private final long wholeEveryMs;
  private int frameWidth;
  private int frameHeight;
  private boolean serverReadsRows;
  private boolean wholeNext = true;
  private long lastWholePtsMs;
  /** Rows to send, [top, bottom), of a frameWidth×frameHeight frame; top == bottom: none known. */
  private int top;
  private int bottom;

  BandCrop(long wholeEveryMs) {
    this.wholeEveryMs = wholeEveryMs;
  }

  /** The stream starts again (a new call: the server searches anew): the next frame goes whole. */
  void restart() {
    serverReadsRows = false;
    wholeNext = true;
    top = bottom = 0;
  }

  /** The call's response headers arrived: {@code reads} when they say the server reads rows. */
  void serverReadsRows(boolean reads) {
    serverReadsRows = reads;
  }

  /** {@code frame} as it should be sent. */
  Frame prepare(Frame frame) {
    if (frame.hasRows() || !frame.getImage().hasRaw()) {
      return frame;
    }
    RawImage raw = frame.getImage().getRaw();
    int bpp = bytesPerPixel(raw);
    int w = raw.getWidth();
    int h = raw.getHeight();
    if (bpp == 0 || w <= 0 || h <= 0 || raw.getData().size() != (long) w * h * bpp) {
      return frame; // the server will say what is wrong with it
    }
    boolean whole = !serverReadsRows || wholeNext || w != frameWidth || h != frameHeight || top >= bottom
        || frame.getPtsMs() - lastWholePtsMs >= wholeEveryMs || (top == 0 && bottom == h);
    if (whole) {
      wholeNext = false;
      if (w != frameWidth || h != frameHeight) {
        frameWidth = w;
        frameHeight = h;
        top = bottom = 0;
      }
      lastWholePtsMs = frame.getPtsMs();
      return frame;
    }
    long rowBytes = (long) w * bpp;
    ByteString rows = raw.getData().substring((int) (top * rowBytes), (int) (bottom * rowBytes));
    return frame.toBuilder()
        .setImage(Image.newBuilder().setRaw(raw.toBuilder().setHeight(bottom - top).setData(rows)))
        .setRows(FrameRows.newBuilder().setTop(top).setFrameHeight(h))
        .build();
  }

  /** The server answered {@code sent} (as {@link #prepare} returned it) with {@code result}. */
  void answered(Frame sent, FrameResult result) {
    if (!sent.getImage().hasRaw()) {
      return;
    }
    RawImage raw = sent.getImage().getRaw();
    int sentTop = sent.hasRows() ? sent.getRows().getTop() : 0;
    int sentBottom = sentTop + raw.getHeight();
    int h = sent.hasRows() ? sent.getRows().getFrameHeight() : raw.getHeight();
    if (raw.getWidth() != frameWidth || h != frameHeight) {
      return; // a frame of another size
    }
    if (result.hasError() || !result.hasRegion()) {
      wholeNext = true;
      return;
    }
    PixelRect r = result.getRegion();
    long y0 = r.getY();
    long y1 = y0 + r.getHeight();
    if ((sentTop > 0 && y0 <= sentTop) || (sentBottom < h && y1 >= sentBottom)) {
      wholeNext = true;
      return;
    }
    top = (int) Math.max(0, y0 - r.getHeight());
    bottom = (int) Math.min(h, y1 + r.getHeight());
  }

  private static int bytesPerPixel(RawImage raw) {
    return switch (raw.getFormat()) {
      case PIXEL_FORMAT_RGB8, PIXEL_FORMAT_BGR8 -> 3;
      case PIXEL_FORMAT_GRAY8 -> 1;
      default -> 0;
    };
  }
}
