package dev.ocrgate.server.ocr;

import dev.ocrgate.server.engine.InputBuffers;
import dev.ocrgate.server.engine.ModelSession;
import dev.ocrgate.server.engine.Tensor;
import dev.ocrgate.server.vision.DbPostProcessor;
import dev.ocrgate.server.vision.DetResize;
import dev.ocrgate.server.vision.Quad;
import dev.ocrgate.server.vision.Resize;
import dev.ocrgate.server.vision.RgbImage;
import dev.ocrgate.server.vision.TensorFill;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Text detection on a batch of images: each image is resized by the side limit (a caller may cap
 * the scale further and keep the aspect ratio, {@link #inputFor}), normalised into one {@code [N,
 * 3, H, W]} tensor whose sides are the next multiples of 32 of the largest image of the batch
 * ({@link DetResize#padded}; the rest is padding, the normalised mean colour), run through the DB
 * model in one call, and each image's probability map (its unpadded part) is post-processed into
 * boxes in that image's own pixels. Boxes are not in reading order.
 *
 * <p>Thread-safe: the session is, the input buffer is per thread, everything else is immutable.
 */
public final class Detector {
  private final ModelSession session;
  private final DetResize resize;
  private final DbPostProcessor post;
  private final boolean bgr;
  private final float[] mean;
  private final float[] std;

  Detector(ModelSession session, ModelConfig.Detection config) {
    this.session = session;
    this.resize = config.resize();
    this.post = new DbPostProcessor(config.dbParams());
    this.bgr = "bgr".equals(config.channel_order);
    this.mean = toArray(config.mean);
    this.std = toArray(config.std);
  }

  /** The boxes of each image and the time spent inside ONNX Runtime. */
  public record Detections(List<List<Quad>> boxes, long inferenceNanos) {}

  /**
   * One image to detect in and the size it is resized to (from {@link #inputFor}); the detector
   * pads it to multiples of 32.
   */
  public record Input(RgbImage image, int width, int height) {}

  /**
   * {@code image} with its input size: the model's resize, scaled by at most {@code scaleCap}
   * (1 = the model's resize alone), its sides rounded to multiples of 32 ({@link
   * DetResize#size(int, int, double)}) or, with {@code keepAspect}, scaled by one ratio and padded
   * ({@link DetResize#keepingAspect}).
   */
  public static Input inputFor(DetResize resize, RgbImage image, double scaleCap, boolean keepAspect) {
    int[] size = keepAspect
        ? resize.keepingAspect(image.width(), image.height(), scaleCap)
        : resize.size(image.width(), image.height(), scaleCap);
    return new Input(image, size[0], size[1]);
  }

  /** Detects text in every image of {@code images}, each at the model's input size, with one inference. */
  public Detections detect(List<RgbImage> images) {
    return detectInputs(images.stream().map(img -> inputFor(resize, img, 1.0, false)).toList());
  }

  /**
   * Detects text in every input with one inference, each resized to its own input size (padded to
   * multiples of 32 of the largest of the batch). Boxes are in each input's original image pixels.
   */
  public Detections detectInputs(List<Input> inputs) {
    int n = inputs.size();
    List<RgbImage> images = inputs.stream().map(Input::image).toList();
    List<RgbImage> resized = new ArrayList<>(n);
    int planeW = 0;
    int planeH = 0;
    for (Input in : inputs) {
      RgbImage r = Resize.bilinear(in.image(), in.width(), in.height());
      resized.add(r);
      planeW = Math.max(planeW, DetResize.padded(r.width()));
      planeH = Math.max(planeH, DetResize.padded(r.height()));
    }
    FloatBuffer buf = InputBuffers.acquire(n * 3 * planeW * planeH);
    for (int i = 0; i < n; i++) {
      TensorFill.write(buf, i, planeW, planeH, resized.get(i), bgr, mean, std, 0f);
    }
    long t0 = System.nanoTime();
    Tensor out = session.run(buf, new long[] {n, 3, planeH, planeW});
    long inference = System.nanoTime() - t0;
    List<List<Quad>> boxes = new ArrayList<>(n);
    int plane = planeW * planeH;
    for (int i = 0; i < n; i++) {
      RgbImage r = resized.get(i);
      RgbImage original = images.get(i);
      boxes.add(post.boxes(out.data(), i * plane, planeW, r.width(), r.height(),
          original.width(), original.height()));
    }
    return new Detections(boxes, inference);
  }

  /** Runs one small dummy batch so that the first request does not pay for initialisation. */
  void warmUp() {
    detect(List.of(RgbImage.wrap(64, 64, new byte[64 * 64 * 3])));
  }

  static float[] toArray(List<Float> values) {
    float[] a = new float[values.size()];
    for (int i = 0; i < a.length; i++) {
      a[i] = values.get(i);
    }
    return a;
  }
}
