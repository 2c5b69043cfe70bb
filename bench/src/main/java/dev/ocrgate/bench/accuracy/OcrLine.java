package dev.ocrgate.bench.accuracy;

/**
 * One line as a system read it: text and the axis-aligned bounds of its box in image pixels.
 */
public record OcrLine(String text, float minX, float minY, float maxX, float maxY) {
  float centerY() {
    return (minY + maxY) / 2;
  }

  float height() {
    return maxY - minY;
  }
}
