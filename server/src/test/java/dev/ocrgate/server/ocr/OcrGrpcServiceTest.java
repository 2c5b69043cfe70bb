package dev.ocrgate.server.ocr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ocrgate.api.v1.Image;
import dev.ocrgate.api.v1.NormalizedRect;
import dev.ocrgate.api.v1.OcrServiceGrpc;
import dev.ocrgate.api.v1.PixelFormat;
import dev.ocrgate.api.v1.PixelRect;
import dev.ocrgate.api.v1.RecognizeRequest;
import dev.ocrgate.api.v1.RecognizeResponse;
import dev.ocrgate.api.v1.Region;
import dev.ocrgate.api.v1.TextLine;
import dev.ocrgate.server.testing.TextImages.Line;
import dev.ocrgate.server.testing.TextImages.Rendered;
import dev.ocrgate.server.testing.TextImages;
import dev.ocrgate.server.vision.TestImages;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import java.awt.Color;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Recognize over a real gRPC transport (in-process): the service {@link OcrModule#grpcService}
 * builds over the production {@link BatchedOcrPipeline} on the real models ({@link
 * SharedPipeline}), with the default image limits. The service is bound directly:
 * authentication is the interceptor's job and is tested with it.
 */
class OcrGrpcServiceTest {
  private static Server server;
  private static ManagedChannel channel;

  /**
   * A stub with a fresh 60 s deadline per call. {@code withDeadlineAfter} fixes an absolute
   * deadline when the stub is made, so a stub kept in a field would give every call of the class
   * one shared 60 s budget from {@code @BeforeAll}.
   */
  private static OcrServiceGrpc.OcrServiceBlockingStub stub() {
    return OcrServiceGrpc.newBlockingStub(channel).withDeadlineAfter(60, TimeUnit.SECONDS);
  }

  @BeforeAll
  static void start() throws Exception {
    // StreamFrames has its own tests (stream package); here it must not be reached.
    OcrGrpcService service = SharedPipeline.module().grpcService(responses -> {
      throw new AssertionError("StreamFrames is not under test here");
    });
    String name = InProcessServerBuilder.generateName();
    server = InProcessServerBuilder.forName(name).addService(service).build().start();
    channel = InProcessChannelBuilder.forName(name).build();
  }

  @AfterAll
  static void stop() {
    channel.shutdownNow();
    server.shutdownNow();
  }

  @Test
  void verify_recognizePng_returnsLinesBoxesTimingAndModel() {
    Rendered r = TextImages.render(640, 120, Color.WHITE, Color.BLACK, List.of(
        new Line("Hello gRPC world", TextImages.latin(32), 20, 10),
        new Line("你好世界", TextImages.chinese(32), 20, 65)));
    RecognizeResponse res = stub().recognize(RecognizeRequest.newBuilder()
        .setImage(TestImages.encoded(TestImages.encode(r.image(), "png"))).build());
    assertThat(res.getLinesList()).extracting(l -> l.getText().replace(" ", ""))
        .containsExactly("HellogRPCworld", "你好世界");
    assertThat(res.getLinesList()).extracting(TextLine::getReadingOrder).containsExactly(0, 1);
    assertThat(res.getLines(0).getBox().getPointsCount()).isEqualTo(4);
    assertThat(res.getImageWidth()).isEqualTo(640);
    assertThat(res.getImageHeight()).isEqualTo(120);
    assertThat(res.getModel()).isEqualTo("ppocr-v4");
    assertThat(res.getTiming().getDetectionUs()).isPositive();
    assertThat(res.getTiming().getRecognitionUs()).isPositive();
    assertThat(res.getTiming().getTotalUs())
        .isGreaterThanOrEqualTo(res.getTiming().getDetectionUs() + res.getTiming().getRecognitionUs());
  }

  @Test
  void verify_normalizedRegion_readsOnlyTheBandAndReportsWholeImageCoordinates() {
    Rendered r = TextImages.render(600, 200, Color.BLACK, Color.WHITE, List.of(
        new Line("top line", TextImages.latin(30), 20, 10),
        new Line("subtitle band", TextImages.latin(30), 150, 150)));
    RecognizeResponse res = stub().recognize(RecognizeRequest.newBuilder()
        .setImage(TestImages.raw(600, 200, PixelFormat.PIXEL_FORMAT_RGB8, r.rgb().data()))
        .setRegion(Region.newBuilder().setNormalized(
            NormalizedRect.newBuilder().setX(0).setY(0.7f).setWidth(1).setHeight(0.3f)))
        .build());
    assertThat(res.getLinesList()).extracting(l -> l.getText().replace(" ", "")).containsExactly("subtitleband");
    assertThat(res.getLines(0).getBox().getPoints(0).getY()).isGreaterThan(140f);
    assertThat(res.getLines(0).getBox().getPoints(0).getX()).isBetween(140f, 160f);
  }

  @Test
  void verify_badImages_areInvalidArgumentWithFixedMessages() {
    byte[] png = TestImages.encode(TextImages.render(64, 32, Color.WHITE, Color.BLACK, List.of()).image(), "png");
    byte[] random = new byte[4096];
    new Random(42).nextBytes(random);
    assertInvalid(TestImages.encoded(Arrays.copyOf(png, png.length / 2)),
        "cannot decode image: corrupt or truncated data");
    assertInvalid(TestImages.encoded(random), "cannot decode image: not a PNG, JPEG or BMP file");
    assertInvalid(TestImages.encoded(new byte[0]), "image data is empty");
    assertInvalid(TestImages.raw(0, 10, PixelFormat.PIXEL_FORMAT_RGB8, new byte[0]),
        "raw image width and height must be positive");
    assertInvalid(TestImages.raw(10, 10, PixelFormat.PIXEL_FORMAT_RGB8, new byte[299]),
        "raw image data size does not match width x height x bytes per pixel");
    assertInvalid(TestImages.encoded(TestImages.pngHeaderOnly(100_000, 100_000)),
        "image has more than the limit of 40000000 pixels");
    assertInvalid(Image.getDefaultInstance(), "image is required");
  }

  @Test
  void verify_regionOutsideImage_isInvalidArgument() {
    RecognizeRequest req = RecognizeRequest.newBuilder()
        .setImage(TestImages.raw(10, 10, PixelFormat.PIXEL_FORMAT_GRAY8, new byte[100]))
        .setRegion(Region.newBuilder().setPixels(
            PixelRect.newBuilder().setX(50).setY(50).setWidth(10).setHeight(10)))
        .build();
    assertThatThrownBy(() -> stub().recognize(req))
        .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
          assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
          assertThat(e.getStatus().getDescription()).isEqualTo("region does not overlap the image");
        });
  }

  private static void assertInvalid(Image image, String message) {
    RecognizeRequest req = RecognizeRequest.newBuilder().setImage(image).build();
    assertThatThrownBy(() -> stub().recognize(req))
        .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
          assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
          assertThat(e.getStatus().getDescription()).isEqualTo(message);
          assertThat(e.getStatus().getCause()).isNull();
          assertThat(e.getTrailers().keys()).doesNotContain("grpc-status-details-bin");
        });
  }
}
