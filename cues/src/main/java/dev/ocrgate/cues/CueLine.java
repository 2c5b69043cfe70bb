package dev.ocrgate.cues;

import dev.ocrgate.api.v1.Point;
import dev.ocrgate.api.v1.TextLine;

/**
 * One line of a frame as the cue rules see it: its text, the recogniser's confidence and the
 * axis-aligned bounds of its box in frame pixels ({@code left < right}, {@code top < bottom}), or
 * no box at all ({@link #hasBox()} false: every bound 0) when only the text is known.
 */
public record CueLine(String text, float confidence, float left, float top, float right, float bottom) {
  public CueLine {
    if (text == null) {
      throw new NullPointerException("text");
    }
  }

  /** A line known only by its text (no box, full confidence): the geometric rules skip it. */
  public static CueLine textOnly(String text) {
    return new CueLine(text, 1f, 0, 0, 0, 0);
  }

  /** The proto line, its quad reduced to its bounds. */
  public static CueLine of(TextLine line) {
    if (line.getBox().getPointsCount() == 0) {
      return new CueLine(line.getText(), line.getConfidence(), 0, 0, 0, 0);
    }
    float left = Float.MAX_VALUE, top = Float.MAX_VALUE, right = -Float.MAX_VALUE, bottom = -Float.MAX_VALUE;
    for (Point p : line.getBox().getPointsList()) {
      left = Math.min(left, p.getX());
      right = Math.max(right, p.getX());
      top = Math.min(top, p.getY());
      bottom = Math.max(bottom, p.getY());
    }
    return new CueLine(line.getText(), line.getConfidence(), left, top, right, bottom);
  }

  public boolean hasBox() {
    return right > left && bottom > top;
  }

  public float height() {
    return bottom - top;
  }

  public float width() {
    return right - left;
  }

  public float centerX() {
    return (left + right) / 2;
  }

  public float centerY() {
    return (top + bottom) / 2;
  }
}
