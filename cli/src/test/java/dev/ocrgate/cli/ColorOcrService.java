package dev.ocrgate.cli;

import dev.ocrgate.api.v1.FrameResult;
import dev.ocrgate.api.v1.OcrServiceGrpc;
import dev.ocrgate.api.v1.Point;
import dev.ocrgate.api.v1.Quad;
import dev.ocrgate.api.v1.RawImage;
import dev.ocrgate.api.v1.RecognizeRequest;
import dev.ocrgate.api.v1.RecognizeResponse;
import dev.ocrgate.api.v1.StreamConfig;
import dev.ocrgate.api.v1.StreamFramesRequest;
import dev.ocrgate.api.v1.StreamFramesResponse;
import dev.ocrgate.api.v1.TextLine;
import io.grpc.ForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A stand-in for the OCR service that "reads" the colour of a frame: the mean RGB of the whole
 * (already cropped) frame becomes the text RED, GREEN, BLUE or WHITE, and a dark frame has no
 * text. Enough to test the CLI's decoding, cropping, timing and cue writing without models.
 * Recognize answers "size:&lt;bytes&gt;" with one box.
 */
final class ColorOcrService extends OcrServiceGrpc.OcrServiceImplBase {
  static final String TOKEN = "cli-test-token";
  final AtomicInteger frames = new AtomicInteger();
  /** The last stream's config and frame size, for tests of what the CLI sends. */
  volatile StreamConfig lastConfig;
  volatile int lastWidth;
  volatile int lastHeight;

  @Override
  public void recognize(RecognizeRequest request, StreamObserver<RecognizeResponse> out) {
    Quad box = Quad.newBuilder()
        .addPoints(Point.newBuilder().setX(1).setY(2))
        .addPoints(Point.newBuilder().setX(9).setY(2))
        .addPoints(Point.newBuilder().setX(9).setY(6))
        .addPoints(Point.newBuilder().setX(1).setY(6))
        .build();
    out.onNext(RecognizeResponse.newBuilder()
        .addLines(TextLine.newBuilder()
            .setText("size:" + request.getImage().getEncoded().getData().size())
            .setConfidence(0.5f)
            .setBox(box))
        .setImageWidth(10).setImageHeight(8)
        .build());
    out.onCompleted();
  }

  @Override
  public StreamObserver<StreamFramesRequest> streamFrames(StreamObserver<StreamFramesResponse> out) {
    return new StreamObserver<>() {
      @Override
      public void onNext(StreamFramesRequest r) {
        if (r.hasConfig()) {
          lastConfig = r.getConfig();
        }
        if (!r.hasFrame()) {
          return;
        }
        lastWidth = r.getFrame().getImage().getRaw().getWidth();
        lastHeight = r.getFrame().getImage().getRaw().getHeight();
        frames.incrementAndGet();
        FrameResult.Builder result = FrameResult.newBuilder().setSeq(r.getFrame().getSeq()).setPtsMs(r.getFrame().getPtsMs());
        String text = colour(r.getFrame().getImage().getRaw());
        if (text != null) {
          result.addLines(TextLine.newBuilder().setText(text).setConfidence(1f));
        }
        out.onNext(StreamFramesResponse.newBuilder().setResult(result).build());
      }

      @Override
      public void onError(Throwable t) {}

      @Override
      public void onCompleted() {
        out.onCompleted();
      }
    };
  }

  private static String colour(RawImage raw) {
    byte[] px = raw.getData().toByteArray();
    long r = 0, g = 0, b = 0;
    int n = px.length / 3;
    for (int i = 0; i < px.length; i += 3) {
      r += px[i] & 0xff;
      g += px[i + 1] & 0xff;
      b += px[i + 2] & 0xff;
    }
    r /= n;
    g /= n;
    b /= n;
    if (r + g + b < 120) {
      return null;
    }
    if (r > 180 && g > 180 && b > 180) {
      return "WHITE";
    }
    return r >= g && r >= b ? "RED" : g >= b ? "GREEN" : "BLUE";
  }

  /** Accepts only {@code Bearer cli-test-token}. */
  static ServerInterceptor requireToken() {
    Metadata.Key<String> auth = Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);
    return new ServerInterceptor() {
      @Override
      public <Q, A> ServerCall.Listener<Q> interceptCall(ServerCall<Q, A> call, Metadata headers, ServerCallHandler<Q, A> next) {
        if (!("Bearer " + TOKEN).equals(headers.get(auth))) {
          call.close(Status.UNAUTHENTICATED.withDescription("invalid token"), new Metadata());
          return new ServerCall.Listener<>() {};
        }
        return new ForwardingServerCallListener.SimpleForwardingServerCallListener<>(next.startCall(call, headers)) {};
      }
    };
  }
}
