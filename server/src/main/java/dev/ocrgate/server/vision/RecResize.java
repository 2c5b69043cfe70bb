package dev.ocrgate.server.vision;

/**
 * Fits text-line crops to the recogniser's input: height fixed (48), width following the
 * crop's aspect ratio, rounded up to a bucket of the configured widths so that batches share
 * a few shapes (beyond the largest bucket: the next multiple of it) — or, with a {@code step},
 * rounded up only to the next multiple of the step, which is what a provider without per-shape
 * cost wants (on CPU a crop padded from 672 to its 960 bucket costs ~1.5x the inference).
 * Stateless.
 *
 * @param height the model's input height
 * @param buckets allowed widths, ascending
 * @param step when > 0, widths are rounded up to a multiple of it and {@code buckets} is unused
 */
public record RecResize(int height, int[] buckets, int step) {
  public RecResize {
    if (height <= 0 || buckets.length == 0) {
      throw new IllegalArgumentException("height and buckets are required");
    }
    if (step < 0) {
      throw new IllegalArgumentException("width step must be >= 0, got " + step);
    }
    for (int i = 0; i < buckets.length; i++) {
      if (buckets[i] <= 0 || (i > 0 && buckets[i] <= buckets[i - 1])) {
        throw new IllegalArgumentException("width buckets must be positive and ascending");
      }
    }
    buckets = buckets.clone();
  }

  /** Bucketed widths (no step). */
  public RecResize(int height, int[] buckets) {
    this(height, buckets, 0);
  }

  /** The same height and buckets, widths rounded to multiples of {@code step} (0 = buckets). */
  public RecResize withStep(int step) {
    return new RecResize(height, buckets, step);
  }

  /** Width of the crop once scaled to {@link #height} (at least 1). */
  public int scaledWidth(RgbImage crop) {
    return Math.max(1, (int) Math.ceil(height * (double) crop.width() / crop.height()));
  }

  /** The bucket width for a scaled width. */
  public int bucket(int scaledWidth) {
    if (step > 0) {
      return (scaledWidth + step - 1) / step * step;
    }
    for (int b : buckets) {
      if (scaledWidth <= b) {
        return b;
      }
    }
    int last = buckets[buckets.length - 1];
    return (scaledWidth + last - 1) / last * last;
  }

  /** {@code crop} scaled to {@link #height}, its width at most {@code maxWidth}. */
  public RgbImage resize(RgbImage crop, int maxWidth) {
    return Resize.bilinear(crop, Math.min(scaledWidth(crop), maxWidth), height);
  }
}
