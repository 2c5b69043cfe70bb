package dev.ocrgate.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import dev.ocrgate.api.v1.EncodedImage;
import dev.ocrgate.api.v1.Frame;
import dev.ocrgate.api.v1.FrameResult;
import dev.ocrgate.api.v1.Image;
import dev.ocrgate.api.v1.RecognizeRequest;
import dev.ocrgate.api.v1.RevokeTokenRequest;
import dev.ocrgate.api.v1.StreamConfig;
import dev.ocrgate.client.FrameListener;
import dev.ocrgate.client.FrameStream;
import dev.ocrgate.client.OcrClient;
import dev.ocrgate.client.TokenSources;
import dev.ocrgate.server.auth.DevKeys;
import dev.ocrgate.server.auth.SigningKey;
import dev.ocrgate.server.auth.SigningKeys;
import dev.ocrgate.server.auth.TokenMinter;
import dev.ocrgate.server.testing.RedisServerExtension;
import dev.ocrgate.server.testing.RepoPaths;
import dev.ocrgate.server.testing.TestTls;
import dev.ocrgate.server.testing.TextImages;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.awt.Color;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two {@code ocrgate serve} processes (real models, TLS, JWT auth) sharing one redis-server,
 * reached by the SDK through one {@code static://} target with round_robin: unary calls and
 * streams are spread over both; a replica killed with SIGKILL mid-stream loses no frame (its
 * streams resume on the other); a token revoked through one replica is refused by the other; a
 * tenant's rate limit consumed on one counts on the other. Prints the figures it measured.
 */
class ReplicasEndToEndTest {
  @RegisterExtension static final RedisServerExtension REDIS = new RedisServerExtension();
  private static final Duration START = Duration.ofMinutes(4);
  private static final int STREAMS = 4;
  private static final int FRAMES = 120;
  private static final int METERED_BURST = 4;

  @TempDir Path dir;
  private final List<AutoCloseable> toClose = new ArrayList<>();
  private TokenMinter minter;

  @AfterEach
  void stop() throws Exception {
    for (int i = toClose.size() - 1; i >= 0; i--) {
      toClose.get(i).close();
    }
  }

  /** A started replica: its process, gRPC port and metrics port. */
  private record Replica(CliProcess process, int port, int metricsPort) {}

  @Test
  void twoReplicas_spreadCalls_resumeStreamsOfAKilledOne_andShareRevocationsAndRateLimits() throws Exception {
    SigningKey key = DevKeys.ensure(dir.resolve("jwt"));
    minter = TokenMinter.of(key, "ocrgate", "tenant_id", Clock.systemUTC());
    Path config = config(dir.resolve("jwt").resolve(SigningKeys.JWKS_FILE));
    CliProcess pa = start("a", config);
    CliProcess pb = start("b", config);
    Replica a = ready(pa);
    Replica b = ready(pb);
    OcrClient both = client("static:///127.0.0.1:" + a.port() + ",localhost:" + b.port(),
        token("spread", null, "ocr:recognize", "ocr:stream"));

    int[] unary = spreadUnaryCalls(both, a, b);
    System.out.printf("replicas: Recognize calls A=%d B=%d%n", unary[0], unary[1]);

    sharedRevocation(a, b);
    sharedRateLimit(a, b);
    killedReplicaStreamsResume(both, a, b);
  }

  /** Unary calls until both replicas have answered some (bounded), then 40 more: half each. */
  private int[] spreadUnaryCalls(OcrClient client, Replica a, Replica b) throws Exception {
    RecognizeRequest blank = RecognizeRequest.newBuilder().setImage(png(blankPng())).build();
    for (int i = 0; i < 100 && (recognized(a) == 0 || recognized(b) == 0); i++) {
      client.recognize(blank);
    }
    double a0 = recognized(a);
    double b0 = recognized(b);
    assertThat(a0).as("replica A answered calls").isPositive();
    assertThat(b0).as("replica B answered calls").isPositive();
    for (int i = 0; i < 40; i++) {
      client.recognize(blank);
    }
    // a call is counted when the server closes it, which may trail the client's answer a little
    await().atMost(Duration.ofSeconds(30)).until(() -> recognized(a) - a0 + recognized(b) - b0 >= 40);
    int da = (int) (recognized(a) - a0);
    int db = (int) (recognized(b) - b0);
    assertThat(da + db).isEqualTo(40);
    assertThat(da).as("round_robin over two READY replicas").isEqualTo(20);
    return new int[] {da, db};
  }

  private void sharedRevocation(Replica a, Replica b) throws Exception {
    String victim = token("victim", null, "ocr:recognize");
    OcrClient onB = client("127.0.0.1:" + b.port(), victim);
    RecognizeRequest blank = RecognizeRequest.newBuilder().setImage(png(blankPng())).build();
    assertThat(onB.recognize(blank).getImageWidth()).as("accepted before revocation").isEqualTo(64);

    OcrClient adminOnA = client("127.0.0.1:" + a.port(), token("admin", null, "ocr:admin"));
    adminOnA.revokeToken(RevokeTokenRequest.newBuilder().setJti(jti(victim)).build());

    assertThatThrownBy(() -> onB.recognize(blank)).as("refused by the other replica")
        .isInstanceOfSatisfying(StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED));
    System.out.println("replicas: token revoked via A refused by B: UNAUTHENTICATED");
  }

  private void sharedRateLimit(Replica a, Replica b) throws Exception {
    String metered = token("meter", "metered", "ocr:recognize");
    OcrClient onA = client("127.0.0.1:" + a.port(), metered);
    OcrClient onB = client("127.0.0.1:" + b.port(), metered);
    RecognizeRequest blank = RecognizeRequest.newBuilder().setImage(png(blankPng())).build();
    for (int i = 0; i < METERED_BURST; i++) {
      onA.recognize(blank);
    }
    assertThatThrownBy(() -> onB.recognize(blank)).as("the burst consumed on A counts on B")
        .isInstanceOfSatisfying(StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED));
    System.out.printf("replicas: tenant burst %d spent on A, next call on B: RESOURCE_EXHAUSTED%n", METERED_BURST);
  }

  /**
   * {@value #STREAMS} paced streams of {@value #FRAMES} rendered subtitle frames; once every
   * stream has results, B is killed; every stream must still get every result once, in order.
   */
  private void killedReplicaStreamsResume(OcrClient client, Replica a, Replica b) throws Exception {
    List<Frame> frames = subtitleFrames();
    List<Results> results = new ArrayList<>();
    List<CompletableFuture<Void>> senders = new ArrayList<>();
    for (int s = 0; s < STREAMS; s++) {
      Results r = new Results();
      results.add(r);
      FrameStream stream = client.streamFrames(StreamConfig.getDefaultInstance(), r);
      senders.add(CompletableFuture.runAsync(() -> send(stream, frames)));
    }
    await().atMost(Duration.ofMinutes(2)).until(() -> results.stream().allMatch(r -> r.arrivals.size() >= 10));
    double onA = framesAnswered(a);
    double onB = framesAnswered(b);
    long killedAt = System.nanoTime();
    List<Integer> atKill = results.stream().map(r -> r.arrivals.size()).toList();
    b.process().kill();

    for (Results r : results) {
      assertThat(r.done.get(2, TimeUnit.MINUTES)).as("stream ended").isNull();
    }
    for (CompletableFuture<Void> s : senders) {
      s.get(1, TimeUnit.MINUTES);
    }
    assertThat(onA).as("streams on A").isPositive();
    assertThat(onB).as("streams on B").isPositive();
    assertThat(atKill).as("no stream had finished when B was killed").allMatch(n -> n < FRAMES);
    long lost = 0;
    double resumeMs = 0;
    for (Results r : results) {
      assertThat(r.seqs).as("every frame's result once, in order").hasSize(FRAMES).isSorted().doesNotHaveDuplicates();
      lost += FRAMES - r.seqs.size();
      resumeMs = Math.max(resumeMs, r.firstArrivalAfter(killedAt) / 1e6);
    }
    System.out.printf("replicas: %d streams x %d frames; frames answered before the kill A=%.0f B=%.0f;"
        + " frames lost %d; longest wait for a result after the kill %.0f ms%n",
        STREAMS, FRAMES, onA, onB, lost, resumeMs);
  }

  private static void send(FrameStream stream, List<Frame> frames) {
    try {
      for (Frame f : frames) {
        stream.send(f);
        Thread.sleep(25); // pacing, like a 40 fps source; not synchronisation
      }
      stream.complete();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      stream.cancel();
    }
  }

  /** Records each result's seq and arrival time. */
  private static final class Results implements FrameListener {
    final List<Long> seqs = new CopyOnWriteArrayList<>();
    final List<Long> arrivals = new CopyOnWriteArrayList<>();
    final CompletableFuture<StatusRuntimeException> done = new CompletableFuture<>();

    @Override
    public void onResult(FrameResult result) {
      seqs.add(result.getSeq());
      arrivals.add(System.nanoTime());
    }

    @Override
    public void onCompleted() {
      done.complete(null);
    }

    @Override
    public void onError(StatusRuntimeException error) {
      done.complete(error);
    }

    /** Nanoseconds from {@code t} to the first result after it (0 if none). */
    long firstArrivalAfter(long t) {
      return arrivals.stream().filter(x -> x > t).findFirst().map(x -> x - t).orElse(0L);
    }
  }

  private Path config(Path jwks) throws Exception {
    Path config = dir.resolve("ocrgate.yaml");
    Files.writeString(config, String.join("\n",
        "server: {host: 127.0.0.1, port: 0, drain_timeout_seconds: 2}",
        "tls: {cert_chain: '" + TestTls.certs().serverCert() + "', private_key: '"
            + TestTls.certs().dir().resolve("server.key") + "'}",
        "models: ['" + RepoPaths.modelDir() + "']",
        "auth: {jwks_file: '" + jwks + "'}",
        "redis: {url: '" + REDIS.server().url() + "'}",
        "rate_limit:",
        "  enabled: true",
        "  frame_cost: 0",
        "  subject: {rate_per_second: 1000, burst: 1000}",
        "  tenants: {metered: {rate_per_second: 0.001, burst: " + METERED_BURST + "}}",
        "metrics: {enabled: true, port: 0}", ""));
    return config;
  }

  private CliProcess start(String name, Path config) throws Exception {
    CliProcess p = CliProcess.start(dir.resolve(name), Map.of(), "serve", "--config", config.toString());
    toClose.add(p);
    return p;
  }

  private static Replica ready(CliProcess p) {
    int port = Integer.parseInt(awaitMatch(p, "ocrgate serving on 127\\.0\\.0\\.1:(\\d+)"));
    int metrics = Integer.parseInt(awaitMatch(p, "metrics and probes on [^:]+:(\\d+)"));
    return new Replica(p, port, metrics);
  }

  private OcrClient client(String target, String token) {
    OcrClient c = OcrClient.builder().target(target)
        .trustedCertificates(TestTls.certs().caCert())
        .tokenSource(TokenSources.staticToken(token))
        .defaultDeadline(Duration.ofSeconds(60))
        .streamRetries(8, Duration.ofMillis(100), Duration.ofSeconds(2))
        .build();
    toClose.add(c);
    return c;
  }

  private String token(String subject, String tenant, String... scopes) {
    return minter.mint(subject, List.of(scopes), Duration.ofHours(1), "ocrgate", tenant);
  }

  private static String jti(String token) throws Exception {
    byte[] payload = Base64.getUrlDecoder().decode(token.split("\\.")[1]);
    return new com.fasterxml.jackson.databind.ObjectMapper().readTree(payload).path("jti").asText();
  }

  private static double recognized(Replica r) throws Exception {
    return metric(r, "ocrgate_grpc_server_calls_total", "method=\"ocrgate.v1.OcrService/Recognize\"");
  }

  private static double framesAnswered(Replica r) throws Exception {
    return metric(r, "ocrgate_stream_frames_total", "");
  }

  /** Sum of the samples of {@code name} whose labels contain {@code label}, from /metrics. */
  private static double metric(Replica r, String name, String label) throws Exception {
    HttpResponse<String> page = HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + r.metricsPort() + "/metrics"))
            .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    double sum = 0;
    for (String line : page.body().split("\n")) {
      if (line.startsWith(name + "{") && line.contains(label)) {
        sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
      }
    }
    return sum;
  }

  private static byte[] blankPng() throws Exception {
    return encode(TextImages.render(64, 32, Color.WHITE, Color.BLACK, List.of()).image());
  }

  private static Image png(byte[] data) {
    return Image.newBuilder().setEncoded(EncodedImage.newBuilder().setData(ByteString.copyFrom(data))).build();
  }

  /** Subtitle frames: white text on dark video, a new line every 15 frames (like cues). */
  private static List<Frame> subtitleFrames() throws Exception {
    String[] lines = {"Hello there", "Where are you going", "The train leaves at nine", "Bring the blue umbrella"};
    List<byte[]> pngs = new ArrayList<>();
    for (String l : lines) {
      pngs.add(encode(TextImages.render(320, 96, new Color(24, 32, 48), Color.WHITE,
          List.of(new TextImages.Line(l, TextImages.latin(17), 12, 74))).image()));
    }
    List<Frame> frames = new ArrayList<>();
    for (int i = 0; i < FRAMES; i++) {
      frames.add(Frame.newBuilder().setSeq(i).setPtsMs(i * 40L)
          .setImage(png(pngs.get((i / 15) % pngs.size()))).build());
    }
    return frames;
  }

  private static byte[] encode(java.awt.image.BufferedImage img) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ImageIO.write(img, "png", out);
    return out.toByteArray();
  }

  private static String awaitMatch(CliProcess p, String regex) {
    Pattern pattern = Pattern.compile(regex);
    String[] found = new String[1];
    await().atMost(START).pollInterval(Duration.ofMillis(200)).until(() -> {
      assertThat(p.isAlive()).as("serve exited early: %s", p.stderrText()).isTrue();
      Matcher m = pattern.matcher(p.stderrText() + p.stdoutText());
      if (m.find()) {
        found[0] = m.group(1);
        return true;
      }
      return false;
    });
    return found[0];
  }
}
