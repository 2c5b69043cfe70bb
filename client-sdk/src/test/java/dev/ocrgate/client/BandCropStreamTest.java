package dev.ocrgate.client;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.ocrgate.api.StreamHeaders;
import dev.ocrgate.api.v1.Frame;
import dev.ocrgate.api.v1.FrameResult;
import dev.ocrgate.api.v1.Image;
import dev.ocrgate.api.v1.NormalizedRect;
import dev.ocrgate.api.v1.OcrServiceGrpc;
import dev.ocrgate.api.v1.PixelFormat;
import dev.ocrgate.api.v1.PixelRect;
import dev.ocrgate.api.v1.RawImage;
import dev.ocrgate.api.v1.Region;
import dev.ocrgate.api.v1.StreamConfig;
import dev.ocrgate.api.v1.StreamFramesRequest;
import dev.ocrgate.api.v1.StreamFramesResponse;
import dev.ocrgate.api.v1.StreamMode;
import dev.ocrgate.client.testing.TestBearerInterceptor;
import dev.ocrgate.client.testing.TestServers;
import dev.ocrgate.client.testing.TokenAuthority;
import dev.ocrgate.server.OcrgateServer;
import dev.ocrgate.server.testing.MutableClock;
import dev.ocrgate.server.testing.TestTls;
import io.grpc.ForwardingServerCall;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.IntPredicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The SDK sends a SUBTITLE stream's frames as the rows around the band the server answered with
 * ({@link BandCrop}), over a real TLS server whose service records what it received and answers
 * like the server's automatic band: the band intersected with the rows sent. Window 1, so each
 * frame is sent after the previous one's answer arrived: which rows are sent is deterministic.
 */
class BandCropStreamTest {
  private static final int W = 64;
  private static final int H = 400;
  private static final long STEP_MS = 200; // 5 fps

  private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
  private final TokenAuthority authority = new TokenAuthority(clock);
  private final BandService service = new BandService();
  private final List<AutoCloseable> toClose = new ArrayList<>();

  @AfterEach
  void stop() throws Exception {
    for (int i = toClose.size() - 1; i >= 0; i--) {
      toClose.get(i).close();
    }
  }

  /** Rows [top, top + height) of a frame, as the service received them; failed: answered with an error. */
  record Received(long seq, int top, int height, int frameHeight, boolean dataMatches) {
    boolean whole() {
      return top == 0 && height == frameHeight;
    }
  }

  /**
   * Answers each frame with region = its band for that seq (whole-frame pixels) intersected with
   * the rows sent, or an error for the seqs {@link #failing} names; checks each image's bytes are
   * the frame's rows.
   */
  static final class BandService extends OcrServiceGrpc.OcrServiceImplBase {
    final List<Received> received = new CopyOnWriteArrayList<>();
    volatile java.util.function.LongFunction<int[]> band = seq -> new int[] {300, 360};
    volatile IntPredicate failing = seq -> false;
    /** Say {@code ocrgate-frame-rows: 1} in the response headers, as a server that reads rows does. */
    volatile boolean readsRows = true;
    /** The first time this seq arrives, the call fails UNAVAILABLE instead (the client resumes). */
    volatile long dropCallAt = -1;

    /** Bound with the response headers a server that reads rows sends (when {@link #readsRows}). */
    ServerServiceDefinition definition() {
      return ServerInterceptors.intercept(this, new ServerInterceptor() {
        @Override
        public <Q, A> ServerCall.Listener<Q> interceptCall(ServerCall<Q, A> call, Metadata headers,
            ServerCallHandler<Q, A> next) {
          return next.startCall(new ForwardingServerCall.SimpleForwardingServerCall<>(call) {
            @Override
            public void sendHeaders(Metadata responseHeaders) {
              if (readsRows) {
                responseHeaders.put(StreamHeaders.FRAME_ROWS, StreamHeaders.READS_ROWS);
              }
              super.sendHeaders(responseHeaders);
            }
          }, headers);
        }
      });
    }

