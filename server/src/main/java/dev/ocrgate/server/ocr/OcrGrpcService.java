package dev.ocrgate.server.ocr;

import dev.ocrgate.api.StreamHeaders;
import dev.ocrgate.api.v1.OcrServiceGrpc;
import dev.ocrgate.api.v1.RecognizeRequest;
import dev.ocrgate.api.v1.RecognizeResponse;
import dev.ocrgate.api.v1.StreamFramesRequest;
import dev.ocrgate.api.v1.StreamFramesResponse;
import dev.ocrgate.server.vision.DecodeBudgetException;
import dev.ocrgate.server.vision.ImageDecoder;
import dev.ocrgate.server.vision.InvalidImageException;
import dev.ocrgate.server.vision.PixelRect;
import dev.ocrgate.server.vision.RgbImage;
import io.grpc.Context;
import io.grpc.Deadline;
import io.grpc.ForwardingServerCall;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.StatusException;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code Recognize} RPC: decode and validate the image (on the calling gRPC thread, within the
 * decoder's memory budget, waiting for it no longer than the call's deadline), convert the region,
 * hand the request to the {@link OcrPipeline}, answer with lines and timings. The decoded image's
 * share of the budget is held until the call is answered, so queued images count too.
 * {@code StreamFrames} is delegated to the {@link StreamOpener} (the {@code stream} package).
 *
 * <p>Errors are statuses with short fixed descriptions: INVALID_ARGUMENT for a bad image or
 * region, RESOURCE_EXHAUSTED when the decode budget had no room in time, and whatever the
 * pipeline reports (RESOURCE_EXHAUSTED, DEADLINE_EXCEEDED, UNAVAILABLE, INTERNAL). Nothing from the client's bytes and no stack trace reaches the client; decoder
 * details are logged at debug level.
 *
 * <p>Thread-safe: stateless apart from its immutable collaborators. Authentication is done by
 * the server's interceptors, never here.
 */
public final class OcrGrpcService extends OcrServiceGrpc.OcrServiceImplBase {
  private static final Logger log = LoggerFactory.getLogger(OcrGrpcService.class);

  private final OcrPipeline pipeline;
  private final ImageDecoder decoder;
  private final String modelName;
  private final LongSupplier nanoTime;
  private final StreamOpener streams;

  OcrGrpcService(OcrPipeline pipeline, ImageDecoder decoder, String modelName, LongSupplier nanoTime,
      StreamOpener streams) {
    this.pipeline = pipeline;
    this.decoder = decoder;
    this.modelName = modelName;
    this.nanoTime = nanoTime;
    this.streams = Objects.requireNonNull(streams, "streams");
  }

  /**
   * The service as a server should bind it: StreamFrames' response headers say that this server
   * reads {@code Frame.rows} ({@link StreamHeaders#FRAME_ROWS}), so clients may send frames as
   * rows. (Bound as it is, without this, clients send every frame whole.)
   */
  public ServerServiceDefinition definition() {
    return ServerInterceptors.intercept(this, ADVERTISE_FRAME_ROWS);
  }

  private static final ServerInterceptor ADVERTISE_FRAME_ROWS = new ServerInterceptor() {
    @Override
    public <Q, A> ServerCall.Listener<Q> interceptCall(ServerCall<Q, A> call, Metadata headers,
        ServerCallHandler<Q, A> next) {
      if (!OcrServiceGrpc.getStreamFramesMethod().getFullMethodName()
          .equals(call.getMethodDescriptor().getFullMethodName())) {
        return next.startCall(call, headers);
      }
      return next.startCall(new ForwardingServerCall.SimpleForwardingServerCall<>(call) {
        @Override
        public void sendHeaders(Metadata responseHeaders) {
          responseHeaders.put(StreamHeaders.FRAME_ROWS, StreamHeaders.READS_ROWS);
          super.sendHeaders(responseHeaders);
        }
      }, headers);
    }
  };

  /** Opens one StreamFrames call (e.g. {@code StreamFramesService::open}). */
  @FunctionalInterface
  public interface StreamOpener {
    StreamObserver<StreamFramesRequest> open(StreamObserver<StreamFramesResponse> responses);
  }

  /**
   * The service over {@code pipeline}, reporting {@code modelName}, with StreamFrames delegated to
   * {@code streams}.
   */
  public static OcrGrpcService create(OcrPipeline pipeline, ImageDecoder decoder, String modelName,
      StreamOpener streams) {
    return new OcrGrpcService(pipeline, decoder, modelName, System::nanoTime, streams);
  }

