package dev.ocrgate.server.stream;

import dev.ocrgate.api.v1.Image;
import dev.ocrgate.api.v1.PixelFormat;
import dev.ocrgate.api.v1.RawImage;
import dev.ocrgate.api.v1.TextLine;
import dev.ocrgate.api.v1.Timing;
import dev.ocrgate.server.batch.BatchPolicy;
import dev.ocrgate.server.batch.DynamicBatcher;
import dev.ocrgate.server.ocr.OcrPipeline;
import dev.ocrgate.server.ocr.OcrRequest;
import dev.ocrgate.server.ocr.OcrResult;
import dev.ocrgate.server.vision.InvalidImageException;
import dev.ocrgate.server.vision.PixelRect;
import dev.ocrgate.server.vision.RgbImage;
import com.google.protobuf.ByteString;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A deterministic stand-in for the OCR engine, for ordering and flow-control tests: a real
 * {@link DynamicBatcher} (2 workers, so completions arrive out of order) whose runner "reads" a
 * synthetic frame: a region filled with colour (k % 256, k / 256, 200) says "id k"; a black region
 * says nothing. A gate lets tests hold the workers to keep work queued.
 */
final class FakeOcr implements OcrPipeline, AutoCloseable {
  static final int W = 64;
  static final int H = 32;
  /** The batcher's queue capacity of {@link #FakeOcr(int)}. */
  static final int QUEUE_CAPACITY = 1024;

  final AtomicInteger calls = new AtomicInteger();
  private final ExecutorService completions = Executors.newFixedThreadPool(2);
  private final Object gateLock = new Object();
  private boolean gateOpen = true;
  /** The first batch holding a frame that says "id k" for this k fails; -1: none. */
  private final AtomicInteger failOnce = new AtomicInteger(-1);
  final DynamicBatcher<OcrRequest, OcrResult> batcher;

  FakeOcr(int workers) {
    this(workers, QUEUE_CAPACITY);
  }

  /** As {@link #FakeOcr(int)} with a queue of {@code queueCapacity} items (≥ 2). */
  FakeOcr(int workers, int queueCapacity) {
    List<dev.ocrgate.server.batch.BatchRunner<OcrRequest, OcrResult>> runners = new ArrayList<>();
    for (int i = 0; i < workers; i++) {
      runners.add((shape, inputs) -> run(inputs));
    }
    batcher = DynamicBatcher.<OcrRequest, OcrResult>builder(
            "fake", new BatchPolicy(2, Duration.ofMillis(1), queueCapacity))
        .completionExecutor(completions)
        .start(runners);
  }

  @Override
  public CompletableFuture<OcrResult> recognize(OcrRequest request) {
    calls.incrementAndGet();
    return batcher.submit(request, null, 1.0, batcher.deadlineNanos(request.deadline()));
  }

  /** The first batch that reads a frame saying "id k" fails (its runner throws). */
  void failFirstBatchWith(int k) {
    failOnce.set(k);
  }

  void closeGate() {
    synchronized (gateLock) {
      gateOpen = false;
    }
  }

  void openGate() {
    synchronized (gateLock) {
      gateOpen = true;
      gateLock.notifyAll();
    }
  }

  private List<OcrResult> run(List<OcrRequest> inputs) throws InterruptedException {
    synchronized (gateLock) {
      while (!gateOpen) {
        gateLock.wait();
      }
    }
    Thread.sleep(ThreadLocalRandom.current().nextInt(3));
    for (OcrRequest r : inputs) {
      int k = shown(r.image(), r.regionInImage());
      if (k >= 0 && failOnce.compareAndSet(k, -1)) {
        throw new IllegalStateException("injected failure");
      }
    }
    List<OcrResult> out = new ArrayList<>();
    for (OcrRequest r : inputs) {
      out.add(read(r.image(), r.regionInImage()));
    }
    return out;
  }

  /** The k a frame's band says ("id k"), or -1 when it is empty; the band is the bottom quarter. */
  static int shown(RgbImage image) {
    return shown(image, new PixelRect(0, H * 3 / 4, image.width(), image.height() - H * 3 / 4));
  }

  private static int shown(RgbImage image, PixelRect roi) {
    byte[] d = image.data();
    int p = (roi.y() * image.width() + roi.x()) * 3;
    return (d[p + 2] & 0xff) == 0 ? -1 : (d[p] & 0xff) + 256 * (d[p + 1] & 0xff);
  }

  private static OcrResult read(RgbImage image, PixelRect roi) {
    byte[] d = image.data();
    int p = (roi.y() * image.width() + roi.x()) * 3;
    if ((d[p + 2] & 0xff) == 0) {
      return new OcrResult(List.of(), Timing.getDefaultInstance());
    }
    int k = (d[p] & 0xff) + 256 * (d[p + 1] & 0xff);
    return new OcrResult(
        List.of(TextLine.newBuilder().setText("id " + k).setConfidence(0.99f).build()),
        Timing.newBuilder().setInferenceUs(1).build());
  }

  /** A frame whose subtitle band says "id k" (k < 0: an empty band). */
  static Image frame(int k) {
    byte[] d = new byte[W * H * 3];
    for (int y = H * 3 / 4; y < H; y++) {
      for (int x = 0; x < W; x++) {
        int p = (y * W + x) * 3;
        d[p] = (byte) (k < 0 ? 0 : k & 0xff);
        d[p + 1] = (byte) (k < 0 ? 0 : k >> 8);
        d[p + 2] = (byte) (k < 0 ? 0 : 200);
      }
    }
    return Image.newBuilder().setRaw(RawImage.newBuilder().setWidth(W).setHeight(H)
        .setFormat(PixelFormat.PIXEL_FORMAT_RGB8).setData(ByteString.copyFrom(d))).build();
  }

  /** Raw RGB8 only; the real decoder lives in vision. */
  static RgbImage decode(Image image) throws InvalidImageException {
    RawImage raw = image.getRaw();
    if (!image.hasRaw() || raw.getFormat() != PixelFormat.PIXEL_FORMAT_RGB8
        || (long) raw.getWidth() * raw.getHeight() * 3 != raw.getData().size() || raw.getWidth() == 0) {
      throw new InvalidImageException("raw image size does not match width x height");
    }
    return RgbImage.wrap(raw.getWidth(), raw.getHeight(), raw.getData().toByteArray());
  }

  @Override
  public void close() {
    openGate();
    batcher.close();
    completions.shutdown();
  }
}