    @Override
    public StreamObserver<StreamFramesRequest> streamFrames(StreamObserver<StreamFramesResponse> out) {
      return new StreamObserver<>() {
        @Override
        public void onNext(StreamFramesRequest request) {
          if (!request.hasFrame()) {
            return;
          }
          Frame f = request.getFrame();
          RawImage raw = f.getImage().getRaw();
          int top = f.hasRows() ? f.getRows().getTop() : 0;
          int frameHeight = f.hasRows() ? f.getRows().getFrameHeight() : raw.getHeight();
          byte[] whole = pixels(f.getSeq());
          boolean matches = raw.getData().equals(
              ByteString.copyFrom(whole, top * W * 3, raw.getHeight() * W * 3));
          received.add(new Received(f.getSeq(), top, raw.getHeight(), frameHeight, matches));
          if (f.getSeq() == dropCallAt) {
            dropCallAt = -1;
            out.onError(Status.UNAVAILABLE.withDescription("replica went away").asRuntimeException());
            return;
          }
          FrameResult.Builder r = FrameResult.newBuilder().setSeq(f.getSeq()).setPtsMs(f.getPtsMs());
          if (failing.test((int) f.getSeq())) {
            r.setError(com.google.rpc.Status.newBuilder().setCode(Status.Code.INVALID_ARGUMENT.value()));
          } else {
            int[] b = band.apply(f.getSeq());
            int y0 = Math.max(b[0], top);
            int y1 = Math.min(b[1], top + raw.getHeight());
            r.setRegion(PixelRect.newBuilder().setX(0).setY(y0).setWidth(W).setHeight(y1 - y0));
          }
          out.onNext(StreamFramesResponse.newBuilder().setResult(r).build());
        }

        @Override
        public void onError(Throwable t) {}

        @Override
        public void onCompleted() {
          out.onCompleted();
        }
      };
    }
  }

  /** The whole frame {@code seq}: every byte says its row and the seq. */
  static byte[] pixels(long seq) {
    byte[] px = new byte[W * H * 3];
    for (int y = 0; y < H; y++) {
      Arrays.fill(px, y * W * 3, (y + 1) * W * 3, (byte) (y * 7 + seq));
    }
    return px;
  }

  private List<Received> stream(StreamConfig config, int frames, boolean crop) throws Exception {
    return stream(config, frames, crop, frames);
  }

  /** Streams {@code frames} frames; the service is to receive {@code received} (resent ones too). */
  private List<Received> stream(StreamConfig config, int frames, boolean crop, int received) throws Exception {
    OcrgateServer s = TestServers.tls(0, new TestBearerInterceptor(authority), service::definition);
    toClose.add(s);
    OcrClient client = OcrClient.builder()
        .target("127.0.0.1:" + s.port())
        .trustedCertificates(TestTls.certs().caCert())
        .tokenSource(() -> AccessToken.of(authority.mint(java.time.Duration.ofHours(1)),
            authority.clock().instant().plusSeconds(3600)))
        .streamWindow(1)
        .cropSubtitleFrames(crop)
        .clock(clock)
        .build();
    toClose.add(client);
    CompletableFuture<StatusRuntimeException> done = new CompletableFuture<>();
    FrameStream stream = client.streamFrames(config, new FrameListener() {
      @Override
      public void onResult(FrameResult result) {}

      @Override
      public void onCompleted() {
        done.complete(null);
      }

      @Override
      public void onError(StatusRuntimeException error) {
        done.complete(error);
      }
    });
    for (long seq = 0; seq < frames; seq++) {
      stream.send(Frame.newBuilder().setSeq(seq).setPtsMs(seq * STEP_MS)
          .setImage(Image.newBuilder().setRaw(RawImage.newBuilder().setWidth(W).setHeight(H)
              .setFormat(PixelFormat.PIXEL_FORMAT_RGB8).setData(ByteString.copyFrom(pixels(seq)))))
          .build());
    }
    stream.complete();
    assertThat(done.get(30, TimeUnit.SECONDS)).isNull();
    assertThat(service.received).hasSize(received).allSatisfy(r -> assertThat(r.dataMatches()).isTrue())
        .allSatisfy(r -> assertThat(r.frameHeight()).isEqualTo(H));
    return service.received;
  }

