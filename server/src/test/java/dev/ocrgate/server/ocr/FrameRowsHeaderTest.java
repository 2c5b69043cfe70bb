package dev.ocrgate.server.ocr;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ocrgate.api.StreamHeaders;
import dev.ocrgate.api.v1.FrameResult;
import dev.ocrgate.api.v1.OcrServiceGrpc;
import dev.ocrgate.api.v1.PixelFormat;
import dev.ocrgate.api.v1.RecognizeRequest;
import dev.ocrgate.api.v1.StreamFramesRequest;
import dev.ocrgate.api.v1.StreamFramesResponse;
import dev.ocrgate.server.vision.TestImages;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.StreamObserver;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The service's StreamFrames response headers say that it reads {@code Frame.rows} (clients send
 * rows only then); Recognize's do not carry it.
 */
class FrameRowsHeaderTest {
  private Server server;
  private ManagedChannel channel;

  @AfterEach
  void stop() {
    channel.shutdownNow();
    server.shutdownNow();
  }

  @Test
  void verify_streamFramesHeaders_sayTheServerReadsRows_recognizeHeadersDoNot() throws Exception {
    OcrGrpcService service = SharedPipeline.module().grpcService(responses -> new StreamObserver<>() {
      @Override
      public void onNext(StreamFramesRequest request) {
        responses.onNext(StreamFramesResponse.newBuilder().setResult(FrameResult.newBuilder().setSeq(1)).build());
      }

      @Override
      public void onError(Throwable t) {}

      @Override
      public void onCompleted() {
        responses.onCompleted();
      }
    });
    String name = InProcessServerBuilder.generateName();
    server = InProcessServerBuilder.forName(name).addService(service.definition()).build().start();
    channel = InProcessChannelBuilder.forName(name).build();

    AtomicReference<Metadata> streamHeaders = new AtomicReference<>();
    AtomicReference<Metadata> trailers = new AtomicReference<>();
    CompletableFuture<Void> done = new CompletableFuture<>();
    StreamObserver<StreamFramesRequest> requests = OcrServiceGrpc.newStub(channel)
        .withInterceptors(MetadataUtils.newCaptureMetadataInterceptor(streamHeaders, trailers))
        .streamFrames(new StreamObserver<>() {
          @Override
          public void onNext(StreamFramesResponse value) {}

          @Override
          public void onError(Throwable t) {
            done.completeExceptionally(t);
          }

          @Override
          public void onCompleted() {
            done.complete(null);
          }
        });
    requests.onNext(StreamFramesRequest.getDefaultInstance());
    requests.onCompleted();
    done.get(30, TimeUnit.SECONDS);
    assertThat(streamHeaders.get().get(StreamHeaders.FRAME_ROWS)).isEqualTo(StreamHeaders.READS_ROWS);

    AtomicReference<Metadata> unaryHeaders = new AtomicReference<>();
    OcrServiceGrpc.newBlockingStub(channel)
        .withInterceptors(MetadataUtils.newCaptureMetadataInterceptor(unaryHeaders, trailers))
        .withDeadlineAfter(60, TimeUnit.SECONDS)
        .recognize(RecognizeRequest.newBuilder()
            .setImage(TestImages.raw(16, 16, PixelFormat.PIXEL_FORMAT_GRAY8, new byte[256])).build());
    assertThat(unaryHeaders.get()).isNotNull();
    assertThat(unaryHeaders.get().containsKey(StreamHeaders.FRAME_ROWS)).isFalse();
  }
}
