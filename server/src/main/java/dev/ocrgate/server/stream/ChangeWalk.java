package dev.ocrgate.server.stream;

import dev.ocrgate.server.config.StreamingSection;
import dev.ocrgate.server.vision.PixelRect;
import dev.ocrgate.server.vision.RgbImage;

/**
 * A SUBTITLE stream's read-or-reuse decisions without OCR: the server's own {@link TextChangeRule}
 * and {@link GapFrames}, walked frame by frame as {@link StreamFramesCall} routes them, with the
 * answers (did a read frame answer lines?) supplied by the caller. For benchmarks that replay a
 * video against its truth (bench {@code ChangeReplay}); the server does not use it. Since the
 * stream's decisions never depend on timing, answering each read at once gives the decisions a
 * stream would take with the same answers. Not thread-safe.
 */
public final class ChangeWalk {
  private final TextChangeRule rule;
  private final GapFrames gaps;
  private ChangeRule.Fingerprint lastRead;
  private long lastReadPts;
  private int lastReadIndex = -1;
  private boolean lastLight;
  /** The last read frame answered no lines. */
  private boolean lastEmpty;
  /** The frame that read itself in place of reusing that empty answer, or -1. */
  private int retryIndex = -1;
  private int index = -1;

  private ChangeWalk(TextChangeRule rule, GapFrames gaps) {
    this.rule = rule;
    this.gaps = gaps;
  }

  /** The walk of a stream with the default change threshold and {@code settings} (validated). */
  public static ChangeWalk of(StreamingSection settings) {
    return new ChangeWalk(TextChangeRule.of(settings.text_change_threshold),
        GapFrames.of(GapFrames.Policy.named(settings.gap_frames), settings.gap_reread_ms, settings.window));
  }

  /** Routes the next frame (area {@code roi}): the index (from 0) of the frame whose answer it gets. */
  public int next(RgbImage image, PixelRect roi, long ptsMs) {
    index++;
    ChangeRule.Fingerprint now = rule.fingerprint(image, roi);
    if (lastRead != null && rule.unchanged(lastRead, now, gaps.textlessAlike(index + 1, ptsMs, lastReadPts))) {
      if (lastLight && lastEmpty) { // an empty answer that showed light text is read twice
        if (retryIndex < 0) {
          retryIndex = index;
        }
        return retryIndex;
      }
      return lastReadIndex;
    }
    lastRead = now;
    lastReadPts = ptsMs;
    lastReadIndex = index;
    lastLight = now.showsText();
    lastEmpty = false;
    retryIndex = -1;
    return index;
  }

  /**
   * The answer of the frame just read by {@link #next} (its own index returned): whether it
   * answered lines. The stream learns nothing from a frame read in place of reusing an empty answer.
   */
  public void answered(boolean lines) {
    if (index == retryIndex) {
      return;
    }
    if (lastReadIndex != index) {
      throw new IllegalStateException("the last frame was not read");
    }
    lastEmpty = !lines;
    gaps.learn(index + 1, lines, lastLight);
  }
}
