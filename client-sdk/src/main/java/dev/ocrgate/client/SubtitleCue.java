package dev.ocrgate.client;

import dev.ocrgate.api.v1.Cue;
import java.util.Objects;

/**
 * One subtitle: text shown from {@code startMs} (inclusive) to {@code endMs}, in milliseconds
 * from the start of the video. Lines of the text are separated by {@code \n}.
 *
 * @throws IllegalArgumentException (constructor) if a time is negative, {@code endMs <= startMs},
 *     or the text is blank
 */
public record SubtitleCue(long startMs, long endMs, String text) {
  public SubtitleCue {
    Objects.requireNonNull(text, "text");
    if (startMs < 0 || endMs < 0) {
      throw new IllegalArgumentException("cue times must be >= 0 ms, were " + startMs + " and " + endMs);
    }
    if (endMs <= startMs) {
      throw new IllegalArgumentException("cue end " + endMs + " ms must be after its start " + startMs + " ms");
    }
    if (text.isBlank()) {
      throw new IllegalArgumentException("cue text must not be blank");
    }
  }

  /** The cue a server sent in a frame stream. */
  public static SubtitleCue of(Cue cue) {
    return new SubtitleCue(cue.getStartMs(), cue.getEndMs(), cue.getText());
  }
}