  private static final StreamConfig SUBTITLES =
      StreamConfig.newBuilder().setMode(StreamMode.STREAM_MODE_SUBTITLE).setFrameIntervalMs(200).build();

  /** The seqs sent whole. */
  private static List<Long> whole(List<Received> got) {
    return got.stream().filter(Received::whole).map(Received::seq).toList();
  }

  @Test
  void verify_afterABandIsAnswered_framesAreSentAsItsRowsWithAMargin_andWholeEveryTwoSeconds() throws Exception {
    List<Received> got = stream(SUBTITLES, 25, true);

    // Band [300, 360): sent as [300 - 60, 360 + 60) clamped = [240, 400); whole at pts 0, 2 s, 4 s.
    assertThat(whole(got)).containsExactly(0L, 10L, 20L);
    assertThat(got).filteredOn(r -> !r.whole())
        .allSatisfy(r -> assertThat(new int[] {r.top(), r.height()}).containsExactly(240, 160));
  }

  @Test
  void verify_whenTheServerReadsToACutEdge_theNextFrameIsWhole_andTheCropFollowsTheNewBand() throws Exception {
    // From seq 5 on the server reads [200, 280) (its band grew upwards).
    service.band = seq -> seq < 5 ? new int[] {300, 360} : new int[] {200, 280};

    List<Received> got = stream(SUBTITLES, 10, true);

    // 5 goes as [240, 400) and is read as [240, 280), at the cut top edge: 6 goes whole, and its
    // answer [200, 280) sets the rows of 7 on to [200 - 80, 280 + 80) = [120, 360).
    assertThat(whole(got)).containsExactly(0L, 6L);
    assertThat(got.subList(1, 6)).allSatisfy(r -> assertThat(new int[] {r.top(), r.height()}).containsExactly(240, 160));
    assertThat(got.subList(7, 10)).allSatisfy(r -> assertThat(new int[] {r.top(), r.height()}).containsExactly(120, 240));
  }

  @Test
  void verify_afterAFailedFrame_theNextIsWhole() throws Exception {
    service.failing = seq -> seq == 3;

    List<Received> got = stream(SUBTITLES, 8, true);

    assertThat(whole(got)).containsExactly(0L, 4L);
  }

  @Test
  void verify_anExplicitRegion_FullMode_orCroppingOff_sendEveryFrameWhole() throws Exception {
    StreamConfig region = SUBTITLES.toBuilder().setRegion(Region.newBuilder()
        .setNormalized(NormalizedRect.newBuilder().setY(0.75f).setWidth(1).setHeight(0.25f))).build();
    assertThat(whole(stream(region, 6, true))).hasSize(6);
    service.received.clear();
    assertThat(whole(stream(SUBTITLES.toBuilder().setMode(StreamMode.STREAM_MODE_FULL).build(), 6, true))).hasSize(6);
    service.received.clear();
    assertThat(whole(stream(SUBTITLES, 6, false))).hasSize(6);
  }

  @Test
  void verify_aServerThatDoesNotSayItReadsRows_getsEveryFrameWhole() throws Exception {
    service.readsRows = false; // a server older than Frame.rows would read rows as the whole frame
    List<Received> got = stream(SUBTITLES, 12, true);
    assertThat(got).hasSize(12);
    assertThat(whole(got)).hasSize(12);
  }

  @Test
  void verify_framesResentAfterTheCallFailed_goWhole_andTheNewCallCropsOnlyOnceItsServerSaidSo() throws Exception {
    service.dropCallAt = 4; // frame 4 arrives cut; the call fails; the next call may reach another server
    List<Received> got = stream(SUBTITLES, 12, true, 13);

    assertThat(got.stream().filter(r -> r.seq() == 4).map(Received::whole).toList()).containsExactly(false, true);
    // The resumed call: frame 4 whole (resent), frame 5 too (no answer with a region on this call yet), then cut.
    assertThat(whole(got)).containsExactly(0L, 4L, 5L); // 2 s after frame 5 would be frame 15
  }
}
