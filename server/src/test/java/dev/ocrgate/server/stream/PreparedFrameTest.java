package dev.ocrgate.server.stream;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.ocrgate.api.v1.Frame;
import dev.ocrgate.api.v1.FrameRows;
import dev.ocrgate.api.v1.Image;
import dev.ocrgate.api.v1.PixelFormat;
import dev.ocrgate.api.v1.Point;
import dev.ocrgate.api.v1.Quad;
import dev.ocrgate.api.v1.RawImage;
import dev.ocrgate.api.v1.TextLine;
import dev.ocrgate.api.v1.Timing;
import dev.ocrgate.server.ocr.LineSelector;
import dev.ocrgate.server.ocr.OcrResult;
import dev.ocrgate.server.vision.ImageDecoder;
import dev.ocrgate.server.vision.ImageLimits;
import dev.ocrgate.server.vision.PixelRect;
import io.grpc.Status;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * A frame sent as some of its rows ({@code Frame.rows}) is prepared as the whole frame: its area
 * resolved in the whole frame and intersected with the rows sent, its fingerprint comparable with
 * a whole frame's, the line selector and the lines in whole-frame terms.
 */
class PreparedFrameTest {
  private static final int W = 64;
  private static final int H = 400;
  private static final FrameDecoder DECODER = image -> ImageDecoder.decode(image, ImageLimits.defaults());
  /** The bottom quarter: rows [300, 400). */
  private static final PreparedFrame.AreaChoice BOTTOM = (w, h) -> new PixelRect(0, h * 3 / 4, w, h / 4);

  private static final byte[] PIXELS = new byte[W * H * 3];

  static {
    new Random(7).nextBytes(PIXELS);
  }

  private static Frame whole() {
    return Frame.newBuilder().setSeq(1).setImage(Image.newBuilder().setRaw(RawImage.newBuilder()
        .setWidth(W).setHeight(H).setFormat(PixelFormat.PIXEL_FORMAT_RGB8).setData(ByteString.copyFrom(PIXELS))))
        .build();
  }

  private static Frame rows(int top, int bottom, int frameHeight) {
    return Frame.newBuilder().setSeq(1).setImage(Image.newBuilder().setRaw(RawImage.newBuilder()
        .setWidth(W).setHeight(bottom - top).setFormat(PixelFormat.PIXEL_FORMAT_RGB8)
        .setData(ByteString.copyFrom(PIXELS, top * W * 3, (bottom - top) * W * 3))))
        .setRows(FrameRows.newBuilder().setTop(top).setFrameHeight(frameHeight)).build();
  }

  private static PreparedFrame prepare(Frame f, PreparedFrame.AreaChoice choice) {
    return PreparedFrame.of(f, DECODER, choice, TextChangeRule.of(0.00003), System.nanoTime());
  }

  @Test
  void verify_rowsHoldingTheArea_areTheWholeFrame_sameArea_comparableFingerprint() {
    PreparedFrame all = prepare(whole(), BOTTOM);
    PreparedFrame some = prepare(rows(250, 400, H), BOTTOM);

    assertThat(some.error()).isNull();
    assertThat(some.area()).isEqualTo(all.area()).isEqualTo(new ReadArea(new PixelRect(0, 300, W, 100), W, H));
    assertThat(some.roi()).isEqualTo(new PixelRect(0, 50, W, 100));
    assertThat(some.print().area()).isEqualTo(all.print().area());
    assertThat(TextChangeRule.of(0.00003).unchanged(all.print(), some.print(), false)).isTrue();
  }

  @Test
  void verify_rowsCuttingTheArea_readOnlyTheirPart_whichIsAnotherArea() {
    PreparedFrame cut = prepare(rows(100, 340, H), BOTTOM);

    assertThat(cut.area()).isEqualTo(new ReadArea(new PixelRect(0, 300, W, 40), W, H));
    assertThat(cut.roi()).isEqualTo(new PixelRect(0, 200, W, 40));
    assertThat(cut.area().cutsBottom()).isTrue();
    assertThat(TextChangeRule.of(0.00003).unchanged(prepare(whole(), BOTTOM).print(), cut.print(), false))
        .as("another area is never unchanged").isFalse();
  }

  @Test
  void verify_badRows_areInvalidArgument() {
    assertThat(prepare(rows(300, 400, 350), BOTTOM).error().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(prepare(rows(0, 100, 0), BOTTOM).error().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    // 64 × 700,000 rows = 44.8 MP > the 40 MP limit.
    assertThat(prepare(rows(0, 100, 700_000), BOTTOM).error().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(prepare(rows(0, 100, H), BOTTOM).error())
        .as("rows [0, 100) miss the bottom quarter").satisfies(e -> {
          assertThat(e.getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
          assertThat(e.getDescription()).contains("rows sent");
        });
  }

  @Test
  void verify_theLineSelector_seesWholeFrameBoxesAndSize_linesComeBackInWholeFramePixels() {
    PreparedFrame some = prepare(rows(250, 400, H), BOTTOM);
    List<Object> seen = new ArrayList<>();
    LineSelector recording = (boxes, width, height) -> {
      seen.add(boxes.get(0).minY());
      seen.add(width);
      seen.add(height);
      return java.util.Collections.nCopies(boxes.size(), (dev.ocrgate.server.vision.Quad) null);
    };

    some.inFrame(recording).select(List.of(dev.ocrgate.server.vision.Quad.of(new PixelRect(3, 60, 20, 10))), W, 150);

    assertThat(seen).containsExactly(310f, W, H);
    TextLine line = TextLine.newBuilder().setText("a").setBox(Quad.newBuilder()
        .addPoints(Point.newBuilder().setX(3).setY(60)).addPoints(Point.newBuilder().setX(23).setY(60))
        .addPoints(Point.newBuilder().setX(23).setY(70)).addPoints(Point.newBuilder().setX(3).setY(70))).build();
    CompletableFuture<OcrResult> read = new CompletableFuture<>();
    CompletableFuture<OcrResult> inFrame = some.inFrame(read);
    read.complete(new OcrResult(List.of(line), Timing.getDefaultInstance()));
    assertThat(inFrame.join().lines().get(0).getBox().getPointsList()).extracting(Point::getY)
        .containsExactly(310f, 310f, 320f, 320f);

    CompletableFuture<OcrResult> pending = new CompletableFuture<>();
    some.inFrame(pending).cancel(false);
    assertThat(pending).as("cancelling the whole-frame result withdraws the read").isCancelled();
  }
}
