package dev.ocrgate.server.ocr;

import dev.ocrgate.server.engine.InputBuffers;
import dev.ocrgate.server.engine.ModelSession;
import dev.ocrgate.server.engine.Tensor;
import dev.ocrgate.server.vision.CharDictionary;
import dev.ocrgate.server.vision.CtcDecoder;
import dev.ocrgate.server.vision.InkColumns;
import dev.ocrgate.server.vision.Lexicon;
import dev.ocrgate.server.vision.RecResize;
import dev.ocrgate.server.vision.RgbImage;
import dev.ocrgate.server.vision.TensorFill;
import dev.ocrgate.server.vision.WordSpaces;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * Text recognition of upright line crops. Crops are ordered by width and cut into batches of at
 * most {@code maxBatch}; each batch is scaled to height 48, normalised as {@code (x/255 − 0.5) /
 * 0.5}, padded with 0 to the width bucket (or width step, see {@link RecResize}) of its widest crop, run in one inference and decoded
 * by greedy CTC; Latin word spaces are decided from the space class's
 * probability between characters and from the ink gaps of the crop ({@link WordSpaces},
 * {@code recognition.word_space_probability}, {@code recognition.word_gaps}; spaces heard more
 * faintly where the word list confirms them, {@code recognition.lexicon_space_probability}); Latin
 * words the word list does not know are respelled when the model nearly said a known word one
 * letter away ({@code recognition.lexicon_respell_ratio}, {@link dev.ocrgate.server.vision.LexiconRespelling}).
 * Results come back in the order of the input.
 *
 * <p>Thread-safe: the session is, the input buffer is per thread, everything else is immutable.
 */
public final class Recognizer {
  private static final float[] HALF = {0.5f, 0.5f, 0.5f};

  private final ModelSession session;
  private final RecResize resize;
  private final CtcDecoder decoder;
  private final WordSpaces wordSpaces;
  private final CharDictionary dictionary;
  private final boolean bgr;
  private final int maxBatch;

  /**
   * With {@code resize} deciding the padded widths (the model's buckets or a provider's width
   * step) and {@code lexicon} (or null) confirming heard spaces.
   */
  Recognizer(ModelSession session, ModelConfig.Recognition config, RecResize resize,
      CharDictionary dictionary, Lexicon lexicon, int maxBatch) {
    this.session = session;
    this.resize = resize;
    this.dictionary = dictionary;
    this.decoder = new CtcDecoder(dictionary, config.respelling(lexicon, dictionary));
    this.wordSpaces = config.wordSpaces(lexicon);
    this.bgr = "bgr".equals(config.channel_order);
    this.maxBatch = maxBatch;
  }

  /** Text of each crop, in input order, and the time spent inside ONNX Runtime. */
  public record Recognitions(List<CtcDecoder.Decoded> texts, long inferenceNanos) {}

  /** Recognises every crop (already upright). */
  public Recognitions recognize(List<RgbImage> crops) {
    int n = crops.size();
    Integer[] order = new Integer[n];
    int[] widths = new int[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
      widths[i] = resize.scaledWidth(crops.get(i));
    }
    Arrays.sort(order, (a, b) -> Integer.compare(widths[a], widths[b]));
    CtcDecoder.Decoded[] out = new CtcDecoder.Decoded[n];
    long inference = 0;
    for (int start = 0; start < n; start += maxBatch) {
      int end = Math.min(n, start + maxBatch);
      inference += runBatch(crops, order, widths, start, end, out);
    }
    List<CtcDecoder.Decoded> texts = new ArrayList<>(n);
    Collections.addAll(texts, out);
    return new Recognitions(texts, inference);
  }

  private long runBatch(List<RgbImage> crops, Integer[] order, int[] widths, int start, int end,
      CtcDecoder.Decoded[] out) {
    int n = end - start;
    int planeW = resize.bucket(widths[order[end - 1]]);
    int planeH = resize.height();
    FloatBuffer buf = InputBuffers.acquire(n * 3 * planeW * planeH);
    for (int k = 0; k < n; k++) {
      RgbImage line = resize.resize(crops.get(order[start + k]), planeW);
      TensorFill.write(buf, k, planeW, planeH, line, bgr, HALF, HALF, 0f);
    }
    long t0 = System.nanoTime();
    Tensor probs = session.run(buf, new long[] {n, 3, planeH, planeW});
    long inference = System.nanoTime() - t0;
    int steps = probs.dim(1);
    int classes = probs.dim(2);
    for (int k = 0; k < n; k++) {
      RgbImage crop = crops.get(order[start + k]);
      CtcDecoder.Emitted e = decoder.emitted(probs.data(), k, steps, classes, steps);
      double perStep = perStep(crop, planeW, steps, widths[order[start + k]]);
      float[] centre = e.centre();
      float firstX = centre.length == 0 ? Float.NaN : (float) ((centre[0] + 0.5) * perStep);
      float lastX = centre.length == 0 ? Float.NaN : (float) ((centre[centre.length - 1] + 0.5) * perStep);
      out[order[start + k]] = decoded(e, crop, perStep, firstX, lastX);
    }
    return inference;
  }

  /**
   * The line decoded, its word spaces decided ({@link WordSpaces}; heard spaces offered to the
   * word list except on print, a crop with a light background, and always in its
   * {@code frameText}); the ink gaps are measured
   * on the crop as it came, a CTC step covering {@code perStep} of its pixels ({@code planeW /
   * steps} input pixels of the crop scaled to {@code min(scaledWidth, planeW)}).
   */
  private CtcDecoder.Decoded decoded(CtcDecoder.Emitted e, RgbImage crop, double perStep, float firstX, float lastX) {
    WordSpaces.Spaced spaced = wordSpaces.spaced(e, wordSpaces.usesInk() ? InkColumns.of(crop) : null, perStep);
    String frame = spaced.withHeard();
    // the crop's background is looked at only for a line the heard spaces changed
    String text = !frame.equals(spaced.said()) && LineCrops.lightBackground(crop, BatchedOcrPipeline.PRINT_MIN_LUMA)
        ? spaced.said() : frame;
    return new CtcDecoder.Decoded(text, e.confidence(), firstX, lastX, frame);
  }

  /** Pixels of the crop as it came covered by one CTC step (see {@link #decoded}). */
  private static double perStep(RgbImage crop, int planeW, int steps, int scaledWidth) {
    return (double) planeW / steps * crop.width() / Math.min(scaledWidth, planeW);
  }

  /**
   * Runs one dummy line and checks that the model's classes match the dictionary.
   *
   * @throws IllegalStateException when they do not
   */
  void warmUp() {
    int w = resize.bucket(1);
    FloatBuffer buf = InputBuffers.acquire(3 * w * resize.height());
    TensorFill.write(buf, 0, w, resize.height(), RgbImage.wrap(1, 1, new byte[3]), bgr, HALF, HALF, 0f);
    Tensor probs = session.run(buf, new long[] {1, 3, resize.height(), w});
    if (probs.dim(2) != dictionary.classes()) {
      throw new IllegalStateException("recognition model has " + probs.dim(2)
          + " classes but the dictionary gives " + dictionary.classes()
          + " (blank + entries + space): wrong dictionary for this model");
    }
  }
}