  @Override
  public void recognize(RecognizeRequest request, StreamObserver<RecognizeResponse> responses) {
    long start = nanoTime.getAsLong();
    ImageDecoder.Decoded decoded = decode(request, responses);
    if (decoded == null) {
      return;
    }
    RgbImage image = decoded.image();
    PixelRect region;
    try {
      region = request.hasRegion() ? Regions.toPixels(request.getRegion(), image.width(), image.height()) : null;
    } catch (IllegalArgumentException e) {
      decoded.close();
      responses.onError(Status.INVALID_ARGUMENT.withDescription(e.getMessage()).asException());
      return;
    }
    if (request.getMinConfidence() < 0 || request.getMinConfidence() > 1) {
      decoded.close();
      responses.onError(Status.INVALID_ARGUMENT.withDescription("min_confidence must be in [0, 1]").asException());
      return;
    }
    long decodedAt = nanoTime.getAsLong();
    OcrRequest ocr = new OcrRequest(image, region, OcrRequest.Mode.FULL, request.getMinConfidence(),
        request.getClassifyDirection(), Context.current().getDeadline());
    CompletableFuture<OcrResult> future = recognize(ocr);
    future.whenComplete((result, error) -> decoded.close());
    if (responses instanceof ServerCallStreamObserver<RecognizeResponse> call) {
      call.setOnCancelHandler(() -> future.cancel(false));
    }
    future.whenComplete((result, error) -> {
      if (error != null) {
        responses.onError(toException(error));
        return;
      }
      responses.onNext(response(result, image, start, decodedAt));
      responses.onCompleted();
    });
  }

  /** The decoded image holding its budget share, or null after answering the refusal. */
  private ImageDecoder.Decoded decode(RecognizeRequest request, StreamObserver<RecognizeResponse> responses) {
    try {
      return decoder.decodeHolding(request.getImage(), budgetWaitNanos(Context.current().getDeadline()));
    } catch (DecodeBudgetException e) {
      responses.onError(Status.RESOURCE_EXHAUSTED.withDescription(e.getMessage()).asException());
    } catch (InvalidImageException e) {
      log.debug("refused image: {} ({})", e.getMessage(), e.getCause() == null ? "-" : e.getCause().toString());
      responses.onError(Status.INVALID_ARGUMENT.withDescription(e.getMessage()).asException());
    }
    return null;
  }

  /** No wait past the call's deadline (the budget caps it further). */
  static long budgetWaitNanos(Deadline deadline) {
    return deadline == null ? Long.MAX_VALUE : Math.max(0, deadline.timeRemaining(TimeUnit.NANOSECONDS));
  }

  private CompletableFuture<OcrResult> recognize(OcrRequest request) {
    try {
      return pipeline.recognize(request);
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  private RecognizeResponse response(OcrResult result, RgbImage image, long start, long decodedAt) {
    return RecognizeResponse.newBuilder()
        .addAllLines(result.lines())
        .setImageWidth(image.width())
        .setImageHeight(image.height())
        .setModel(modelName)
        .setTiming(result.timing().toBuilder()
            .setDecodeUs((decodedAt - start) / 1000)
            .setTotalUs((nanoTime.getAsLong() - start) / 1000))
        .build();
  }

  @Override
  public StreamObserver<StreamFramesRequest> streamFrames(StreamObserver<StreamFramesResponse> responses) {
    return streams.open(responses);
  }

  /**
   * The exception a pipeline failure is answered with: a {@link StatusException} as it is, with
   * its trailers (e.g. a {@code google.rpc.RetryInfo} of an overloaded engine), else {@link #toStatus}.
   */
  static StatusException toException(Throwable error) {
    Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    return cause instanceof StatusException se ? se : toStatus(error).asException();
  }

  /** The status a pipeline failure maps to; unknown failures become a bare INTERNAL. */
  static Status toStatus(Throwable error) {
    Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    if (cause instanceof StatusException se) {
      return se.getStatus();
    }
    if (cause instanceof CancellationException) {
      return Status.CANCELLED.withDescription("cancelled");
    }
    log.error("OCR pipeline failed", cause);
    return Status.INTERNAL.withDescription("OCR failed");
  }
}
