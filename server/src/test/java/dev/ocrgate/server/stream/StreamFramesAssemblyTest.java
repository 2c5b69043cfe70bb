package dev.ocrgate.server.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import dev.ocrgate.api.v1.Frame;
import dev.ocrgate.api.v1.FrameResult;
import dev.ocrgate.api.v1.Image;
import dev.ocrgate.api.v1.OcrServiceGrpc;
import dev.ocrgate.api.v1.PixelFormat;
import dev.ocrgate.api.v1.RawImage;
import dev.ocrgate.api.v1.StreamConfig;
import dev.ocrgate.api.v1.StreamFramesRequest;
import dev.ocrgate.api.v1.TextLine;
import dev.ocrgate.server.OcrgateServer;
import dev.ocrgate.server.ServerAssembly;
import dev.ocrgate.server.config.OcrgateConfig;
import dev.ocrgate.server.testing.RepoPaths;
import dev.ocrgate.server.testing.TestTls;
import dev.ocrgate.server.testing.TextImages;
import io.grpc.Grpc;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import java.awt.Color;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The production wiring (ServerAssembly, auth off for a closed network): StreamFrames reaches the
 * batched real-model pipeline, and a graceful shutdown ends open streams through the drain hook
 * (answered frames, then UNAVAILABLE) instead of waiting out the drain timeout; the batch metrics
 * name the provider the engine resolved {@code auto} to.
 */
class StreamFramesAssemblyTest {
  @Test
  void verify_assembledServer_streamsFrames_andDrainEndsOpenStreamWithUnavailable() throws Exception {
    OcrgateConfig config = new OcrgateConfig();
    config.server.port = 0;
    config.server.drain_timeout_seconds = 60;
    config.metrics.port = 0;
    config.auth.enabled = false;
    config.models = List.of(RepoPaths.modelDir().toString());
    TestTls.certs().applyTo(config.tls);
    byte[] rgb = TextImages.toRgb(TextImages.render(320, 96, new Color(24, 32, 48), Color.WHITE,
        List.of(new TextImages.Line("Welcome back", TextImages.latin(17), 12, 74))).image()).data();
    List<StreamFramesRequest> msgs = new ArrayList<>();
    msgs.add(StreamFramesRequest.newBuilder().setConfig(StreamConfig.getDefaultInstance()).build());
    for (int i = 1; i <= 3; i++) {
      msgs.add(StreamFramesRequest.newBuilder().setFrame(Frame.newBuilder().setSeq(i).setPtsMs(i * 40L)
          .setImage(Image.newBuilder().setRaw(RawImage.newBuilder().setWidth(320).setHeight(96)
              .setFormat(PixelFormat.PIXEL_FORMAT_RGB8).setData(ByteString.copyFrom(rgb))))).build());
    }
    OcrgateServer server = ServerAssembly.assemble(config).start();
    ManagedChannel channel = Grpc.newChannelBuilderForAddress("localhost", server.port(),
        TestTls.clientCredentials()).build();
    try {
      TestStream s = new TestStream(msgs, true, false);
      OcrServiceGrpc.newStub(channel).streamFrames(s);
      await().atMost(Duration.ofSeconds(60)).until(() -> s.results().size() == 3);
      // engine.provider is "auto": the inference metrics name the provider it resolved to
      String scrape = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
          java.net.URI.create("http://127.0.0.1:" + server.metricsPort() + "/metrics")).build(),
          java.net.http.HttpResponse.BodyHandlers.ofString()).body();
      assertThat(scrape)
          .contains("ocrgate_inference_duration_seconds_count{model=\"recognition\",provider=\"CPU\"}")
          .doesNotContain("provider=\"auto\"");
      CompletableFuture<Boolean> drained = CompletableFuture.supplyAsync(server::shutdownGracefully);
      assertThat(s.done.get(30, TimeUnit.SECONDS).getCode()).isEqualTo(Status.Code.UNAVAILABLE);
      assertThat(drained.get(60, TimeUnit.SECONDS)).isTrue();
      List<FrameResult> r = s.results();
      assertThat(r).extracting(FrameResult::getSeq).containsExactly(1L, 2L, 3L);
      String text = r.get(0).getLinesList().stream().map(TextLine::getText).collect(Collectors.joining());
      assertThat(RealModelStreamTest.cer("Welcome back", text)).isLessThanOrEqualTo(0.05);
      assertThat(r.get(2).getReusedFromSeq()).isEqualTo(1);
    } finally {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
      server.shutdownGracefully();
    }
  }
}
