package dev.ocrgate.server.ocr;

import dev.ocrgate.server.engine.InputBuffers;
import dev.ocrgate.server.engine.ModelSession;
import dev.ocrgate.server.engine.Tensor;
import dev.ocrgate.server.vision.RecResize;
import dev.ocrgate.server.vision.RgbImage;
import dev.ocrgate.server.vision.TensorFill;
import java.nio.FloatBuffer;
import java.util.List;

/**
 * The text-direction classifier (0° / 180°): each line crop is scaled to height 48, at most 192
 * wide, padded to 192, and classified in one batch; a line is upside down when the "180" class
 * wins with at least the configured probability.
 *
 * <p>Thread-safe: the session is, the input buffer is per thread.
 */
public final class DirectionClassifier {
  private static final float[] HALF = {0.5f, 0.5f, 0.5f};

  private final ModelSession session;
  private final RecResize resize;
  private final int width;
  private final boolean bgr;
  private final int rotatedLabel;
  private final float threshold;

  DirectionClassifier(ModelSession session, ModelConfig.Classifier config) {
    this.session = session;
    this.width = config.width;
    this.resize = new RecResize(config.height, new int[] {config.width});
    this.bgr = "bgr".equals(config.channel_order);
    this.rotatedLabel = config.labels.indexOf("180");
    this.threshold = config.threshold;
  }

  /** For each crop, whether it is upside down. */
  public boolean[] upsideDown(List<RgbImage> crops) {
    int n = crops.size();
    boolean[] out = new boolean[n];
    if (n == 0) {
      return out;
    }
    int h = resize.height();
    FloatBuffer buf = InputBuffers.acquire(n * 3 * width * h);
    for (int i = 0; i < n; i++) {
      TensorFill.write(buf, i, width, h, resize.resize(crops.get(i), width), bgr, HALF, HALF, 0f);
    }
    Tensor probs = session.run(buf, new long[] {n, 3, h, width});
    int classes = probs.dim(1);
    for (int i = 0; i < n; i++) {
      float p = probs.data()[i * classes + rotatedLabel];
      out[i] = p >= threshold && p >= probs.data()[i * classes + (1 - rotatedLabel)];
    }
    return out;
  }

  void warmUp() {
    upsideDown(List.of(RgbImage.wrap(8, 8, new byte[8 * 8 * 3])));
  }
}
